using PromoPilot.Ingestion.Importers;
using PromoPilot.Ingestion.Mapping;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;

namespace PromoPilot.Ingestion.Tests.Mapping;

public class MappedImporterTests
{
    private const string ShopExport = """
        order;customer;email;sku;name;when;what;qty;price;segment
        A1;c-17;ann@example.com;sku-1;Mug;02/01/2024 10:15;buy;2;4,50;gold
        A1;c-17;ann@example.com;sku-2;Plate;02/01/2024 10:15;buy;1;7.25;gold
        ;c-18;bob@example.com;sku-1;Mug;03/01/2024 08:00;pv;1;;silver
        ;c-18;bob@example.com;sku-3;Bowl;03/01/2024 08:01;basket;1;3.10;silver
        A2;c-19;cy@example.com;sku-2;Plate;2024-01-04;buy;1;7.25;bronze
        A3;c-19;cy@example.com;sku-2;Plate;04/01/2024 09:00;buy;1;-7.25;bronze
        A4;c-20;dee@example.com;sku-4;Cup;05/01/2024 12:00;buy;1;2.00;gold

        """;

    private const string ShopMapping = """
        {
          // a comment is allowed
          "dataset": "my_shop",
          "delimiter": ";",
          "currency": "EUR",
          "timestamp_formats": ["dd/MM/yyyy HH:mm"],
          "columns": {"user_id": "customer", "item_id": "sku", "item_title": "name", "timestamp": "when",
                      "event_type": "what", "quantity": "qty", "unit_price": "price", "order_id": "order"},
          "value_maps": {"event_type": {"buy": "purchase", "pv": "view"}},
          "constants": {"channel": "web"},
          "user_attributes": ["segment"],
          "pii": ["email"],
          "drop": ["email"]
        }
        """;

    [Fact]
    public void Import_ShopExport_AcceptsValidRowsAndNamesTheColumnOfEachRejectedOne()
    {
        using var folder = new TempFolder();
        var (csv, mapping) = Write(folder, ShopExport, ShopMapping);
        using var store = new TestStore();

        var summary = store.Import(MappedImporter.Load(mapping), csv);

        Assert.Equal(7, summary.RowsRead);
        Assert.Equal(3, summary.RowsAccepted);
        Assert.Equal(4, summary.RowsQuarantined);
        var reasons = store.Query("SELECT line, column_name, reason FROM quarantine ORDER BY line")
            .Select(r => ((long)r["line"]!, (string?)r["column_name"], (string)r["reason"]!)).ToList();
        Assert.Equal([(2L, "price"), (5L, "what"), (6L, "when"), (7L, "price")], reasons.Select(r => (r.Item1, r.Item2)));
        Assert.Contains("'basket' is not a known event type", reasons[1].Item3, StringComparison.Ordinal);
        Assert.Contains("dd/MM/yyyy HH:mm", reasons[2].Item3, StringComparison.Ordinal);
        Assert.Contains("negative unit price", reasons[3].Item3, StringComparison.Ordinal);

        Assert.Equal(3, summary.Tables["events"]);
        Assert.Equal(3, summary.Tables["users"]);
        Assert.Equal(3, summary.Tables["items"]);
        Assert.Equal(2, summary.Tables["orders"]);
        Assert.Equal(2, store.Count("SELECT count(*) FROM events WHERE event_type = 5"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM events WHERE event_type = 1 AND unit_price IS NULL"));
        Assert.Equal(3, store.Count("SELECT count(*) FROM events WHERE channel = 1"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM items WHERE item_id = 'sku-2' AND title = 'Plate' AND price = 7.25 AND currency = 'EUR'"));
        Assert.Equal(1, store.Count($"SELECT count(*) FROM users WHERE user_id = '{store.Pseudonymizer.Pseudonymize("c-17")}' AND json_extract_string(attributes, '$.segment') = 'gold'"));
        Assert.Equal(0, store.Count("SELECT count(*) FROM quarantine WHERE raw LIKE '%@example.com%' OR raw LIKE '%c-1%'"));
        Assert.Equal(1, store.Count("SELECT count(*) FROM events WHERE ts = TIMESTAMP '2024-01-02 10:15:00'"));
    }

    [Theory]
    [InlineData("\"colums\": {}", "field colums: unknown field")]
    [InlineData("\"columns\": {\"user_id\": \"customer\"}", "field columns.event_type: required")]
    [InlineData("\"columns\": {\"user_id\": \"customer\", \"basket\": \"sku\"}, \"constants\": {\"event_type\": \"purchase\"}", "field columns.basket: unknown canonical field")]
    [InlineData("\"columns\": {\"user_id\": \"customer\"}, \"constants\": {\"event_type\": \"buy\"}", "field constants.event_type: 'buy' is not valid")]
    [InlineData("\"columns\": {\"user_id\": \"customer\"}, \"constants\": {\"event_type\": \"view\"}, \"pii\": [\"email\"]", "field pii.email: personal data must be dropped")]
    [InlineData("\"columns\": {\"user_id\": \"customer\"}, \"constants\": {\"event_type\": \"view\"}, \"currency\": \"euro\"", "field currency: 'euro' is not an ISO 4217 code")]
    [InlineData("\"columns\": {\"user_id\": 5}", "field columns.user_id:")]
    public void Load_MappingWithMistake_NamesFileAndField(string body, string expected)
    {
        using var folder = new TempFolder();
        var (_, mapping) = Write(folder, ShopExport, "{" + body + "}");

        var error = Assert.Throws<InvalidDataException>(() => MappedImporter.Load(mapping));

        Assert.Contains("mapping.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"quantity\": \"amount\"", "field columns.quantity: column 'amount' is not in export.csv")]
    [InlineData("\"item_id\": \"sku\"", "email")]
    public void Import_MappingThatDoesNotFitTheFile_NamesTheField(string extraColumn, string expected)
    {
        using var folder = new TempFolder();
        var pii = expected == "email" ? "" : ", \"pii\": [\"email\"], \"drop\": [\"email\"]";
        var (csv, mapping) = Write(folder, ShopExport, $$"""{"delimiter": ";", "columns": {"user_id": "customer", {{extraColumn}}}, "constants": {"event_type": "view"}{{pii}}}""");
        using var store = new TestStore();

        var error = Assert.Throws<InvalidDataException>(() => store.Import(MappedImporter.Load(mapping), csv));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, store.Count("SELECT count(*) FROM import_log"));
    }

    [Fact]
    public void Import_ParquetExportOfTheEventLog_RoundTripsEveryEvent()
    {
        using var folder = new TempFolder();
        using var source = new TestStore();
        source.Import(new OnlineRetailImporter(), Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz"));
        var parquet = Path.Combine(folder.Path, "event_log.parquet");
        var exported = StoreExport.Export(source.Store, "event_log", "parquet", parquet);
        var mapping = Path.Combine(folder.Path, "mapping.json");
        File.WriteAllText(mapping, """
            {"dataset": "roundtrip", "currency": "GBP",
             "columns": {"user_id": "user_id", "item_id": "item_id", "event_type": "event_type", "timestamp": "ts",
                         "quantity": "quantity", "unit_price": "unit_price", "order_id": "order_id", "channel": "channel"}}
            """);
        using var target = new TestStore();

        var summary = target.Import(MappedImporter.Load(mapping), parquet);

        Assert.Equal(43_610, exported);
        Assert.Equal(exported, summary.RowsRead);
        Assert.Equal(exported, summary.RowsAccepted);
        const string Fingerprint = "SELECT count(DISTINCT order_key) * 1000000 + sum(quantity * unit_price)::BIGINT FROM events";
        Assert.Equal(source.Count(Fingerprint), target.Count(Fingerprint));
        Assert.Equal(source.Count("SELECT count(*) FROM events WHERE event_type = 6"), target.Count("SELECT count(*) FROM events WHERE event_type = 6"));
        Assert.Equal(source.Count("SELECT count(*) FROM events WHERE user_key IS NULL"), target.Count("SELECT count(*) FROM events WHERE user_key IS NULL"));
    }

    private static (string Csv, string Mapping) Write(TempFolder folder, string csv, string mapping)
    {
        var csvPath = Path.Combine(folder.Path, "export.csv");
        var mappingPath = Path.Combine(folder.Path, "mapping.json");
        File.WriteAllText(csvPath, csv);
        File.WriteAllText(mappingPath, mapping);
        return (csvPath, mappingPath);
    }
}
