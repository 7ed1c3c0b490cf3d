using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Measurement.Experiments.Assignment;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

public sealed class CampaignWorkflowTests : IDisposable
{
    private const string Good = """
        {
          "id": "winter-26",
          "name": "Winter coupons",
          "ends": "2099-01-31T00:00:00Z",
          "audience": "recency_days > 30",
          "budget": 500,
          "offers": [
            { "id": "ten", "type": "percent_off", "percent": 0.1, "cap": 20 },
            { "id": "manjian", "type": "spend_threshold", "tiers": [ { "threshold": 300, "save": 20 }, { "threshold": 600, "save": 50 } ] },
            { "id": "five", "type": "amount_off", "amount": 5, "minimum_basket": 50 },
            { "id": "bags", "type": "bundle_price", "price": 9, "scope": { "items": ["bag-a", "bag-b"] } }
          ]
        }
        """;

    private const string Bad = """
        {
          "id": "bad",
          "name": "Bad",
          "starts": "2026-12-01T00:00:00Z",
          "ends": "2026-11-01T00:00:00Z",
          "audience": "recency > 30",
          "segment": "nonexistent",
          "budget": -10,
          "offers": [ { "id": "t", "type": "spend_threshold", "tiers": [ { "threshold": 300, "save": 20 }, { "threshold": 200, "save": 50 } ] } ]
        }
        """;

    private readonly TempFolder _temp = new();
    private readonly string _db;

    public CampaignWorkflowTests()
    {
        _db = Path.Combine(_temp.Path, "store.duckdb");
        Run("import", "--kind", "online-retail", "--input", Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz"), "--db", _db);
        Run("profile", "build", "--db", _db);
        Run("segment", "--db", _db, "--k", "3", "--seed", "1");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_BadFile_ListsEveryProblemAndChangesNothing()
    {
        var file = Write("bad.json", Bad);

        var (code, stdout, stderr) = Run("campaign", "create", "--file", file, "--db", _db, "--json");

        Assert.Equal(1, code);
        var problems = JsonDocument.Parse(stdout).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.EndsWith("ends: the window ends before it starts", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("budget: -10 is negative", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("tiers not increasing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("audience:", StringComparison.Ordinal) && p.Contains("'recency'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown segment 'nonexistent'", StringComparison.Ordinal));
        Assert.Contains("nothing was stored", stderr, StringComparison.Ordinal);
        using var store = DuckDbStore.Open(_db);
        Assert.Equal(0, Count(store, "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('campaign_definitions', 'campaign_audit')"));
    }

    [Fact]
    public void Create_BadFileWithoutAStore_DoesNotCreateOne()
    {
        var db = Path.Combine(_temp.Path, "absent.duckdb");

        var (code, stdout, _) = Run("campaign", "create", "--file", Write("bad.json", Bad), "--db", db, "--json");

        Assert.Equal(1, code);
        Assert.Equal(5, JsonDocument.Parse(stdout).RootElement.GetProperty("problems").GetArrayLength());
        Assert.False(File.Exists(db));
    }

    [Fact]
    public void Create_UnknownFieldOrDuplicateId_IsRejected()
    {
        var typo = Write("typo.json", Good.Replace("\"budget\"", "\"budgett\"", StringComparison.Ordinal));
        var (code, stdout, _) = Run("campaign", "create", "--file", typo, "--db", _db, "--json");
        Assert.Equal(1, code);
        Assert.Contains("line 6, field $.budgett", JsonDocument.Parse(stdout).RootElement.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);

        var good = Write("good.json", Good);
        Assert.Equal(0, Run("campaign", "create", "--file", good, "--db", _db).Code);
        var (again, output, _) = Run("campaign", "create", "--file", good, "--db", _db, "--json");
        Assert.Equal(1, again);
        Assert.Contains("exists already (version 1, draft)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Workflow_CreateApproveLaunch_AssignsEveryTargetedUserAndKeepsAnAuditTrail()
    {
        Assert.Equal(0, Run("campaign", "create", "--file", Write("good.json", Good), "--db", _db, "--actor", "ana").Code);
        var (refused, refusal, _) = Run("campaign", "launch", "winter-26", "--db", _db, "--json");
        Assert.Equal(1, refused);
        Assert.Contains("is draft: it cannot launch", refusal, StringComparison.Ordinal);
        Assert.Equal(1, Run("campaign", "approve", "winter-26", "--db", _db).Code); // no forecast yet
        Assert.Equal(0, Run("campaign", "approve", "winter-26", "--db", _db, "--without-forecast", "--actor", "lead").Code);

        var (code, stdout, stderr) = Run("campaign", "launch", "winter-26", "--holdout", "0.25", "--db", _db, "--actor", "ana", "--json");

        Assert.True(code == 0, stderr);
        var launch = JsonDocument.Parse(stdout).RootElement;
        using var store = DuckDbStore.Open(_db);
        var targeted = Count(store, "SELECT count(*) FROM customer_profiles WHERE version = 1 AND recency_days > 30");
        Assert.Equal(targeted, launch.GetProperty("targeted").GetInt64());
        Assert.Equal("live", launch.GetProperty("status").GetString());
        var key = launch.GetProperty("campaign_key").GetInt32();
        Assert.Equal(targeted, Count(store, $"SELECT count(DISTINCT user_key) FROM exposures WHERE campaign_key = {key}"));
        Assert.Equal(0, Count(store, $"SELECT count(*) FROM exposures e JOIN customer_profiles p USING (user_key) WHERE e.campaign_key = {key} AND p.recency_days <= 30"));

        // The holdout is the experiment assigner's: recompute every user's arm from its id.
        var assigner = new Assigner(new ExperimentDefinition("winter-26", [new VariantDefinition("treatment", 1)], Salt: "winter-26", Holdout: new HoldoutDefinition("winter-26/holdout", 0.25)));
        var rows = store.Query($"SELECT u.user_id, e.is_control FROM exposures e JOIN users u USING (user_key) WHERE e.campaign_key = {key}");
        Assert.All(rows, r => Assert.Equal(assigner.Assign((string)r["user_id"]!).Reason == AssignmentReason.Holdout, (bool)r["is_control"]!));
        var holdout = launch.GetProperty("holdout").GetInt64();
        var sd = Math.Sqrt(targeted * 0.25 * 0.75);
        Assert.InRange(holdout, (targeted * 0.25) - (4 * sd), (targeted * 0.25) + (4 * sd));

        // Audit: who, what, in order; the readout finds the campaign and its planned split.
        var audit = store.Query("SELECT action, from_status, to_status, actor, version FROM campaign_audit WHERE campaign_id = 'winter-26' ORDER BY version");
        Assert.Equal(["create", "approve", "launch"], audit.Select(a => (string)a["action"]!));
        Assert.Equal(["ana", "lead", "ana"], audit.Select(a => (string)a["actor"]!));
        Assert.Equal(["draft", "approved", "live"], audit.Select(a => (string)a["to_status"]!));
        var (readout, report, _) = Run("campaign", "readout", "winter-26", "--db", _db, "--json");
        Assert.Equal(0, readout);
        var arms = JsonDocument.Parse(report).RootElement.GetProperty("arms").EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("units").GetInt64());
        Assert.Equal(holdout, arms["holdout"]);
        Assert.Equal(targeted - holdout, arms["treatment"]);
        Assert.Equal("campaign attributes", JsonDocument.Parse(report).RootElement.GetProperty("planned_split").GetString());

        var (list, listed, _) = Run("campaign", "list", "--db", _db, "--json");
        Assert.Equal(0, list);
        var only = Assert.Single(JsonDocument.Parse(listed).RootElement.GetProperty("campaigns").EnumerateArray());
        Assert.Equal(3, only.GetProperty("version").GetInt32());
        Assert.Equal(0.25, only.GetProperty("holdout_fraction").GetDouble());
        Assert.Equal(1, Run("campaign", "launch", "winter-26", "--db", _db).Code); // live already
    }

    [Fact]
    public void Launch_Segment_TargetsItsMembersOnly()
    {
        using (var store = DuckDbStore.Open(_db))
        {
            var segment = (string)store.Query("SELECT segment_name FROM customer_segments WHERE run_id = 1 GROUP BY segment_name ORDER BY count(*) DESC LIMIT 1")[0]["segment_name"]!;
            var file = Write("seg.json", Good.Replace("\"audience\": \"recency_days > 30\"", $"\"segment\": \"{segment}\"", StringComparison.Ordinal));
            Assert.Equal(0, Run("campaign", "create", "--file", file, "--db", _db).Code);
        }

        Run("campaign", "approve", "winter-26", "--db", _db, "--without-forecast");
        var (code, stdout, stderr) = Run("campaign", "launch", "winter-26", "--holdout", "0", "--db", _db, "--json");

        Assert.True(code == 0, stderr);
        var launch = JsonDocument.Parse(stdout).RootElement;
        using var again = DuckDbStore.Open(_db);
        var key = launch.GetProperty("campaign_key").GetInt32();
        Assert.Equal(0, launch.GetProperty("holdout").GetInt64());
        Assert.Equal(0, Count(again, $"""
            SELECT count(*) FROM exposures e WHERE e.campaign_key = {key} AND e.user_key NOT IN
              (SELECT user_key FROM customer_segments WHERE run_id = 1 AND segment_name = (SELECT segment_name FROM customer_segments WHERE run_id = 1 GROUP BY segment_name ORDER BY count(*) DESC LIMIT 1))
            """));
        Assert.True(launch.GetProperty("targeted").GetInt64() > 0);
    }

    [Fact]
    public void Optimize_StaysWithinBudgetBeatsGreedyAndMeetsTheLpBound()
    {
        Assert.Equal(0, Run("campaign", "create", "--file", Write("good.json", Good), "--db", _db).Code);

        var (code, stdout, stderr) = Run("campaign", "optimize", "winter-26", "--budget", "300", "--db", _db, "--json");

        Assert.True(code == 0, stderr);
        var plan = JsonDocument.Parse(stdout).RootElement;
        Assert.True(plan.GetProperty("spend").GetDouble() <= 300 + 1e-6);
        Assert.True(plan.GetProperty("objective").GetDouble() >= plan.GetProperty("greedy_objective").GetDouble() - 1e-6);
        Assert.Equal("glop lp", plan.GetProperty("bound_source").GetString());
        Assert.True(plan.GetProperty("gap").GetDouble() <= 0.001);
        Assert.True(plan.GetProperty("objective").GetDouble() > 0);
        var offers = plan.GetProperty("plan").EnumerateArray().ToList();
        Assert.Equal(plan.GetProperty("users_targeted").GetInt64(), offers.Sum(o => o.GetProperty("users").GetInt64()));
        Assert.Equal(0, offers.Single(o => o.GetProperty("offer").GetString() == "bags").GetProperty("users").GetInt64());
        Assert.Equal("bags", plan.GetProperty("skipped_offers")[0].GetProperty("offer").GetString());
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, text);
        return path;
    }
}
