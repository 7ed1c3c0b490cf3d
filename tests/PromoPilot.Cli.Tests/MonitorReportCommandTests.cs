using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using PromoPilot.Cli.Tests.Support;
using PromoPilot.Core.Campaigns;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Tests;

public class MonitorReportCommandTests
{
    private const string Campaign = "hillstrom_email_2008";

    private static string Sample => Path.Combine(AppContext.BaseDirectory, "samples", "hillstrom_sample.csv.gz");

    [Fact]
    public void Monitor_RightAfterFitting_EveryPsiIsZeroAndCalibrationUnchanged()
    {
        using var folder = new TempFolder();
        var db = Fitted(folder);

        var (code, stdout, stderr) = CliRunner.Run("monitor", "--db", db, "--json");

        Assert.True(code == 0, stderr);
        var model = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal("effect-hillstrom_email_2008-conversion", model.GetProperty("name").GetString());
        Assert.Equal(Campaign, model.GetProperty("campaign").GetString());
        Assert.Equal(["history", "mens", "newbie", "recency", "womens"], model.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.All(model.GetProperty("features").EnumerateArray().Append(model.GetProperty("score")), f =>
        {
            Assert.Equal(0, f.GetProperty("psi").GetDouble(), 12);
            Assert.Equal("ok", f.GetProperty("status").GetString());
            Assert.Equal(5000, f.GetProperty("recent_count").GetInt64());
        });
        var calibration = model.GetProperty("calibration");
        Assert.Equal(0, calibration.GetProperty("ece_increase").GetDouble(), 12);
        Assert.Equal(49 / 5000.0, calibration.GetProperty("recent_positive_rate").GetDouble(), 12); // the sample's 49 conversions
        Assert.Equal("ok", model.GetProperty("status").GetString());
    }

    /// <summary>Tripling every customer's history after training moves most of them into the reference's top bins: history alerts, the other features stay at 0.</summary>
    [Fact]
    public void Monitor_HistoryTripledAfterTraining_HistoryAlertsOthersStayOk()
    {
        using var folder = new TempFolder();
        var db = Fitted(folder);
        using (var connection = new DuckDBConnection($"Data Source={db}"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE users SET attributes = json_merge_patch(attributes, json_object('history', CAST(json_extract(attributes, '$.history') AS DOUBLE) * 3)) WHERE json_extract(attributes, '$.history') IS NOT NULL";
            Assert.Equal(5000, update.ExecuteNonQuery());
        }

        var (code, stdout, stderr) = CliRunner.Run("monitor", "--db", db, "--json");

        Assert.True(code == 0, stderr);
        var model = JsonDocument.Parse(stdout).RootElement.GetProperty("models")[0];
        var features = model.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("alert", features["history"].GetProperty("status").GetString());
        Assert.True(features["history"].GetProperty("psi").GetDouble() >= 0.25);
        Assert.Equal(0, features["recency"].GetProperty("psi").GetDouble(), 12);
        Assert.Equal("alert", model.GetProperty("status").GetString());
    }

    [Fact]
    public void Monitor_ForecastThenReadout_ListsForecastVsActualWithCoverage()
    {
        using var folder = new TempFolder();
        var db = Fitted(folder);
        using (var store = DuckDbStore.Open(db))
        {
            var key = CampaignExposureQuery.Find(store, Campaign)!.CampaignKey;
            var at = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
            CampaignResultTables.SaveForecast(store, key, new CampaignForecast(CampaignMetrics.IncrementalConversions, 1000, 900, 1100, 0.9, "test", at));
        }

        Assert.Equal(0, CliRunner.Run("campaign", "readout", Campaign, "--db", db).Code);
        var (code, stdout, stderr) = CliRunner.Run("monitor", "--db", db, "--json");

        Assert.True(code == 0, stderr);
        var row = Assert.Single(JsonDocument.Parse(stdout).RootElement.GetProperty("forecast_vs_actual").EnumerateArray());
        Assert.Equal(Campaign, row.GetProperty("campaign").GetString());
        Assert.Equal("incremental_conversions", row.GetProperty("metric").GetString());
        Assert.False(row.GetProperty("covered").GetBoolean()); // 1000 incremental conversions from 49 conversions in all is impossible
        Assert.Equal(1000 - row.GetProperty("actual").GetDouble(), row.GetProperty("error").GetDouble(), 9);
    }

    [Fact]
    public void Monitor_NoModelsNoReadouts_EmptyListsExitZero()
    {
        using var folder = new TempFolder();
        var db = Path.Combine(folder.Path, "store.duckdb");
        Assert.Equal(0, CliRunner.Run("import", "--kind", "hillstrom", "--input", Sample, "--db", db).Code);

        var (code, stdout, stderr) = CliRunner.Run("monitor", "--db", db, "--json");

        Assert.True(code == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, root.GetProperty("models").GetArrayLength());
        Assert.Equal(0, root.GetProperty("forecast_vs_actual").GetArrayLength());
    }

    [Fact]
    public void ReportCampaign_FittedAndReadOut_WritesSelfContainedHtmlWithCharts()
    {
        using var folder = new TempFolder();
        var db = Fitted(folder);
        Assert.Equal(0, CliRunner.Run("campaign", "readout", Campaign, "--db", db).Code);
        var output = Path.Combine(folder.Path, "report.html");

        var (code, stdout, stderr) = CliRunner.Run("report", "campaign", Campaign, "--db", db, "--out", output, "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.True(result.GetProperty("qini").GetBoolean());
        Assert.Equal(6, result.GetProperty("readout_rows").GetInt32()); // 2 metrics x (2 arms + pooled)
        var html = File.ReadAllText(output);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.True(Regex.Count(html, "<svg") >= 3, "expected interval charts and a Qini curve");
        Assert.Contains("Qini curve of effect-hillstrom_email_2008-conversion", html, StringComparison.Ordinal);
        Assert.Contains("Womens E-Mail", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ReportCampaign_UnknownCampaign_FailsNamingTheKnownOnes()
    {
        using var folder = new TempFolder();
        var db = Fitted(folder);

        var (code, _, stderr) = CliRunner.Run("report", "campaign", "nope", "--db", db, "--out", Path.Combine(folder.Path, "r.html"));

        Assert.Equal(1, code);
        Assert.Contains("no campaign 'nope'", stderr, StringComparison.Ordinal);
        Assert.Contains(Campaign, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder.Path, "r.html")));
    }

    private static string Fitted(TempFolder folder)
    {
        var db = Path.Combine(folder.Path, "store.duckdb");
        Assert.Equal(0, CliRunner.Run("import", "--kind", "hillstrom", "--input", Sample, "--db", db).Code);
        var (code, _, stderr) = CliRunner.Run("decide", "fit-effect", "--db", db, "--campaign", Campaign, "--out", Path.Combine(folder.Path, "effect.json"));
        Assert.True(code == 0, stderr);
        return db;
    }
}
