using PromoPilot.Models.Elasticity;

namespace PromoPilot.Cli.Forecasting;

/// <summary>One store's demand for a brand: its current price per package and its expected weekly units there without deal or feature.</summary>
internal sealed record OjStoreDemand(int Store, double CurrentPrice, double BaselineUnits);

/// <summary>
/// A brand's calibrated constant-elasticity demand (prices per package, not per ounce): elasticity and its
/// store-clustered standard error, the current price (median over stores of each store's price in its last week), the
/// unit cost from the profit column read as a gross-margin percentage (median over the brand's rows), and the weekly
/// baseline units at the current price with deal = feat = 0, per store and for the average store.
/// </summary>
internal sealed record OjBrandDemand(
    int Brand, string Name, int Ounces, double Elasticity, double StdError, int N, double CurrentPrice, double Margin,
    double UnitCost, double BaselineUnits, IReadOnlyList<OjStoreDemand> Stores, double DealEffect = 0, double FeatEffect = 0, double ResidualStd = 0);

/// <summary>Calibrates <see cref="OjBrandDemand"/> per brand from oj_yx rows (host code: models get plain numbers).</summary>
internal static class OjDemand
{
    private static readonly string[] Names =
    [
        "Tropicana Premium 64oz", "Tropicana Premium 96oz", "Florida's Natural 64oz", "Tropicana 64oz", "Minute Maid 64oz",
        "Minute Maid 96oz", "Citrus Hill 64oz", "Tree Fresh 64oz", "Florida Gold 64oz", "Dominicks 64oz", "Dominicks 128oz",
    ];

    private static readonly int[] Ounces = [64, 96, 64, 64, 64, 96, 64, 64, 64, 64, 128];

    public const string Specification =
        "per brand: log(units) ~ log(price) + feat + deal + store effects (store-clustered standard errors); baseline = " +
        "the fitted weekly units at the current price with deal = feat = 0 (Duan smearing); current price = median over " +
        "stores of the last week's price, per package; unit cost = price × (1 − median profit / 100)";

    public static IReadOnlyList<OjBrandDemand> Calibrate(IReadOnlyList<OjRow> rows, double? costRatio = null) =>
        rows.GroupBy(r => r.Brand).OrderBy(g => g.Key).Select(g => Calibrate(g.Key, g.ToList(), costRatio)).ToList();

    private static OjBrandDemand Calibrate(int brand, List<OjRow> rows, double? costRatio)
    {
        var ounces = brand is >= 1 and <= 11 ? Ounces[brand - 1] : 64;
        var data = rows.Select(r => new DemandObservation(r.Units, r.Price * ounces, [r.Feat, r.Deal], [r.Store], r.Store)).ToList();
        var fit = LogLogElasticity.Fit(data, new ElasticityOptions { StandardErrors = StandardErrorKind.Cluster, ControlNames = ["feat", "deal"], GroupNames = ["store"] });
        var b = fit.Coefficients.ToDictionary(c => c.Name, c => c.Estimate, StringComparer.Ordinal);
        double Effect(int store) => b.GetValueOrDefault($"store={store}");
        var residuals = rows.Select(r => Math.Log(r.Units) - (b["intercept"] + (fit.Elasticity * Math.Log(r.Price * ounces)) + (b["feat"] * r.Feat) + (b["deal"] * r.Deal) + Effect(r.Store))).ToArray();
        var smearing = residuals.Average(Math.Exp);
        var residualStd = Math.Sqrt(residuals.Sum(e => e * e) / Math.Max(1, residuals.Length - fit.Parameters));
        var lastPrice = rows.GroupBy(r => r.Store).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Week)!.Price * ounces);
        var current = Median(lastPrice.Values);
        var stores = lastPrice.OrderBy(kv => kv.Key)
            .Select(kv => new OjStoreDemand(kv.Key, kv.Value, smearing * Math.Exp(b["intercept"] + Effect(kv.Key) + (fit.Elasticity * Math.Log(kv.Value)))))
            .ToList();
        var baseline = stores.Average(s => smearing * Math.Exp(b["intercept"] + Effect(s.Store) + (fit.Elasticity * Math.Log(current))));
        var margin = costRatio is { } ratio ? 1 - ratio : Median(rows.Select(r => r.Profit).Where(double.IsFinite)) / 100;
        return new OjBrandDemand(
            brand, brand is >= 1 and <= 11 ? Names[brand - 1] : $"brand {brand}", ounces, fit.Elasticity, fit.StdError, fit.N,
            current, margin, current * (1 - margin), baseline, stores, b["deal"], b["feat"], residualStd);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
