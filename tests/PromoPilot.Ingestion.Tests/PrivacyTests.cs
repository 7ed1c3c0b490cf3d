using System.IO.Compression;
using System.Text;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests;

/// <summary>Raw customer identifiers never reach the store: not as ids, not in attributes, not in the quarantine.</summary>
public class PrivacyTests
{
    [Fact]
    public void Import_OnlineRetailSample_StoresNoRawCustomerId()
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");
        var rawIds = RawColumn(sample, 6).Where(id => id.Length > 0).ToHashSet(StringComparer.Ordinal);
        using var store = new TestStore();
        store.Import(new OnlineRetailImporter(), sample);

        Assert.Equal(400, rawIds.Count);
        AssertNoRawIdStored(store, rawIds);
        // The stored pseudonym is the keyed hash of the raw id, so a deletion request can find it.
        var expected = store.Pseudonymizer.Pseudonymize(rawIds.Min(StringComparer.Ordinal)!);
        Assert.Equal(1, store.Count($"SELECT count(*) FROM users WHERE user_id = '{expected}'"));
    }

    [Fact]
    public void Import_QuarantinedRowsWithCustomerIds_ShowPseudonymsOrNothing()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "online_retail.csv");
        File.WriteAllText(file, """
            InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
            536365,85123A,WHITE HANGING HEART,six,2010-12-01 08:26:00,2.55,17850,United Kingdom
            536366,71053,"WHITE METAL LANTERN,6,2010-12-01 08:28:00,3.39,17851,United Kingdom
            536367,71053,WHITE METAL LANTERN,6,2010-13-01 08:28:00,3.39,17852,United Kingdom,extra
            536368,71053,WHITE METAL LANTERN,6,2010-12-01 08:28:00,3.39,17853,United Kingdom

            """);
        using var store = new TestStore();
        var summary = store.Import(new OnlineRetailImporter(), file);

        Assert.Equal(4, summary.RowsRead);
        Assert.Equal(1, summary.RowsAccepted);
        Assert.Equal(3, summary.RowsQuarantined);
        AssertNoRawIdStored(store, new HashSet<string>(["17850", "17851", "17852", "17853"]));
        var unparsable = store.Query("SELECT column_name, reason, raw FROM quarantine WHERE line = 2")[0];
        Assert.Equal("Quantity", unparsable["column_name"]);
        Assert.Contains(store.Pseudonymizer.Pseudonymize("17850"), (string)unparsable["raw"]!, StringComparison.Ordinal);
    }

    private static void AssertNoRawIdStored(TestStore store, IReadOnlySet<string> rawIds)
    {
        var texts = store.Query("""
            SELECT user_id AS t FROM users UNION ALL SELECT CAST(attributes AS VARCHAR) FROM users
            UNION ALL SELECT coalesce(raw, '') FROM quarantine UNION ALL SELECT order_id FROM orders
            """);
        foreach (var row in texts)
        {
            var text = (string?)row["t"] ?? "";
            foreach (var token in text.Split([',', '|', '"', ':', '{', '}', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.DoesNotContain(token, rawIds);
            }
        }
    }

    private static IEnumerable<string> RawColumn(string gzipCsv, int column)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gzipCsv), CompressionMode.Decompress), Encoding.UTF8);
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var fields = line.Split(',');
            yield return fields.Length > column ? fields[^2] : "";
        }
    }
}
