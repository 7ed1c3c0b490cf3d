using System.Globalization;
using System.Text;
using System.Text.Json;
using PromoPilot.Cli.Tests.Support;

namespace PromoPilot.Cli.Tests;

public class CampaignForecastCommandTests
{
    [Fact]
    public void ForecastCampaign_KnownUsers_PrintsTheFiguresByHand()
    {
        // 400 users, p0 0.1 -> p1 0.25, orders of 40, 10 off per redemption, margin 50%, 25% holdout:
        // 300 treated; incremental conversions 300 × 0.15 = 45, revenue 1800, redemptions 75, cost 750,
        // margin 900 − 750 = 150, ROI 0.2.
        var text = new StringBuilder("p0,p1,order_value\n");
        for (var i = 0; i < 400; i++)
        {
            text.Append("0.1,0.25,40\n");
        }

        var path = Path.Combine(Path.GetTempPath(), $"promopilot-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text.ToString());

        var (code, stdout, stderr) = CliRunner.Run("forecast-campaign", "--input", path, "--discount", "10", "--margin-rate", "0.5", "--holdout", "0.25", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["audience", "targeted", "treated_users", "budget_binding", "level", "reach", "redemptions", "incremental_conversions", "incremental_revenue", "incremental_margin", "cost", "roi", "replicates", "method"],
            result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(45, result.GetProperty("incremental_conversions").GetProperty("value").GetDouble(), 9);
        Assert.Equal(1800, result.GetProperty("incremental_revenue").GetProperty("value").GetDouble(), 9);
        Assert.Equal(75, result.GetProperty("redemptions").GetProperty("value").GetDouble(), 9);
        Assert.Equal(750, result.GetProperty("cost").GetProperty("value").GetDouble(), 9);
        Assert.Equal(0.2, result.GetProperty("roi").GetProperty("value").GetDouble(), 9);
        var conversions = result.GetProperty("incremental_conversions");
        Assert.True(conversions.GetProperty("low").GetDouble() < 45 && conversions.GetProperty("high").GetDouble() > 45);
    }

    [Fact]
    public void UpliftBacktest_SyntheticCampaign_ReportsCoverageFields()
    {
        var path = Hillstrom(4000, (random, arm) => random.NextDouble() < (arm == "No E-Mail" ? 0.1 : 0.2) ? 1 : 0);

        var (code, stdout, stderr) = CliRunner.Run("uplift", "backtest", "--dataset", "hillstrom", "--input", path, "--treatment", "Womens E-Mail",
            "--outcome", "visit", "--seeds", "1", "--folds", "2", "--replicates", "50", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["dataset", "learner", "level", "seeds", "replicates", "folds", "calibration", "checks", "covered", "coverage", "coverage_by_outcome", "coverage_by_arm", "coverage_by_audience", "below", "above", "mean_error_over_width", "seconds"],
            result.EnumerateObject().Select(p => p.Name));
        var checks = result.GetProperty("checks").GetInt32();
        Assert.True(checks >= 5, $"{checks} checks");
        Assert.Equal(checks, result.GetProperty("covered").GetInt32() + result.GetProperty("below").GetInt32() + result.GetProperty("above").GetInt32());
        Assert.True(result.GetProperty("coverage_by_audience").GetProperty("all").GetDouble() is 0 or 1);
    }

    [Fact]
    public void UpliftBacktest_OutcomeNeverVaries_NamesTheOutcome()
    {
        var path = Hillstrom(600, (_, _) => 0);

        var (code, stdout, _) = CliRunner.Run("uplift", "backtest", "--dataset", "hillstrom", "--input", path, "--treatment", "Womens E-Mail", "--outcome", "visit", "--seeds", "1", "--json");

        Assert.Equal(1, code);
        Assert.Contains("outcome 'visit' never varies", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ForecastCampaign_ProbabilityAboveOne_NamesTheRow()
    {
        var path = Path.Combine(Path.GetTempPath(), $"promopilot-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "p0,p1\n0.1,0.2\n0.2,1.4\n");

        var (code, stdout, _) = CliRunner.Run("forecast-campaign", "--input", path, "--json");

        Assert.Equal(1, code);
        Assert.Contains("TreatedProbability[1] is 1.4", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    /// <summary>A Hillstrom-shaped CSV: arms in rotation, visits drawn per arm, conversion and spend zero.</summary>
    private static string Hillstrom(int rows, Func<Random, string, int> visit)
    {
        var random = new Random(9);
        string[] arms = ["Womens E-Mail", "Mens E-Mail", "No E-Mail"];
        string[] zips = ["Urban", "Surburban", "Rural"];
        var text = new StringBuilder("recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend\n");
        for (var i = 0; i < rows; i++)
        {
            var arm = arms[i % 3];
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"{random.Next(1, 13)},\"1) $0 - $100\",{random.Next(30, 900)},{random.Next(2)},{random.Next(2)},{zips[random.Next(3)]},{random.Next(2)},Web,{arm},{visit(random, arm)},0,0\n"));
        }

        var path = Path.Combine(Path.GetTempPath(), $"promopilot-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
