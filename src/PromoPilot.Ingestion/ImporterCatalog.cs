using PromoPilot.Ingestion.Importers;

namespace PromoPilot.Ingestion;

/// <summary>The importers by --kind name.</summary>
public static class ImporterCatalog
{
    private static readonly Dictionary<string, Func<IDatasetImporter>> Builtin = new(StringComparer.OrdinalIgnoreCase)
    {
        ["online-retail"] = () => new OnlineRetailImporter(),
        ["hillstrom"] = () => new HillstromImporter(),
        ["cookie-cats"] = () => new CookieCatsImporter(),
        ["in-vehicle-coupon"] = () => new InVehicleCouponImporter(),
        ["completejourney"] = () => new CompleteJourneyImporter(),
        ["movielens"] = () => new MovieLensImporter(),
        ["cdnow"] = () => new CdnowImporter(),
        ["groceries"] = () => new GroceriesImporter(),
        ["dominicks-oj"] = () => new DominicksOjImporter(),
        ["dominicks-beer"] = () => new DominicksBeerImporter(),
    };

    public static IReadOnlyList<string> Kinds => [.. Builtin.Keys.Order(StringComparer.Ordinal), MappedKind];

    public const string MappedKind = "mapped";

    /// <summary>The importer for <paramref name="kind"/>; the mapped importer needs a mapping file.</summary>
    /// <exception cref="ArgumentException">Unknown kind, or a mapping missing or given where it does not belong.</exception>
    public static IDatasetImporter Create(string kind, string? mappingFile)
    {
        if (string.Equals(kind, MappedKind, StringComparison.OrdinalIgnoreCase))
        {
            return Mapping.MappedImporter.Load(mappingFile ?? throw new ArgumentException("--kind mapped needs --mapping FILE (a JSON mapping of your columns)."));
        }

        if (!Builtin.TryGetValue(kind, out var create))
        {
            throw new ArgumentException($"Unknown --kind '{kind}'. Known kinds: {string.Join(", ", Kinds)}.");
        }

        if (mappingFile is not null)
        {
            throw new ArgumentException($"--mapping applies to --kind mapped only, not to {kind}.");
        }

        return create();
    }
}
