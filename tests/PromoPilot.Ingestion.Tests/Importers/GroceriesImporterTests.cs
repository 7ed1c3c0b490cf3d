using System.IO.Compression;
using System.Text;
using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Ingestion.Tests.Importers;

// Expected values were computed independently with python3's csv module (see Fixtures/groceries/README.md).
public class GroceriesImporterTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "groceries");

    [DatasetFact("groceries")]
    public void Import_FullDataset_AccountsForEveryRowAsTheDatasetReadmeDocuments()
    {
        using var store = new TestStore();
        var summary = store.Import(new GroceriesImporter(), SharedData.Path("groceries"));

        // 169 item rows + 43,367 basket-item rows; groceries.csv (the same baskets, wide) is not read.
        Assert.Equal(43_536, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(0, summary.RowsQuarantined);
        Assert.Equal(9_835, summary.Tables["orders"]);
        Assert.Equal(43_367, summary.Tables["events"]);
        Assert.Equal(169, summary.Tables["items"]);
        Assert.Equal(43_367, store.Count("SELECT count(*) FROM events WHERE event_type = 5 AND user_key IS NULL AND ts IS NULL AND quantity = 1 AND order_key IS NOT NULL"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM users"));
        Assert.Equal(43_367, store.Count("SELECT count(DISTINCT (order_key, item_key)) FROM events"));
        Assert.Equal(169, store.Count("SELECT count(DISTINCT item_key) FROM events"));

        // Two-level hierarchy as the category path; every item has one.
        Assert.Equal(169, store.Count("SELECT count(*) FROM items WHERE len(string_split(category_path, ' > ')) = 2"));
        Assert.Equal(10, store.Count("SELECT count(DISTINCT split_part(category_path, ' > ', 1)) FROM items"));
        Assert.Equal(55, store.Count("SELECT count(DISTINCT category_path) FROM items"));
        Assert.Equal(14_589, EventsInTopCategory(store, "fresh products"));
        Assert.Equal(6_824, EventsInTopCategory(store, "drinks"));
        Assert.Equal(480, EventsInTopCategory(store, "detergent"));
        Assert.Equal(2_513, store.Count("SELECT count(*) FROM events JOIN items USING (item_key) WHERE item_id = 'whole milk'"));

        // "cream cheese " has a trailing space in both files: trimmed, it still joins.
        Assert.Equal("fresh products > cheese", store.Query("SELECT category_path FROM items WHERE item_id = 'cream cheese'")[0]["category_path"]);
        Assert.Equal(390, store.Count("SELECT count(*) FROM events JOIN items USING (item_key) WHERE item_id = 'cream cheese'"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM items WHERE item_id <> trim(item_id)"));

        // The first basket matches the classic file; the largest has 32 items.
        Assert.Equal(
            "citrus fruit,margarine,ready soups,semi-finished bread",
            store.Query("SELECT string_agg(i.item_id, ',' ORDER BY i.item_id) AS b FROM events e JOIN items i USING (item_key) JOIN orders o USING (order_key) WHERE o.order_id = '1'")[0]["b"]);
        Assert.Equal(32, store.Count("SELECT max(n) FROM (SELECT count(*) AS n FROM events GROUP BY order_key)"));
        Assert.Equal(2_159, store.Count("SELECT count(*) FROM (SELECT count(*) AS n FROM events GROUP BY order_key) WHERE n = 1"));
    }

    [Fact]
    public void Import_BundledSlice_MatchesCountsOfTheSlice()
    {
        using var store = new TestStore();
        var summary = store.Import(new GroceriesImporter(), Fixture);

        Assert.Equal(169 + 380, summary.RowsRead);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted);
        Assert.Equal(100, summary.Tables["orders"]);
        Assert.Equal(380, summary.Tables["events"]);
        Assert.Equal(169, summary.Tables["items"]);
        Assert.Equal(99, store.Count("SELECT count(DISTINCT item_key) FROM events"));
        Assert.Equal(25, store.Count("SELECT count(*) FROM events JOIN items USING (item_key) WHERE item_id = 'whole milk'"));
        Assert.Equal(4, store.Count("SELECT count(*) FROM events JOIN items USING (item_key) WHERE item_id = 'cream cheese'"));
        Assert.Equal(133, EventsInTopCategory(store, "fresh products"));
        Assert.Equal(4, EventsInTopCategory(store, "perfumery"));
    }

    [Fact]
    public void Import_BadBasketRows_AreQuarantinedWithoutWritingAnything()
    {
        using var store = new TestStore();
        var folder = Path.Combine(store.Folder, "groceries");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Fixture, "groceries_item_info.csv.gz"), Path.Combine(folder, "groceries_item_info.csv.gz"));
        WriteGzip(Path.Combine(folder, "groceries_long.csv.gz"), string.Join('\n', [
            "basket_id,item",
            "1,whole milk",
            "1,cream cheese ",
            "x,whole milk",
            "2,",
            "0,yogurt",
            "3,yogurt,extra",
            "4,butter",
            string.Empty,
        ]));

        var summary = store.Import(new GroceriesImporter(), folder);

        Assert.Equal(169 + 7, summary.RowsRead);
        Assert.Equal(4, summary.RowsQuarantined);
        Assert.Equal(summary.RowsRead, summary.RowsAccepted + summary.RowsQuarantined);
        Assert.Equal(3, store.Count("SELECT count(*) FROM events"));
        Assert.Equal("1,4", store.Query("SELECT string_agg(order_id, ',' ORDER BY order_id) AS o FROM orders")[0]["o"]);
        Assert.Equal("4,5,6,7", store.Query("SELECT string_agg(line::VARCHAR, ',' ORDER BY line) AS l FROM quarantine")[0]["l"]);
        Assert.Equal(169, store.Count("SELECT count(*) FROM items"));
    }

    private static long EventsInTopCategory(TestStore store, string category) =>
        store.Count($"SELECT count(*) FROM events JOIN items USING (item_key) WHERE split_part(category_path, ' > ', 1) = '{category}'");

    private static void WriteGzip(string path, string text)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(text));
    }
}
