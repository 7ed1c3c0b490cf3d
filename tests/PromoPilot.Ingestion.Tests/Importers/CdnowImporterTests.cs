using PromoPilot.Core.Storage;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

// CDNOW has no stated licence: the tests read ../shared/data only, and no slice is bundled.
// Expected values were computed independently with python3 (csv module, decimal sums).
public class CdnowImporterTests(CdnowImporterTests.FullImport full) : IClassFixture<CdnowImporterTests.FullImport>
{
    [DatasetFact("cdnow")]
    public void Import_MasterFile_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        var (store, summary) = (full.Store, full.Summary);

        Assert.Equal(69_659, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(69_659, summary.Tables["orders"]);
        Assert.Equal(69_659, summary.Tables["events"]);
        Assert.Equal(23_570, summary.Tables["users"]);
        Assert.False(summary.Tables.ContainsKey("items"));
        Assert.Equal(69_659, store.Count("SELECT count(*) FROM events WHERE event_type = 5 AND item_key IS NULL AND user_key IS NOT NULL"));
        Assert.Equal(69_659, store.Count("SELECT count(*) FROM events e JOIN orders o USING (order_key) WHERE o.user_key = e.user_key AND o.ordered_at = e.ts AND o.currency = 'USD'"));
        Assert.Equal(67_591, store.Count("SELECT count(DISTINCT (user_key, ts)) FROM events"));
        Assert.Equal(12_757, store.Count("SELECT count(*) FROM events WHERE ts >= DATE '1998-01-01'"));
        Assert.Equal(new DateTime(1997, 1, 1), (DateTime)store.Query("SELECT min(ts) AS t FROM events")[0]["t"]!);
        Assert.Equal(new DateTime(1998, 6, 30), (DateTime)store.Query("SELECT max(ts) AS t FROM events")[0]["t"]!);
    }

    [DatasetFact("cdnow")]
    public void Import_MasterFile_ReconcilesQuantitiesAndDollars()
    {
        var store = full.Store;

        Assert.Equal(167_881, store.Count("SELECT sum(quantity)::BIGINT FROM events"));
        Assert.Equal(2_500_315.63, Convert.ToDouble(store.Query("SELECT sum(value) AS v FROM events")[0]["v"], System.Globalization.CultureInfo.InvariantCulture), 1e-6);
        // The 4-decimal unit price gives every row's amount back to the cent.
        Assert.Equal(2_500_315.63m, Convert.ToDecimal(store.Query("SELECT sum(round(quantity::DECIMAL(18,4) * unit_price, 2)) AS v FROM events")[0]["v"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, store.Count("SELECT count(*) FROM events WHERE round(quantity::DECIMAL(18,4) * unit_price, 2) <> value::DECIMAL(18,2)"));
        // The 80 zero-value rows are real records, accepted as zero-price purchases of one CD.
        Assert.Equal(80, store.Count("SELECT count(*) FROM events WHERE value = 0 AND unit_price = 0 AND quantity = 1"));
    }

    [DatasetFact("cdnow")]
    public void Import_MasterFile_PseudonymizesTheRawIdWithItsLeadingZeros()
    {
        var store = full.Store;

        Assert.Equal(0, store.Count("SELECT count(*) FROM users WHERE NOT starts_with(user_id, 'u_') OR regexp_matches(user_id, '^[0-9]+$')"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM orders WHERE order_id LIKE '0%'"));
        Assert.Equal(1, store.Count($"SELECT count(*) FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize("00002")}'"));
        Assert.Equal(0, store.Count($"SELECT count(*) FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize("2")}'"));
        // Customer 00002 made two purchases on 1997-01-12: 1 CD for $12 and 5 CDs for $77, two orders.
        var rows = store.Query($"""
            SELECT e.quantity, e.value, o.order_id FROM events e JOIN users u USING (user_key) JOIN orders o USING (order_key)
            WHERE u.user_id = '{store.Pseudonymizer.Pseudonymize("00002")}' AND e.ts = DATE '1997-01-12' ORDER BY e.quantity
            """);
        Assert.Equal(2, rows.Count);
        Assert.Equal((1.0, 12.0, "2"), ((double)rows[0]["quantity"]!, (double)rows[0]["value"]!, (string)rows[0]["order_id"]!));
        Assert.Equal((5.0, 77.0, "3"), ((double)rows[1]["quantity"]!, (double)rows[1]["value"]!, (string)rows[1]["order_id"]!));
    }

    [DatasetFact("cdnow")]
    public void InputFiles_FolderOrMasterFile_ReadsOnlyTheMasterFile()
    {
        var importer = new CdnowImporter();
        var master = SharedData.Path("cdnow", "cdnow_master.csv.gz");

        Assert.Equal([master], importer.InputFiles(SharedData.Path("cdnow")));
        Assert.Equal([master], importer.InputFiles(master));
    }

    [DatasetFact("cdnow")]
    public void Import_SameFileGivenDirectly_IsRecognisedAsAlreadyImported()
    {
        var again = full.Store.Import(new CdnowImporter(), SharedData.Path("cdnow", "cdnow_master.csv.gz"));

        Assert.True(again.AlreadyImported);
        Assert.Equal(69_659, full.Store.Count("SELECT count(*) FROM events"));
    }

    /// <summary>The master file imported once for the class, on first use (so skipped tests import nothing).</summary>
    public sealed class FullImport : IDisposable
    {
        private readonly Lazy<(TestStore Store, ImportSummary Summary)> _import = new(() =>
        {
            var store = new TestStore();
            return (store, store.Import(new CdnowImporter(), SharedData.Path("cdnow")));
        });

        public TestStore Store => _import.Value.Store;

        public ImportSummary Summary => _import.Value.Summary;

        public void Dispose()
        {
            if (_import.IsValueCreated)
            {
                _import.Value.Store.Dispose();
            }
        }
    }
}
