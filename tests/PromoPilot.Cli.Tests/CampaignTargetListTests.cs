using System.Globalization;
using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

/// <summary>campaign optimize --save stores the optimizer's chosen users; campaign launch assigns treatment and holdout over exactly them.</summary>
public sealed class CampaignTargetListTests : IDisposable
{
    private const string Campaign = """
        {
          "id": "lean",
          "name": "Lean coupons",
          "ends": "2099-01-31T00:00:00Z",
          "audience": "recency_days > 30",
          "budget": 1000,
          "offers": [
            { "id": "ten", "type": "percent_off", "percent": 0.1, "cap": 20 },
            { "id": "five", "type": "amount_off", "amount": 5, "minimum_basket": 50 }
          ]
        }
        """;

    private readonly TempFolder _temp = new();
    private readonly string _db;

    public CampaignTargetListTests()
    {
        _db = Path.Combine(_temp.Path, "store.duckdb");
        Run("import", "--kind", "online-retail", "--input", Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz"), "--db", _db);
        Run("profile", "build", "--db", _db);
        var file = Path.Combine(_temp.Path, "lean.json");
        File.WriteAllText(file, Campaign);
        Run("campaign", "create", "--file", file, "--db", _db);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Launch_AfterOptimizeSave_ExposesExactlyTheChosenUsersWithTheHoldoutShare()
    {
        const double budget = 60;
        var (code, stdout, stderr) = Run("campaign", "optimize", "lean", "--budget", budget.ToString(CultureInfo.InvariantCulture), "--save", "--actor", "ana", "--db", _db, "--json");

        Assert.True(code == 0, stderr);
        var plan = JsonDocument.Parse(stdout).RootElement;
        Assert.True(plan.GetProperty("saved").GetBoolean());
        var chosen = plan.GetProperty("users_targeted").GetInt32();
        Assert.InRange(chosen, 30, plan.GetProperty("targeted").GetInt32() - 1); // the budget binds: the list is a strict part of the audience

        Assert.Equal(0, Run("campaign", "approve", "lean", "--without-forecast", "--db", _db).Code);
        var (launched, report, launchError) = Run("campaign", "launch", "lean", "--holdout", "0.2", "--db", _db, "--json");

        Assert.True(launched == 0, launchError);
        var launch = JsonDocument.Parse(report).RootElement;
        Assert.Equal("target_list", launch.GetProperty("audience_source").GetString());
        Assert.Equal(chosen, launch.GetProperty("targeted").GetInt32());
        using var store = DuckDbStore.Open(_db);
        var list = store.Query("SELECT user_key, offer_id, expected_cost FROM campaign_target_lists WHERE campaign_id = 'lean'");
        var key = launch.GetProperty("campaign_key").GetInt32();
        var exposures = store.Query($"SELECT user_key, is_control FROM exposures WHERE campaign_key = {key}");
        var listed = list.Select(r => Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal(chosen, listed.Count);
        Assert.Equal(exposures.Count, listed.Count);
        Assert.True(listed.SetEquals(exposures.Select(r => Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture))));

        // Budget: the chosen users' expected cost is the plan's spend, within the budget; offers are the campaign's.
        var spend = list.Sum(r => Convert.ToDouble(r["expected_cost"], CultureInfo.InvariantCulture));
        Assert.Equal(plan.GetProperty("spend").GetDouble(), spend, 3);
        Assert.True(spend <= budget + 1e-6, $"spend {spend} over budget {budget}");
        Assert.All(list, r => Assert.Contains((string)r["offer_id"]!, new[] { "ten", "five" }));
        foreach (var offer in plan.GetProperty("plan").EnumerateArray())
        {
            Assert.Equal(offer.GetProperty("users").GetInt64(), list.LongCount(r => (string)r["offer_id"]! == offer.GetProperty("offer").GetString()));
        }

        // Holdout share near 0.2: within 3 binomial standard errors of the chosen count.
        var held = exposures.Count(r => (bool)r["is_control"]!);
        Assert.Equal(held, launch.GetProperty("holdout").GetInt32());
        Assert.InRange((double)held / chosen, 0.2 - (3 * Math.Sqrt(0.16 / chosen)), 0.2 + (3 * Math.Sqrt(0.16 / chosen)));

        var audit = store.Query("SELECT action, actor, from_status, to_status FROM campaign_audit WHERE campaign_id = 'lean' ORDER BY version");
        Assert.Equal(["create", "target", "approve", "launch"], audit.Select(a => (string)a["action"]!));
        Assert.Equal("ana", audit[1]["actor"]);
        Assert.Equal(audit[1]["from_status"], audit[1]["to_status"]);
    }

    [Fact]
    public void Launch_IgnoreTargetList_TargetsTheWholeAudience()
    {
        Assert.Equal(0, Run("campaign", "optimize", "lean", "--budget", "60", "--save", "--db", _db).Code);
        Assert.Equal(0, Run("campaign", "approve", "lean", "--without-forecast", "--db", _db).Code);

        var (code, stdout, stderr) = Run("campaign", "launch", "lean", "--ignore-target-list", "--db", _db, "--json");

        Assert.True(code == 0, stderr);
        var launch = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("audience", launch.GetProperty("audience_source").GetString());
        using var store = DuckDbStore.Open(_db);
        Assert.Equal(Count(store, "SELECT count(*) FROM customer_profiles WHERE version = 1 AND recency_days > 30"), launch.GetProperty("targeted").GetInt64());
        Assert.True(launch.GetProperty("targeted").GetInt64() > Count(store, "SELECT count(*) FROM campaign_target_lists WHERE campaign_id = 'lean'"));
    }

    [Fact]
    public void OptimizeSave_LiveCampaignOrEmptyPlan_IsRefusedAndSavesNothing()
    {
        var (empty, _, emptyError) = Run("campaign", "optimize", "lean", "--budget", "0", "--save", "--db", _db);
        Assert.Equal(1, empty);
        Assert.Contains("nothing was saved", emptyError, StringComparison.Ordinal);

        Assert.Equal(0, Run("campaign", "approve", "lean", "--without-forecast", "--db", _db).Code);
        Assert.Equal(0, Run("campaign", "launch", "lean", "--db", _db).Code);
        var (live, _, liveError) = Run("campaign", "optimize", "lean", "--budget", "60", "--save", "--db", _db);

        Assert.Equal(1, live);
        Assert.Contains("is live", liveError, StringComparison.Ordinal);
        using var store = DuckDbStore.Open(_db);
        Assert.Equal(0, Count(store, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'campaign_target_lists'"));
        Assert.DoesNotContain("target", store.Query("SELECT action FROM campaign_audit WHERE campaign_id = 'lean'").Select(r => (string)r["action"]!));
    }
}
