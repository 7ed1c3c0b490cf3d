using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

public sealed class CampaignForecastWorkflowTests : IDisposable
{
    private const string Campaign = """
        {
          "id": "spring",
          "name": "Spring",
          "ends": "2099-01-31T00:00:00Z",
          "audience": "recency_days > 30",
          "budget": 400,
          "offers": [ { "id": "ten", "type": "percent_off", "percent": 0.1, "cap": 20 } ]
        }
        """;

    private readonly TempFolder _temp = new();
    private readonly string _db;

    public CampaignForecastWorkflowTests()
    {
        _db = Path.Combine(_temp.Path, "store.duckdb");
        Run("quickstart", "--db", _db, "--samples", Path.Combine(AppContext.BaseDirectory, "samples"));
        Run("profile", "build", "--db", _db);
        var file = Path.Combine(_temp.Path, "spring.json");
        File.WriteAllText(file, Campaign);
        Run("campaign", "create", "--file", file, "--db", _db);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Forecast_TrainsOnTheRandomizedSampleAndTheReadoutComparesWithIt()
    {
        var (code, stdout, stderr) = Run("campaign", "forecast", "spring", "--db", _db, "--replicates", "3", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("forecast", result.GetProperty("status").GetString());
        Assert.Equal("hillstrom_email_2008", result.GetProperty("training_campaign").GetString());
        var forecast = result.GetProperty("forecast");
        var conversions = forecast.GetProperty("incremental_conversions");
        Assert.InRange(conversions.GetProperty("value").GetDouble(), conversions.GetProperty("low").GetDouble(), conversions.GetProperty("high").GetDouble());
        Assert.Equal(forecast.GetProperty("targeted").GetInt32() * 0.9, forecast.GetProperty("treated_users").GetDouble(), 6);
        Assert.True(forecast.GetProperty("cost").GetProperty("value").GetDouble() <= 400);
        // Redemptions count every buyer with the offer: at least the incremental ones.
        Assert.True(forecast.GetProperty("redemptions").GetProperty("value").GetDouble() >= conversions.GetProperty("value").GetDouble());

        Assert.Equal(0, Run("campaign", "approve", "spring", "--db", _db).Code); // forecast: no flag needed
        using (var store = DuckDbStore.Open(_db))
        {
            Assert.Equal(2, Count(store, "SELECT count(*) FROM campaign_forecasts f JOIN campaigns c USING (campaign_key) WHERE c.campaign_id = 'spring'"));
            Assert.Equal(["create", "forecast", "approve"], store.Query("SELECT action FROM campaign_audit WHERE campaign_id = 'spring' ORDER BY version").Select(r => (string)r["action"]!));
        }

        Assert.Equal(0, Run("campaign", "launch", "spring", "--db", _db).Code);
        var (readout, report, _) = Run("campaign", "readout", "spring", "--db", _db, "--json");
        Assert.Equal(0, readout);
        var row = JsonDocument.Parse(report).RootElement.GetProperty("readouts").EnumerateArray().First(r => r.GetProperty("metric").GetString() == "incremental_conversions");
        Assert.Equal(conversions.GetProperty("value").GetDouble(), row.GetProperty("forecast").GetProperty("value").GetDouble(), 9);
    }

    [Fact]
    public void Forecast_SameSeed_GivesTheSameFigures()
    {
        var first = JsonDocument.Parse(Run("campaign", "forecast", "spring", "--db", _db, "--replicates", "2", "--json").Stdout).RootElement.GetProperty("forecast");
        var second = JsonDocument.Parse(Run("campaign", "forecast", "spring", "--db", _db, "--replicates", "2", "--json").Stdout).RootElement.GetProperty("forecast");

        Assert.Equal(first.GetProperty("incremental_revenue").GetRawText(), second.GetProperty("incremental_revenue").GetRawText());
        Assert.Equal(first.GetProperty("cost").GetRawText(), second.GetProperty("cost").GetRawText());
    }
}
