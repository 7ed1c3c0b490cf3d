using System.IO.Compression;
using System.Text;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

/// <summary>
/// Feeds every importer thousands of malformed rows (random bytes, wrong column counts, broken quotes,
/// bad encodings, huge numbers, empty lines) after a few valid ones, and checks that nothing crashes,
/// every row read is accepted or quarantined with a reason, and the counts reconcile with the store.
/// </summary>
public class MalformedInputTests
{
    private const int ValidLinesKept = 25;
    private const int MalformedRowsPerImporter = 2_000;

    [Fact]
    public void Import_OnlineRetailSampleWithMalformedRows_AccountsForEveryRow()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "samples");
        AssertEveryRowAccountedFor("online-retail", [Path.Combine(sample, "online_retail_sample.csv.gz")], seed: 1);
    }

    [Fact]
    public void Import_MappedCsvWithMalformedRows_AccountsForEveryRow()
    {
        using var folder = new TempFolder();
        var csv = Path.Combine(folder.Path, "events.csv");
        File.WriteAllText(csv, """
            user,item,action,at,qty,price
            c1,sku1,view,2024-01-02 10:00:00,1,9.99
            c2,sku2,buy,2024-01-02 11:00:00,2,19.50
            c1,sku2,cart,2024-01-03 09:30:00,1,19.50

            """);
        var mapping = Path.Combine(folder.Path, "mapping.json");
        File.WriteAllText(mapping, """
            {"dataset": "fuzz", "columns": {"user_id": "user", "item_id": "item", "event_type": "action", "timestamp": "at", "quantity": "qty", "unit_price": "price"},
             "value_maps": {"event_type": {"buy": "purchase", "cart": "add_to_cart"}}}
            """);
        AssertEveryRowAccountedFor("mapped", [csv], seed: 2, mapping);
    }

    [DatasetFact("completejourney")]
    public void Import_CompleteJourneyWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("completejourney", "completejourney");

    [DatasetFact("hillstrom")]
    public void Import_HillstromWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("hillstrom", "hillstrom");

    [DatasetFact("cookie_cats")]
    public void Import_CookieCatsWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("cookie-cats", "cookie_cats");

    [DatasetFact("in_vehicle_coupon")]
    public void Import_InVehicleCouponWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("in-vehicle-coupon", "in_vehicle_coupon");

    [DatasetFact("movielens_100k")]
    public void Import_MovieLensWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("movielens", "movielens_100k");

    [DatasetFact("cdnow")]
    public void Import_CdnowWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("cdnow", "cdnow");

    [DatasetFact("groceries")]
    public void Import_GroceriesWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("groceries", "groceries");

    [DatasetFact("dominicks_oj")]
    public void Import_DominicksOjWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("dominicks-oj", "dominicks_oj");

    [DatasetFact("dominicks_beer")]
    public void Import_DominicksBeerWithMalformedRows_AccountsForEveryRow() => FuzzSharedDataset("dominicks-beer", "dominicks_beer");

    private static void FuzzSharedDataset(string kind, string dataset)
    {
        var files = ImporterCatalog.Create(kind, null).InputFiles(SharedData.Path(dataset));
        AssertEveryRowAccountedFor(kind, files, seed: kind.Length);
    }

    private static void AssertEveryRowAccountedFor(string kind, IReadOnlyList<string> sourceFiles, int seed, string? mapping = null)
    {
        using var folder = new TempFolder();
        var random = new Random(seed);
        var perFile = MalformedRowsPerImporter / sourceFiles.Count + 1;
        var fileNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var source in sourceFiles)
        {
            var lines = ReadLines(source).Take(ValidLinesKept + 1).ToList();
            var target = Path.Combine(folder.Path, Path.GetFileName(source));
            WriteWithMalformedRows(target, lines, perFile, random);
            fileNames.Add(Path.GetFileName(target));
        }

        using var store = new TestStore();
        var importer = ImporterCatalog.Create(kind, mapping);
        var input = sourceFiles.Count == 1 ? Path.Combine(folder.Path, Path.GetFileName(sourceFiles[0])) : folder.Path;
        var summary = store.Import(importer, input);

        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.True(summary.RowsQuarantined >= perFile * sourceFiles.Count / 2, $"only {summary.RowsQuarantined} rows quarantined");
        Assert.True(summary.RowsAccepted >= 1, "valid rows were lost among the malformed ones");
        Assert.Equal(summary.RowsQuarantined, store.Count("SELECT count(*) FROM quarantine"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM quarantine WHERE reason IS NULL OR reason = '' OR line < 1"));
        foreach (var row in store.Query("SELECT DISTINCT file FROM quarantine"))
        {
            Assert.Contains((string)row["file"]!, fileNames);
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        using var stream = File.OpenRead(path);
        using var decompressed = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
        using var reader = new StreamReader(decompressed, Encoding.Latin1);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    /// <summary>Writes the valid head of a file, then malformed rows derived from its valid rows, as raw bytes.</summary>
    private static void WriteWithMalformedRows(string path, List<string> validLines, int count, Random random)
    {
        var output = new MemoryStream();
        foreach (var line in validLines)
        {
            output.Write(Encoding.Latin1.GetBytes(line + "\n"));
        }

        var template = validLines[^1];
        var separator = template.Contains('\t') ? '\t' : template.Contains('|') ? '|' : ',';
        var fields = template.Split(separator);
        for (var i = 0; i < count; i++)
        {
            output.Write(MalformedRow(fields, separator, random));
            output.WriteByte((byte)'\n');
        }

        output.Write(Encoding.Latin1.GetBytes(template + "\n"));
        var bytes = output.ToArray();
        if (path.EndsWith(".gz", StringComparison.Ordinal))
        {
            using var file = File.Create(path);
            using var gzip = new GZipStream(file, CompressionLevel.Fastest);
            gzip.Write(bytes);
        }
        else
        {
            File.WriteAllBytes(path, bytes);
        }
    }

    private static byte[] MalformedRow(string[] fields, char separator, Random random)
    {
        var copy = (string[])fields.Clone();
        var column = random.Next(copy.Length);
        switch (random.Next(9))
        {
            case 0:
                var garbage = new byte[random.Next(1, 80)];
                random.NextBytes(garbage);
                return [.. garbage.Where(b => b != '\n')];
            case 1:
                return Encoding.UTF8.GetBytes(string.Join(separator, copy.Take(Math.Max(1, copy.Length - 1 - random.Next(3)))));
            case 2:
                return Encoding.UTF8.GetBytes(string.Join(separator, copy.Concat(["extra", "fields"])));
            case 3:
                copy[column] = "\"" + copy[column];
                return Encoding.UTF8.GetBytes(string.Join(separator, copy));
            case 4:
                copy[column] = "\"" + copy[column] + "\"x";
                return Encoding.UTF8.GetBytes(string.Join(separator, copy));
            case 5:
                var text = Encoding.UTF8.GetBytes(string.Join(separator, copy));
                return [.. text.Take(text.Length / 2), 0xC3, 0x28, 0xFF, .. text.Skip(text.Length / 2)];
            case 6:
                copy[column] = random.Next(2) == 0 ? new string('9', 40) : "1e999";
                return Encoding.UTF8.GetBytes(string.Join(separator, copy));
            case 7:
                return [];
            default:
                copy[column] = random.Next(2) == 0 ? "not-a-value" : "";
                return Encoding.UTF8.GetBytes(string.Join(separator, copy));
        }
    }
}
