using System.Text.Json;
using PromoPilot.Cli.Tests.Support;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Cli.Tests;

public class DecideCommandTests
{
    private static string Sample => Path.Combine(AppContext.BaseDirectory, "samples", "hillstrom_sample.csv.gz");

    [Fact]
    public void FitEffectThenReplay_LoggedRequests_DecideWithTheModelAndTheStoresUsers()
    {
        using var folder = new TempFolder();
        var db = Path.Combine(folder.Path, "store.duckdb");
        Assert.Equal(0, CliRunner.Run("import", "--kind", "hillstrom", "--input", Sample, "--db", db).Code);
        var model = Path.Combine(folder.Path, "effect.json");

        var (code, stdout, stderr) = CliRunner.Run("decide", "fit-effect", "--db", db, "--campaign", "hillstrom_email_2008", "--outcome", "visit", "--out", model, "--json");
        Assert.True(code == 0, stderr);
        var fit = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(5000, fit.GetProperty("rows").GetInt32());
        Assert.True(fit.GetProperty("converged").GetBoolean());
        Assert.Equal(["history", "mens", "newbie", "recency", "womens"], fit.GetProperty("features").EnumerateArray().Select(f => f.GetString()));

        var campaigns = Path.Combine(folder.Path, "campaigns.json");
        File.WriteAllText(campaigns, """
            [{"id": "loyal", "name": "Loyal", "status": "live", "holdout_fraction": 0, "audience": "history > 500",
              "offers": [{"id": "ten", "type": "amount_off", "amount": 10}]}]
            """);
        var requests = Path.Combine(folder.Path, "requests.jsonl");
        // Row 3 of the sample (raw id "3") has history 180.65; row 1 has 142.44; "stranger" is not in the store.
        File.WriteAllLines(requests, ["{\"user_id\": \"stranger\", \"placement\": \"home\"}", "", "{\"user_id\": \"3\", \"placement\": \"home\", \"explain\": true}"]);

        (code, stdout, stderr) = CliRunner.Run("decide", "replay", "--db", db, "--campaigns", campaigns, "--requests", requests, "--effect-model", model, "--at", "2026-11-01T00:00:00Z");
        Assert.True(code == 0, stderr);
        var decisions = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, decisions.Count);
        Assert.False(decisions[0].GetProperty("known_user").GetBoolean());
        Assert.True(decisions[1].GetProperty("known_user").GetBoolean());
        Assert.Equal("3", decisions[1].GetProperty("user_id").GetString());
        Assert.All(decisions, d => Assert.Empty(d.GetProperty("offers").EnumerateArray()));
        Assert.Equal(1, decisions[0].GetProperty("trace").GetProperty("rejections").GetProperty("audience").GetInt32());
        Assert.Contains("audience: history > 500 failed", decisions[1].GetProperty("trace").GetProperty("entries")[0].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("2 decisions replayed", stderr, StringComparison.Ordinal);

        File.WriteAllLines(requests, ["{\"user_id\": \"x\", \"placement\": 7}"]);
        (code, _, stderr) = CliRunner.Run("decide", "replay", "--db", db, "--campaigns", campaigns, "--requests", requests);
        Assert.Equal(1, code);
        Assert.Contains("line 1, field $.placement", stderr, StringComparison.Ordinal);
    }
}
