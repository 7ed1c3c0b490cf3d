using System.Globalization;
using PromoPilot.Core.Storage;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

// Dominick's data (Kilts Center terms): the tests read ../shared/data only, and no slice is bundled.
// Expected values were computed independently with python3 (csv module, decimal sums).
public class DominicksBeerImporterTests(DominicksBeerImporterTests.FullImport full) : IClassFixture<DominicksBeerImporterTests.FullImport>
{
    [DatasetFact("dominicks_beer")]
    public void Import_FullDataset_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        var (store, summary) = (full.Store, full.Summary);

        // 287 UPC rows + 68 store rows + 1,600,572 UPC-store-weeks.
        Assert.Equal(1_600_927, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(287, summary.Tables["items"]);
        Assert.Equal(68, summary.Tables["stores"]);
        Assert.Equal(1_600_572, summary.Tables["store_week_sales"]);
        Assert.Equal(287, store.Count("SELECT count(DISTINCT item_key) FROM store_week_sales"));
        Assert.Equal(68, store.Count("SELECT count(DISTINCT store_key) FROM store_week_sales"));
        Assert.Equal(17_157, store.Count("SELECT count(DISTINCT (store_key, item_key)) FROM store_week_sales"));
        Assert.Equal(1_600_572, store.Count("SELECT count(DISTINCT (store_key, item_key, week)) FROM store_week_sales"));
        Assert.Equal(91, store.Count("SELECT min(week) FROM store_week_sales"));
        Assert.Equal(399, store.Count("SELECT max(week) FROM store_week_sales"));
    }

    [DatasetFact("dominicks_beer")]
    public void Import_FullDataset_ReconcilesUnitsPricesAndRevenue()
    {
        var store = full.Store;

        Assert.Equal(11_588_211, store.Count("SELECT sum(units)::BIGINT FROM store_week_sales"));
        Assert.Equal(9_313_709.80m, Decimal(store, "SELECT sum(unit_price) AS v FROM store_week_sales"));
        Assert.Equal(70_283_416.50m, Decimal(store, "SELECT sum(units::BIGINT * unit_price) AS v FROM store_week_sales"));
        Assert.Equal(1_574_635_624, store.Count("SELECT sum(s.units * (i.attributes->>'oz')::DOUBLE)::BIGINT FROM store_week_sales s JOIN items i USING (item_key)"));
        Assert.Equal(1_818, store.Count("""
            SELECT sum(units)::BIGINT FROM store_week_sales s JOIN stores t USING (store_key) JOIN items i USING (item_key)
            WHERE t.store_id = '8' AND i.item_id = '1820000016'
            """));
        // No promotion flags in this extract: unknown, not false.
        Assert.Equal(0, store.Count("SELECT count(*) FROM store_week_sales WHERE deal IS NOT NULL OR feature IS NOT NULL OR attributes IS NOT NULL"));
    }

    [DatasetFact("dominicks_beer")]
    public void Import_FullDataset_KeepsDescriptionsOuncesAndDemographics()
    {
        var store = full.Store;

        // Quoted CSV field with doubled quotes inside.
        Assert.Equal("BUDWEISER \"ICE\" DRAF 6pk", store.Query("SELECT title FROM items WHERE item_id = '1820000646'")[0]["title"]);
        Assert.Equal("BUDWEISER BEER 6pk", store.Query("SELECT title FROM items WHERE item_id = '1820000016'")[0]["title"]);
        Assert.Equal(72, store.Count("SELECT (attributes->>'oz')::INTEGER FROM items WHERE item_id = '1820000016'"));
        Assert.Equal(176, store.Count("SELECT count(*) FROM items WHERE (attributes->>'oz')::DOUBLE = 72"));
        Assert.Equal(46, store.Count("SELECT len(json_keys(attributes)) FROM stores WHERE store_id = '8'"));
        Assert.Equal(600, store.Count("SELECT (attributes->>'weekvol')::INTEGER FROM stores WHERE store_id = '8'"));
        Assert.Equal(0.123155415058136, Convert.ToDouble(store.Query("SELECT (attributes->>'age9')::DOUBLE AS v FROM stores WHERE store_id = '8'")[0]["v"], CultureInfo.InvariantCulture), 1e-15);
    }

    private static decimal Decimal(TestStore store, string sql) => Convert.ToDecimal(store.Query(sql)[0]["v"], CultureInfo.InvariantCulture);

    /// <summary>The full dataset imported once for the class, on first use (so skipped tests import nothing).</summary>
    public sealed class FullImport : IDisposable
    {
        private readonly Lazy<(TestStore Store, ImportSummary Summary)> _import = new(() =>
        {
            var store = new TestStore();
            return (store, store.Import(new DominicksBeerImporter(), SharedData.Path("dominicks_beer")));
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
