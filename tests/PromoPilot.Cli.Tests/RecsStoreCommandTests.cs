using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

/// <summary>recs train / recs recommend on the quickstart sample: versioned models in the store, marked fallbacks.</summary>
public sealed class RecsStoreCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Db { get; }

    public RecsStoreCommandTests()
    {
        Db = Path.Combine(_folder.Path, "store.duckdb");
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");
        Assert.Equal(0, Run("import", "--kind", "online-retail", "--input", sample, "--db", Db).Code);
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Train_ItemKnn_StoresAVersionedModelWithMetadataAndHoldoutMetrics()
    {
        var (code, stdout, stderr) = Run("recs", "train", "--db", Db, "--algo", "itemknn", "--param", "neighbors=50", "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal("itemknn", root.GetProperty("algo").GetString());
        Assert.Equal("online_retail", root.GetProperty("dataset").GetString());
        Assert.Equal(50, root.GetProperty("parameters").GetProperty("neighbors").GetInt32());
        Assert.True(root.GetProperty("content_fallback").GetBoolean());
        var metrics = root.GetProperty("metrics");
        Assert.Equal(30, metrics.GetProperty("holdout_days").GetInt32());
        Assert.True(metrics.GetProperty("evaluated_users").GetInt32() > 50);
        Assert.InRange(metrics.GetProperty("ndcg").GetDouble(), 0, 1);
        // On this sample item-kNN finds more of the next month's new purchases than most-popular does.
        Assert.True(metrics.GetProperty("ndcg").GetDouble() > metrics.GetProperty("popular_ndcg").GetDouble());
        var file = Path.Combine(_folder.Path, root.GetProperty("path").GetString()!);
        Assert.True(File.Exists(file));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(file)!, "metadata.json")));
        Assert.StartsWith("store.recs", root.GetProperty("path").GetString(), StringComparison.Ordinal);

        using var store = DuckDbStore.Open(Db);
        var row = store.Query("SELECT version, algo, users, items, interactions, data_from, data_to, json_extract(metrics, '$.ndcg') AS ndcg FROM recs_models")[0];
        Assert.Equal(1, row["version"]);
        Assert.Equal("itemknn", row["algo"]);
        Assert.Equal(root.GetProperty("users").GetInt32(), row["users"]);
        Assert.Equal(root.GetProperty("items").GetInt32(), row["items"]);
        var events = Count(store, """
            SELECT count(*) FROM (SELECT DISTINCT e.user_key, e.item_key FROM events e JOIN items i ON i.item_key = e.item_key
            WHERE e.event_type = 5 AND e.user_key IS NOT NULL AND coalesce(i.is_product, true))
            """);
        Assert.Equal(events, (long)row["interactions"]!);
        Assert.True((DateTime)row["data_from"]! < (DateTime)row["data_to"]!);
    }

    [Fact]
    public void Train_WeightsAndRepeats_AreRecordedInTheParametersAndChangeTheMatrix()
    {
        var (code, stdout, stderr) = Run("recs", "train", "--db", Db, "--algo", "hybrid", "--weight", "purchase=2", "--repeats", "sum", "--holdout-days", "0", "--json");

        Assert.True(code == 0, stderr);
        var parameters = JsonDocument.Parse(stdout).RootElement.GetProperty("parameters");
        Assert.Equal(2, parameters.GetProperty("event_weights").GetProperty("purchase").GetDouble());
        Assert.Equal(1, parameters.GetProperty("event_weights").GetProperty("view").GetDouble());
        Assert.Equal("sum", parameters.GetProperty("repeats").GetString());
        var members = parameters.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("algo").GetString()).ToList();
        Assert.Equal(["ease", "itemknn", "content", "pop"], members);
    }

    [Fact]
    public void Train_Twice_IncrementsTheVersionAndRecommendUsesTheLatest()
    {
        Assert.Equal(0, Run("recs", "train", "--db", Db, "--algo", "pop", "--holdout-days", "0", "--json").Code);
        var (code, stdout, _) = Run("recs", "train", "--db", Db, "--algo", "itemknn", "--holdout-days", "0", "--json");
        Assert.Equal(0, code);
        Assert.Equal(2, JsonDocument.Parse(stdout).RootElement.GetProperty("version").GetInt32());

        var latest = JsonDocument.Parse(Run("recs", "recommend", "--db", Db, "--user", "12583", "-n", "3", "--json").Stdout).RootElement;
        var first = JsonDocument.Parse(Run("recs", "recommend", "--db", Db, "--user", "12583", "-n", "3", "--version", "1", "--json").Stdout).RootElement;

        Assert.Equal(2, latest.GetProperty("version").GetInt32());
        Assert.Equal("itemknn", latest.GetProperty("algo").GetString());
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        Assert.Equal("pop", first.GetProperty("algo").GetString());
    }

    [Fact]
    public void Recommend_KnownUser_ListsTitledItemsTheyHaveNotBought()
    {
        Assert.Equal(0, Run("recs", "train", "--db", Db, "--algo", "itemknn", "--holdout-days", "0").Code);

        var (code, stdout, stderr) = Run("recs", "recommend", "--db", Db, "--user", "12583", "-n", "10", "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.True(root.GetProperty("known_user").GetBoolean());
        Assert.False(root.GetProperty("cold_start").GetBoolean());
        Assert.Equal("itemknn", root.GetProperty("source").GetString());
        Assert.True(!root.TryGetProperty("fallback", out var fallback) || fallback.ValueKind == JsonValueKind.Null);
        var items = root.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(10, items.Count);
        var scores = items.Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("title").GetString())));

        using var store = DuckDbStore.Open(Db);
        var bought = store.Query($"""
            SELECT DISTINCT i.item_id FROM events e JOIN users u ON u.user_key = e.user_key JOIN items i ON i.item_key = e.item_key
            WHERE e.event_type = 5 AND coalesce(i.is_product, true) AND u.user_id = '{root.GetProperty("user_id").GetString()}'
            """).Select(r => (string)r["item_id"]!).ToHashSet();
        Assert.True(bought.Count > 5);
        Assert.Equal(bought.Count, root.GetProperty("excluded_items").GetInt32());
        Assert.All(items, i => Assert.DoesNotContain(i.GetProperty("item_id").GetString()!, bought));

        var withBought = JsonDocument.Parse(Run("recs", "recommend", "--db", Db, "--user", "12583", "-n", "200", "--exclude", "none", "--json").Stdout).RootElement;
        Assert.Contains(withBought.GetProperty("items").EnumerateArray(), i => bought.Contains(i.GetProperty("item_id").GetString()!));
    }

    [Fact]
    public void Recommend_UnknownUser_GetsThePopularFallbackClearlyMarked()
    {
        Assert.Equal(0, Run("recs", "train", "--db", Db, "--algo", "itemknn", "--holdout-days", "0").Code);

        var (code, stdout, _) = Run("recs", "recommend", "--db", Db, "--user", "no-such-customer", "-n", "5", "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("popular", root.GetProperty("fallback").GetString());
        Assert.True(root.GetProperty("cold_start").GetBoolean());
        Assert.False(root.GetProperty("known_user").GetBoolean());
        Assert.False(root.GetProperty("user_in_store").GetBoolean());
        Assert.Equal(5, root.GetProperty("items").GetArrayLength());
        var scores = root.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public void Train_Content_RecommendsFromTitles()
    {
        var (code, stdout, stderr) = Run("recs", "train", "--db", Db, "--algo", "content", "--cold-items", "--holdout-days", "0", "--json");
        Assert.True(code == 0, stderr);
        Assert.False(JsonDocument.Parse(stdout).RootElement.GetProperty("content_fallback").GetBoolean());

        var root = JsonDocument.Parse(Run("recs", "recommend", "--db", Db, "--user", "12583", "-n", "5", "--json").Stdout).RootElement;

        Assert.Equal("content", root.GetProperty("source").GetString());
        Assert.False(root.GetProperty("cold_start").GetBoolean()); // content is the model here, not a fallback
        Assert.Equal(5, root.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData(new[] { "recs", "train", "--algo", "nope" }, "unknown algorithm 'nope'")]
    [InlineData(new[] { "recs", "train", "--algo", "ease", "--param", "lambda=0" }, "Lambda")]
    [InlineData(new[] { "recs", "train", "--algo", "itemknn", "--param", "colour=red" }, "colour")]
    [InlineData(new[] { "recs", "train", "--algo", "itemknn", "--holdout-days", "-1" }, "--holdout-days")]
    [InlineData(new[] { "recs", "train", "--algo", "itemknn", "--weight", "purchase=-2" }, "--weight purchase=-2")]
    [InlineData(new[] { "recs", "train", "--algo", "itemknn", "--weight", "purchase=0" }, "weight 0")]
    [InlineData(new[] { "recs", "train", "--algo", "itemknn", "--repeats", "twice" }, "--repeats")]
    [InlineData(new[] { "recs", "train", "--algo", "itemknn", "--dataset", "movielens" }, "--dataset 'movielens'")]
    [InlineData(new[] { "recs", "recommend", "--user", "12583" }, "run promopilot recs train first")]
    [InlineData(new[] { "recs", "recommend", "--user", "12583", "-n", "0" }, "-n must be positive")]
    [InlineData(new[] { "recs", "recommend", "--user", "12583", "--exclude", "everything" }, "--exclude 'everything'")]
    public void BadInput_ExitsOneNamingTheProblem(string[] args, string expected)
    {
        var (code, stdout, stderr) = Run([.. args, "--db", Db, "--json"]);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EvalDb_Pop_PrintsTheEvalFields()
    {
        var (code, stdout, stderr) = Run("recs", "eval", "--db", Db, "--algo", "pop", "--holdout-days", "30", "--k", "10", "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        foreach (var name in new[] { "algo", "k", "precision", "recall", "ndcg", "map", "coverage", "fit_seconds", "predict_seconds", "users", "items" })
        {
            Assert.True(root.TryGetProperty(name, out _), name);
        }

        // Most-popular is the baseline it is compared with: the same number.
        Assert.Equal(root.GetProperty("popular_ndcg").GetDouble(), root.GetProperty("ndcg").GetDouble(), 12);
    }
}

public sealed class RecsTuneCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void TrainTune_ItemKnn_RecordsTheGridAndStoresTheChosenParameters()
    {
        var db = Path.Combine(_folder.Path, "store.duckdb");
        var sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");
        Assert.Equal(0, Run("import", "--kind", "online-retail", "--input", sample, "--db", db).Code);

        var (code, stdout, stderr) = Run("recs", "train", "--db", db, "--algo", "itemknn", "--param", "weighting=none", "--tune", "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        var tuning = root.GetProperty("metrics").GetProperty("tuning");
        var candidates = tuning.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(4, candidates.Count); // neighbours 25, 50, 100, 200; weighting fixed by --param
        Assert.All(candidates, c => Assert.Equal("none", c.GetProperty("parameters").GetProperty("weighting").GetString()));
        var best = candidates.MaxBy(c => c.GetProperty("ndcg").GetDouble());
        var chosen = tuning.GetProperty("chosen").GetProperty("neighbors").GetString();
        Assert.Equal(best.GetProperty("parameters").GetProperty("neighbors").GetString(), chosen);
        Assert.Equal(int.Parse(chosen!, System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("parameters").GetProperty("neighbors").GetInt32());
        Assert.Contains("2011-10-10 to 2011-11-09", tuning.GetProperty("validation").GetString(), StringComparison.Ordinal); // the window before the test window

        using var store = DuckDbStore.Open(db);
        var stored = store.Query("SELECT json_extract_string(parameters, '$.neighbors') AS n, json_extract_string(metrics, '$.tuning.chosen.neighbors') AS c FROM recs_models")[0];
        Assert.Equal(chosen, stored["n"]);
        Assert.Equal(chosen, stored["c"]);
    }
}

public sealed class RecsDegenerateInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Train_StoreWithoutInteractions_ExitsOneSayingSo()
    {
        var db = Path.Combine(_folder.Path, "empty.duckdb");
        DuckDbStore.Open(db).Dispose();

        var (code, stdout, stderr) = Run("recs", "train", "--db", db, "--algo", "pop", "--json");

        Assert.Equal(1, code);
        Assert.Contains("no interactions", stderr, StringComparison.Ordinal);
        Assert.Contains("no interactions", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_NeitherInputNorDb_ExitsOneNamingBoth()
    {
        var (code, _, stderr) = Run("recs", "eval", "--algo", "pop", "--json");

        Assert.Equal(1, code);
        Assert.Contains("--input", stderr, StringComparison.Ordinal);
        Assert.Contains("--db", stderr, StringComparison.Ordinal);
    }
}
