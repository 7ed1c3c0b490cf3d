using System.IO.Compression;
using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

public sealed class ForgetTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");

    [Fact]
    public void Forget_Customer_LeavesNoRowAboutThemAndKeepsEveryoneElse()
    {
        var db = Path.Combine(_temp.Path, "store.duckdb");
        var badRow = Path.Combine(_temp.Path, "bad.csv");
        var rawId = FirstCustomerId();
        // A quarantined row of the same customer: it shows their pseudonym, so it must go too.
        File.WriteAllText(badRow, $"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n999999,X1,THING,lots,2011-01-01 10:00:00,1.00,{rawId},United Kingdom\n");
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", db);
        Run("import", "--kind", "online-retail", "--input", badRow, "--db", db);
        Run("profile", "build", "--db", db);
        var (before, rowsOfCustomer, pseudonym) = Snapshot(db, rawId);

        var (code, stdout, _) = Run("forget", "--user", rawId, "--db", db, "--json");

        Assert.Equal(0, code);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.True(result.GetProperty("found").GetBoolean());
        Assert.Equal(pseudonym, result.GetProperty("pseudonym").GetString());
        using var store = DuckDbStore.Open(db);
        foreach (var (table, column) in TextAndKeyColumns(store))
        {
            var remaining = column == "user_key"
                ? Count(store, $"SELECT count(*) FROM {table} WHERE user_key IN (SELECT unnest($keys))", ("keys", rowsOfCustomer.Keys))
                : Count(store, $"SELECT count(*) FROM {table} WHERE contains(CAST(\"{column}\" AS VARCHAR), $p)", ("p", pseudonym));
            Assert.True(remaining == 0, $"{table}.{column} still has {remaining} rows about the customer");
        }

        Assert.Equal(before.Events - rowsOfCustomer.Events, Count(store, "SELECT count(*) FROM events"));
        Assert.Equal(before.Users - 1, Count(store, "SELECT count(*) FROM users"));
        Assert.Equal(before.Profiles - 1, Count(store, "SELECT count(*) FROM customer_profiles"));
        Assert.Equal(0, Count(store, "SELECT count(*) FROM quarantine"));
    }

    [Fact]
    public void Forget_UnknownCustomer_DeletesNothing()
    {
        var db = Path.Combine(_temp.Path, "store.duckdb");
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", db);

        var (code, stdout, _) = Run("forget", "--user", "no-such-customer", "--db", db, "--json");

        Assert.Equal(0, code);
        Assert.False(JsonDocument.Parse(stdout).RootElement.GetProperty("found").GetBoolean());
        using var store = DuckDbStore.Open(db);
        Assert.Equal(43_610, Count(store, "SELECT count(*) FROM events"));
    }

    public void Dispose() => _temp.Dispose();

    private ((long Events, long Users, long Profiles) Before, (long Events, int[] Keys) Customer, string Pseudonym) Snapshot(string db, string rawId)
    {
        var pseudonym = Ingestion.Pseudonymizer.FromKeySource(null, Path.GetFullPath(db) + ".key").Pseudonymize(rawId);
        using var store = DuckDbStore.Open(db);
        var keys = store.Query("SELECT user_key FROM users WHERE user_id = $p", ("p", pseudonym)).Select(r => (int)r["user_key"]!).ToArray();
        Assert.Single(keys);
        var customerEvents = Count(store, "SELECT count(*) FROM events WHERE user_key = $k OR order_key IN (SELECT order_key FROM orders WHERE user_key = $k)", ("k", keys[0]));
        Assert.True(customerEvents > 0);
        return ((Count(store, "SELECT count(*) FROM events"), Count(store, "SELECT count(*) FROM users"), Count(store, "SELECT count(*) FROM customer_profiles")),
            (customerEvents, keys), pseudonym);
    }

    /// <summary>Every user_key column, and every text or JSON column (where a pseudonym could be written).</summary>
    private static List<(string Table, string Column)> TextAndKeyColumns(DuckDbStore store) =>
        [.. store.Query("""
            SELECT c.table_name, c.column_name FROM information_schema.columns c
            JOIN information_schema.tables t USING (table_schema, table_name)
            WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' AND (c.column_name = 'user_key' OR c.data_type IN ('VARCHAR', 'JSON'))
            """).Select(r => ((string)r["table_name"]!, (string)r["column_name"]!))];


    private string FirstCustomerId()
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(_sample), CompressionMode.Decompress));
        reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            var id = line.Split(',')[^2];
            if (id.Length > 0)
            {
                return id;
            }
        }

        throw new InvalidOperationException("the sample has no customer");
    }

}
