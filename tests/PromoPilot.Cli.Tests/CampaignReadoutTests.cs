using System.Text.Json;
using PromoPilot.Cli.Tests.Support;
using PromoPilot.Core.Campaigns;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Tests;

public class CampaignReadoutTests
{
    private const string Campaign = "hillstrom_email_2008";

    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_hillstrom_readout.json"))).RootElement;

    private static string Sample => Path.Combine(AppContext.BaseDirectory, "samples", "hillstrom_sample.csv.gz");

    [Fact]
    public void Readout_HillstromSample_MatchesStatsmodelsAndScipyAtFiveDecimals()
    {
        using var folder = new TempFolder();
        var db = Import(folder);

        var (code, stdout, stderr) = CliRunner.Run("campaign", "readout", Campaign, "--db", db, "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(Reference.GetProperty("srm_p_value").GetDouble(), result.GetProperty("srm_p_value").GetDouble(), 5);
        Assert.False(result.GetProperty("srm_alert").GetBoolean());
        var rows = result.GetProperty("readouts").EnumerateArray()
            .ToDictionary(r => (r.GetProperty("metric").GetString(), r.GetProperty("arm").GetString()));
        var expectedRows = Reference.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(expectedRows.Count, rows.Count);
        foreach (var expected in expectedRows)
        {
            var actual = rows[(expected.GetProperty("metric").GetString(), expected.GetProperty("arm").GetString())];
            Assert.Equal("No E-Mail", actual.GetProperty("control").GetString());
            Assert.Equal(expected.GetProperty("treated_units").GetInt64(), actual.GetProperty("treated_units").GetInt64());
            Assert.Equal(Reference.GetProperty("control_units").GetInt64(), actual.GetProperty("control_units").GetInt64());
            foreach (var field in new[] { "incremental", "ci_low", "ci_high", "p_value" })
            {
                Assert.Equal(expected.GetProperty(field).GetDouble(), actual.GetProperty(field).GetDouble(), 5);
            }

            Assert.Equal(JsonValueKind.Null, actual.GetProperty("forecast").ValueKind);
        }
    }

    [Fact]
    public void Readout_WithForecasts_SetsEachBesideThePooledEffectAndKeepsACalibrationRecord()
    {
        using var folder = new TempFolder();
        var db = Import(folder);
        var pooled = Reference.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("arm").GetString() == "(all treated)")
            .ToDictionary(r => r.GetProperty("metric").GetString()!, r => r.GetProperty("incremental").GetDouble());
        using (var store = DuckDbStore.Open(db))
        {
            var key = CampaignExposureQuery.Find(store, Campaign)!.CampaignKey;
            var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            // Conversions: an interval around the truth; revenue: an interval that misses it by 500 above.
            CampaignResultTables.SaveForecast(store, key, new CampaignForecast(CampaignMetrics.IncrementalConversions, 20, 10, 40, 0.9, "test", at));
            CampaignResultTables.SaveForecast(store, key, new CampaignForecast(CampaignMetrics.IncrementalConversions, 30, 28, 32, 0.9, "older", at.AddDays(-1)));
            var revenue = pooled[CampaignMetrics.IncrementalRevenue];
            CampaignResultTables.SaveForecast(store, key, new CampaignForecast(CampaignMetrics.IncrementalRevenue, revenue + 600, revenue + 500, revenue + 700, 0.9, "test", at));
        }

        var (code, stdout, stderr) = CliRunner.Run("campaign", "readout", Campaign, "--db", db, "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        var rows = result.GetProperty("readouts").EnumerateArray().ToList();
        var conversions = rows.Single(r => r.GetProperty("arm").GetString() == "(all treated)" && r.GetProperty("metric").GetString() == CampaignMetrics.IncrementalConversions);
        Assert.Equal("test", conversions.GetProperty("forecast").GetProperty("model").GetString()); // the latest forecast counts
        Assert.Equal(20 - pooled[CampaignMetrics.IncrementalConversions], conversions.GetProperty("forecast_error").GetDouble(), 9);
        Assert.True(conversions.GetProperty("forecast_covered").GetBoolean());
        var revenueRow = rows.Single(r => r.GetProperty("arm").GetString() == "(all treated)" && r.GetProperty("metric").GetString() == CampaignMetrics.IncrementalRevenue);
        Assert.False(revenueRow.GetProperty("forecast_covered").GetBoolean());
        Assert.Equal(600, revenueRow.GetProperty("forecast_error").GetDouble(), 6);
        // Per-arm rows carry no forecast: forecasts are for the whole campaign.
        Assert.All(rows.Where(r => r.GetProperty("arm").GetString() != "(all treated)"), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("forecast").ValueKind));

        var calibration = result.GetProperty("calibration").EnumerateArray().ToDictionary(c => c.GetProperty("metric").GetString()!);
        Assert.Equal(1, calibration[CampaignMetrics.IncrementalConversions].GetProperty("covered").GetInt64());
        Assert.Equal(0, calibration[CampaignMetrics.IncrementalRevenue].GetProperty("covered").GetInt64());
        Assert.Equal(600, calibration[CampaignMetrics.IncrementalRevenue].GetProperty("mean_error").GetDouble(), 6);

        // A second readout replaces the first: the calibration record counts each campaign once.
        var again = JsonDocument.Parse(CliRunner.Run("campaign", "readout", Campaign, "--db", db, "--json").Stdout).RootElement;
        Assert.Equal(1, again.GetProperty("calibration")[0].GetProperty("readouts").GetInt64());
    }

    [Fact]
    public void Readout_UnknownCampaign_ListsTheCampaignsWithExposures()
    {
        using var folder = new TempFolder();
        var db = Import(folder);

        var (code, _, stderr) = CliRunner.Run("campaign", "readout", "spring_sale", "--db", db);

        Assert.Equal(1, code);
        Assert.Contains("no campaign 'spring_sale' in the store (campaigns with exposures: hillstrom_email_2008)", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Readout_CampaignWithoutExposures_SaysSo()
    {
        using var folder = new TempFolder();
        var db = Path.Combine(folder.Path, "store.duckdb");
        using (var store = DuckDbStore.Open(db))
        {
            store.Query("INSERT INTO campaigns VALUES (1, 'd', 'planned', NULL, 'email', NULL, NULL, NULL, 1)");
        }

        var (code, _, stderr) = CliRunner.Run("campaign", "readout", "planned", "--db", db);

        Assert.Equal(1, code);
        Assert.Contains("campaign 'planned' has no exposures: nothing to read out", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Readout_CampaignWithoutControlArm_SaysSo()
    {
        using var folder = new TempFolder();
        var db = Path.Combine(folder.Path, "store.duckdb");
        using (var store = DuckDbStore.Open(db))
        {
            store.Query("""
                INSERT INTO campaigns VALUES (1, 'd', 'no_holdout', NULL, 'email', NULL, NULL, NULL, 1);
                INSERT INTO exposures VALUES (1, 1, 'a', false, NULL, true, true, 5, NULL, 1, 1), (1, 2, 'b', false, NULL, false, false, 0, NULL, 1, 2);
                """);
        }

        var (code, _, stderr) = CliRunner.Run("campaign", "readout", "no_holdout", "--db", db);

        Assert.Equal(1, code);
        Assert.Contains("no control (holdout) arm among a, b", stderr, StringComparison.Ordinal);
    }

    private static string Import(TempFolder folder)
    {
        var db = Path.Combine(folder.Path, "store.duckdb");
        var (code, _, stderr) = CliRunner.Run("import", "--kind", "hillstrom", "--input", Sample, "--db", db);
        Assert.True(code == 0, stderr);
        return db;
    }
}
