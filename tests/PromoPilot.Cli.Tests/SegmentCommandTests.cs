using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

public sealed class SegmentCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _db;

    public SegmentCommandTests()
    {
        _db = Path.Combine(_temp.Path, "store.duckdb");
        Run("import", "--kind", "online-retail", "--input", Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz"), "--db", _db);
        Run("profile", "build", "--db", _db);
    }

    [Fact]
    public void Segment_AutoK_AssignsEveryProfiledCustomerAndSuppressesSmallSegments()
    {
        var (code, stdout, _) = Run("segment", "--db", _db, "--min-group-size", "20", "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var k = root.GetProperty("k").GetInt32();
        Assert.InRange(k, 2, 8);
        Assert.Equal(7, root.GetProperty("scores").GetArrayLength());   // k = 2..8 tried
        var segments = root.GetProperty("segments").EnumerateArray().ToList();
        Assert.Equal(k, segments.Count);
        Assert.All(segments, s => Assert.True(s.GetProperty("suppressed").GetBoolean() || s.GetProperty("size").GetInt64() >= 20));
        Assert.All(segments.Where(s => s.GetProperty("suppressed").GetBoolean()), s => Assert.False(s.TryGetProperty("feature_means", out _)));
        Assert.Equal(segments.Count, segments.Select(s => s.GetProperty("name").GetString()).Distinct().Count());
        using var store = DuckDbStore.Open(_db);
        var runId = root.GetProperty("run_id").GetInt32();
        Assert.Equal(Count(store, "SELECT count(*) FROM customer_profiles"), Count(store, $"SELECT count(*) FROM customer_segments WHERE run_id = {runId}"));
    }

    [Fact]
    public void Segment_SameSeedTwice_GivesTheSameMembership()
    {
        Run("segment", "--db", _db, "--k", "4", "--seed", "7");
        Run("segment", "--db", _db, "--k", "4", "--seed", "7");

        using var store = DuckDbStore.Open(_db);
        Assert.Equal(0, Count(store, """
            SELECT count(*) FROM customer_segments a JOIN customer_segments b USING (user_key)
            WHERE a.run_id = 1 AND b.run_id = 2 AND a.segment_id <> b.segment_id
            """));
    }

    [Fact]
    public void Segment_Rule_MatchesWhatSqlFindsInTheStoredProfiles()
    {
        var (code, stdout, _) = Run("segment", "--db", _db, "--rule", "recency_days > 90 and (frequency >= 2 or monetary > 500)", "--json");

        Assert.Equal(0, code);
        using var store = DuckDbStore.Open(_db);
        var expected = Count(store, "SELECT count(*) FROM customer_profiles WHERE recency_days > 90 AND (frequency >= 2 OR monetary > 500)");
        Assert.True(expected >= 10, "the check needs a group above the suppression threshold");
        Assert.Equal(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("matched").GetInt64());
    }

    [Fact]
    public void Segment_RuleWithAnUnknownField_NamesItAndSuggestsTheRightOne()
    {
        var (code, _, stderr) = Run("segment", "--db", _db, "--rule", "recncy_days > 90");

        Assert.Equal(1, code);
        Assert.Contains("column 1: unknown field 'recncy_days' (did you mean 'recency_days'?)", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();


}
