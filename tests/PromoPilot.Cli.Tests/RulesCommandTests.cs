using System.Globalization;
using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

/// <summary>promopilot rules on the bundled online_retail sample, checked against counts taken directly in SQL.</summary>
public sealed class RulesCommandTests : IDisposable
{
    /// <summary>Each order's distinct purchased products, by the dataset's item id (the definition of a basket).</summary>
    private const string Baskets = """
        SELECT DISTINCT e.order_key, i.item_id FROM events e JOIN items i ON i.item_key = e.item_key
        WHERE e.event_type = 5 AND i.is_product AND e.order_key IS NOT NULL
        """;

    private readonly TempFolder _temp = new();
    private readonly string _db;
    private readonly string _sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");

    public RulesCommandTests()
    {
        _db = Path.Combine(_temp.Path, "store.duckdb");
    }

    [Fact]
    public void Rules_Json_EveryRuleMeetsThresholdsAndMatchesDirectCounts()
    {
        Assert.Equal(0, Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db).Code);

        var (code, stdout, stderr) = Run("rules", "--db", _db, "--min-support", "0.02", "--min-confidence", "0.3", "--top", "40", "--dataset", "online_retail", "--json");

        Assert.Equal(0, code);
        Assert.Contains("stored as run 1", stderr, StringComparison.Ordinal);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(
            ["run_id", "dataset", "baskets", "items", "frequent_itemsets", "rules_found", "rules", "seconds"],
            root.EnumerateObject().Select(p => p.Name));
        using var store = DuckDbStore.Open(_db);
        var baskets = Count(store, $"SELECT count(DISTINCT order_key) FROM ({Baskets})");
        Assert.Equal(baskets, root.GetProperty("baskets").GetInt64());
        Assert.Equal(Count(store, $"SELECT count(DISTINCT item_id) FROM ({Baskets})"), root.GetProperty("items").GetInt64());
        Assert.True(root.GetProperty("frequent_itemsets").GetInt64() > 0);
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        var rules = root.GetProperty("rules").EnumerateArray().ToList();
        var found = root.GetProperty("rules_found").GetInt32();
        Assert.Equal(Math.Min(40, found), rules.Count);
        Assert.True(rules.Count >= 10, $"the sample gives enough rules to check ({rules.Count})");

        var previousLift = double.PositiveInfinity;
        foreach (var rule in rules)
        {
            var antecedent = rule.GetProperty("antecedent").EnumerateArray().Select(i => i.GetString()!).ToArray();
            var consequent = rule.GetProperty("consequent").EnumerateArray().Select(i => i.GetString()!).ToArray();
            var (support, confidence, lift) = (rule.GetProperty("support").GetDouble(), rule.GetProperty("confidence").GetDouble(), rule.GetProperty("lift").GetDouble());
            Assert.NotEmpty(antecedent);
            Assert.NotEmpty(consequent);
            Assert.Empty(antecedent.Intersect(consequent));
            Assert.True(confidence >= 0.3, $"confidence {confidence}");
            Assert.True(support >= 0.02, $"support {support}");
            Assert.True(lift <= previousLift, "rules come by descending lift");
            previousLift = lift;

            // The definitions, from baskets counted in SQL.
            double both = Holding(store, [.. antecedent, .. consequent]), a = Holding(store, antecedent), c = Holding(store, consequent);
            Assert.Equal(both / baskets, support, 12);
            Assert.Equal(both / a, confidence, 12);
            Assert.Equal(both / a / (c / baskets), lift, 9);
        }

        var stored = store.Query("SELECT count(*) AS n, min(rank) AS lo, max(rank) AS hi FROM association_rules WHERE run_id = 1")[0];
        Assert.Equal((long)found, stored["n"]);
        Assert.Equal(found, Convert.ToInt32(stored["hi"], CultureInfo.InvariantCulture));
        var run = store.Query("SELECT dataset, baskets, rules, min_support, min_confidence FROM association_rule_runs WHERE run_id = 1")[0];
        Assert.Equal("online_retail", run["dataset"]);
        Assert.Equal(baskets, run["baskets"]);
        Assert.Equal((long)found, run["rules"]);
        Assert.Equal(0.02, run["min_support"]);
    }

    [Fact]
    public void Rules_SecondRun_GetsTheNextRunIdAndStricterThresholdsKeepASubset()
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);

        var loose = JsonDocument.Parse(Run("rules", "--db", _db, "--min-support", "0.02", "--min-confidence", "0.3", "--top", "1000", "--json").Stdout).RootElement;
        var strict = JsonDocument.Parse(Run("rules", "--db", _db, "--min-support", "0.02", "--min-confidence", "0.6", "--min-lift", "10", "--top", "1000", "--json").Stdout).RootElement;

        Assert.Equal(1, loose.GetProperty("run_id").GetInt32());
        Assert.Equal(2, strict.GetProperty("run_id").GetInt32());
        var looseRules = Keys(loose);
        var strictRules = Keys(strict);
        Assert.NotEmpty(strictRules);
        Assert.True(strictRules.Count < looseRules.Count);
        Assert.Subset(looseRules, strictRules);
        Assert.All(strict.GetProperty("rules").EnumerateArray(), r =>
        {
            Assert.True(r.GetProperty("confidence").GetDouble() >= 0.6);
            Assert.True(r.GetProperty("lift").GetDouble() >= 10);
        });
    }

    [Theory]
    [InlineData(new[] { "--min-support", "1.5" }, "--min-support 1.5")]
    [InlineData(new[] { "--min-confidence", "-0.1" }, "--min-confidence -0.1")]
    [InlineData(new[] { "--top", "-1" }, "--top")]
    [InlineData(new[] { "--dataset", "nonsense" }, "no orders with purchased products in dataset 'nonsense'")]
    public void Rules_WithUserMistake_ExitsNonZeroWithOneJsonError(string[] args, string expected)
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);

        var (code, stdout, stderr) = Run(["rules", "--db", _db, .. args, "--json"]);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_NoStore_SaysSo()
    {
        var (code, _, stderr) = Run("rules", "--db", Path.Combine(_temp.Path, "absent.duckdb"));

        Assert.Equal(1, code);
        Assert.Contains("no store here", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "absent.duckdb")));
    }

    public void Dispose() => _temp.Dispose();

    private static HashSet<string> Keys(JsonElement result) =>
        [.. result.GetProperty("rules").EnumerateArray().Select(r => $"{r.GetProperty("antecedent")}=>{r.GetProperty("consequent")}")];

    /// <summary>Baskets holding every one of the items.</summary>
    private static long Holding(DuckDbStore store, string[] items)
    {
        var list = string.Join(", ", items.Select(i => "'" + i.Replace("'", "''", StringComparison.Ordinal) + "'"));
        return Count(store, $"SELECT count(*) FROM (SELECT order_key FROM ({Baskets}) WHERE item_id IN ({list}) GROUP BY order_key HAVING count(*) = {items.Length})");
    }


}
