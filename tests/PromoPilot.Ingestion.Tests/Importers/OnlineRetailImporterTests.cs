using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

public class OnlineRetailImporterTests
{
    [DatasetFact("online_retail")]
    public void Import_FullFile_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        using var store = new TestStore();
        var summary = store.Import(new OnlineRetailImporter(), SharedData.Path("online_retail", "online_retail.csv.gz"));

        Assert.Equal(541_909, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(25_900, summary.Tables["orders"]);
        Assert.Equal(4_070, summary.Tables["items"]);
        Assert.Equal(4_372, summary.Tables["users"]);
        // 9,288 C-invoice lines are refunds in 3,836 refund orders; 135,080 lines have no customer.
        Assert.Equal(9_288, store.Count("SELECT count(*) FROM events WHERE event_type = 6"));
        Assert.Equal(3_836, store.Count("SELECT count(*) FROM orders WHERE is_refund"));
        Assert.Equal(135_080, store.Count("SELECT count(*) FROM events WHERE user_key IS NULL"));
        // 10,624 negative lines = 9,288 refunds + 1,336 write-offs (adjustments, no customer).
        Assert.Equal(1_336, store.Count("SELECT count(*) FROM events WHERE event_type = 10 AND quantity < 0"));
        Assert.Equal(10_624, store.Count("SELECT count(*) FROM events WHERE quantity < 0"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM events WHERE event_type = 10 AND user_key IS NOT NULL AND quantity < 0"));
        // Service codes are flagged, not dropped.
        Assert.Equal(0, store.Count("SELECT count(*) FROM items WHERE item_id IN ('POST', 'AMAZONFEE', 'DOT', 'M') AND is_product"));
        Assert.Equal(4, store.Count("SELECT count(*) FROM items WHERE item_id IN ('POST', 'AMAZONFEE', 'DOT', 'M')"));
        // Refunds link to an earlier invoice of the same customer.
        Assert.Equal(0, store.Count("""
            SELECT count(*) FROM orders r JOIN orders o ON o.order_key = r.refund_of_order_key
            WHERE r.user_key <> o.user_key OR o.ordered_at > r.ordered_at OR o.is_refund
            """));
        Assert.True(store.Count("SELECT count(*) FROM orders WHERE is_refund AND refund_of_order_key IS NOT NULL") > 3_000);
    }

    [Fact]
    public void Import_BundledSample_MatchesCountsOfTheSlice()
    {
        using var store = new TestStore();
        var summary = store.Import(new OnlineRetailImporter(), Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz"));

        // Counted independently with Python's csv module when the slice was cut (samples/README.md).
        Assert.Equal(43_610, summary.RowsRead);
        Assert.Equal(43_610, summary.RowsAccepted);
        Assert.Equal(2_199, summary.Tables["orders"]);
        Assert.Equal(3_176, summary.Tables["items"]);
        Assert.Equal(400, summary.Tables["users"]);
        Assert.Equal(1_026, store.Count("SELECT count(*) FROM events WHERE event_type = 6"));
        Assert.Equal(5_777, store.Count("SELECT count(*) FROM events WHERE user_key IS NULL"));
    }

    [Fact]
    public void Import_BundledSample_IsIdempotentByContent()
    {
        using var store = new TestStore();
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");

        var first = store.Import(new OnlineRetailImporter(), sample);
        var events = store.Count("SELECT count(*) FROM events");
        var second = store.Import(new OnlineRetailImporter(), sample);

        Assert.False(first.AlreadyImported);
        Assert.True(second.AlreadyImported);
        Assert.Equal(first.RowsAccepted, events);
        Assert.Equal(events, store.Count("SELECT count(*) FROM events"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM import_log"));
    }
}
