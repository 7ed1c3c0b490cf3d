using System.Globalization;
using PromoPilot.Core.Storage;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

// Dominick's data (Kilts Center terms): the tests read ../shared/data only, and no slice is bundled.
// Expected values were computed independently with python3 (csv module; exp(logmove) rounded; prices as
// decimals, unrounded: price of the row's brand column priceN).
public class DominicksOjImporterTests(DominicksOjImporterTests.FullImport full) : IClassFixture<DominicksOjImporterTests.FullImport>
{
    [DatasetFact("dominicks_oj")]
    public void Import_FullDataset_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        var (store, summary) = (full.Store, full.Summary);

        // 83 store rows + 106,139 store-brand-weeks.
        Assert.Equal(106_222, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(83, summary.Tables["stores"]);
        Assert.Equal(11, summary.Tables["items"]);
        Assert.Equal(106_139, summary.Tables["store_week_sales"]);
        Assert.Equal(83, store.Count("SELECT count(DISTINCT store_key) FROM store_week_sales"));
        Assert.Equal(9_649, store.Count("SELECT count(DISTINCT (store_key, week)) FROM store_week_sales"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM (SELECT item_key FROM store_week_sales GROUP BY item_key HAVING count(*) <> 9649)"));
        Assert.Equal(40, store.Count("SELECT min(week) FROM store_week_sales"));
        Assert.Equal(160, store.Count("SELECT max(week) FROM store_week_sales"));
        Assert.Equal("Dominicks 128oz", store.Query("SELECT title FROM items WHERE item_id = '11'")[0]["title"]);
        Assert.Equal("Tropicana", store.Query("SELECT brand FROM items WHERE item_id = '2'")[0]["brand"]);
    }

    [DatasetFact("dominicks_oj")]
    public void Import_FullDataset_UnitsAreWholeOuncesAndPricesDollarsPerOunce()
    {
        var store = full.Store;

        Assert.Equal(1_000_392_608, store.Count("SELECT sum(units)::BIGINT FROM store_week_sales"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM store_week_sales WHERE units <> round(units)"));
        // Movement is in ounces: a multiple of the brand's carton size (64, 96 or 128 oz).
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM store_week_sales s JOIN items i USING (item_key)
            WHERE s.units::BIGINT % (i.attributes->>'size_oz')::BIGINT <> 0
            """));
        Assert.Equal(78_037_504, store.Count("SELECT sum(units)::BIGINT FROM store_week_sales JOIN items USING (item_key) WHERE item_id = '11'"));
        Assert.Equal(3_947.5981651891m, Decimal(store, "SELECT sum(unit_price) AS v FROM store_week_sales"));
        Assert.Equal(31_848_022.8112126944m, Decimal(store, "SELECT sum(units::BIGINT * unit_price) AS v FROM store_week_sales"));

        var row = store.Query("""
            SELECT s.units, s.unit_price, s.deal, s.feature FROM store_week_sales s JOIN stores t USING (store_key) JOIN items i USING (item_key)
            WHERE t.store_id = '2' AND i.item_id = '1' AND s.week = 40
            """).Single();
        Assert.Equal(8_256.0, row["units"]);
        Assert.Equal(0.06046875m, row["unit_price"]);
        Assert.Equal(true, row["deal"]);
        Assert.Equal(false, row["feature"]);
    }

    [DatasetFact("dominicks_oj")]
    public void Import_FullDataset_KeepsPromotionFlagsAndStoreDemographics()
    {
        var store = full.Store;

        Assert.Equal(47_444, store.Count("SELECT count(*) FROM store_week_sales WHERE deal"));
        // feature = feat > 0; 1,585 rows have a fractional share, kept in the attributes.
        Assert.Equal(20_104, store.Count("SELECT count(*) FROM store_week_sales WHERE feature"));
        Assert.Equal(1_585, store.Count("SELECT count(*) FROM store_week_sales WHERE (attributes->>'feat')::DOUBLE NOT IN (0, 1)"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM store_week_sales WHERE feature <> ((attributes->>'feat')::DOUBLE > 0)"));
        Assert.Equal(2_952_229.2239706926, Convert.ToDouble(store.Query("SELECT sum((attributes->>'profit')::DOUBLE) AS v FROM store_week_sales")[0]["v"], CultureInfo.InvariantCulture), 1e-4);

        Assert.Equal(83, store.Count("SELECT count(*) FROM stores WHERE attributes->>'cpwvol5' IS NOT NULL"));
        Assert.Equal(0.232864733974575, Convert.ToDouble(store.Query("SELECT (attributes->>'age60')::DOUBLE AS v FROM stores WHERE store_id = '2'")[0]["v"], CultureInfo.InvariantCulture), 1e-15);
        Assert.Equal(11, store.Count("SELECT len(json_keys(attributes)) FROM stores WHERE store_id = '2'"));
    }

    private static decimal Decimal(TestStore store, string sql) => Convert.ToDecimal(store.Query(sql)[0]["v"], CultureInfo.InvariantCulture);

    /// <summary>The full dataset imported once for the class, on first use (so skipped tests import nothing).</summary>
    public sealed class FullImport : IDisposable
    {
        private readonly Lazy<(TestStore Store, ImportSummary Summary)> _import = new(() =>
        {
            var store = new TestStore();
            return (store, store.Import(new DominicksOjImporter(), SharedData.Path("dominicks_oj")));
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
