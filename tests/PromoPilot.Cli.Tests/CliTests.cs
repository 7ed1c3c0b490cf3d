using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

/// <summary>The command-line contract outside checks rely on: one JSON object on stdout with --json, logs on stderr.</summary>
public sealed class CliTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly string _db;
    private readonly string _sample = Path.Combine(AppContext.BaseDirectory, "samples", "online_retail_sample.csv.gz");

    public CliTests()
    {
        _db = Path.Combine(_temp.Path, "store.duckdb");
    }

    [Fact]
    public void Import_Json_PrintsExactlyOneObjectWithTheContractFields()
    {
        var (code, stdout, stderr) = Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db, "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("online-retail", root.GetProperty("kind").GetString());
        Assert.Equal(43_610, root.GetProperty("rows_read").GetInt64());
        Assert.Equal(43_610, root.GetProperty("rows_accepted").GetInt64());
        Assert.Equal(0, root.GetProperty("rows_quarantined").GetInt64());
        Assert.True(root.GetProperty("seconds").GetDouble() > 0);
        Assert.Equal(43_610, root.GetProperty("tables").GetProperty("events").GetInt64());
        Assert.Contains("online-retail", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(_db + ".key"), "the pseudonymization key file is created beside the store");
    }

    [Fact]
    public void Import_SameFileTwice_SecondAddsNothing()
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db, "--json");
        var (code, stdout, _) = Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db, "--json");
        var (_, stats, _) = Run("stats", "--db", _db, "--json");

        Assert.Equal(0, code);
        Assert.True(JsonDocument.Parse(stdout).RootElement.GetProperty("already_imported").GetBoolean());
        var tables = JsonDocument.Parse(stats).RootElement.GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!, t => t.GetProperty("rows").GetInt64());
        Assert.Equal(43_610, tables["events"]);
    }

    [Fact]
    public void Stats_Json_ReportsRangesAndReconciledCounts()
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);

        var (code, stdout, _) = Run("stats", "--db", _db, "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        var events = root.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "events");
        Assert.StartsWith("2010-12-01", events.GetProperty("from").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("2011-12-0", events.GetProperty("to").GetString(), StringComparison.Ordinal);
        var quality = root.GetProperty("quality");
        Assert.True(quality.GetProperty("reconciled").GetBoolean());
        Assert.Equal(43_610, quality.GetProperty("rows_read").GetInt64());
        Assert.Equal(5_777, quality.GetProperty("anonymous_events").GetInt64());
    }

    [Theory]
    [InlineData("parquet")]
    [InlineData("csv")]
    public void Export_Table_WritesEveryRow(string format)
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);
        var output = Path.Combine(_temp.Path, "events." + format);

        var (code, stdout, _) = Run("export", "--table", "events", "--format", format, "--out", output, "--db", _db, "--json");

        Assert.Equal(0, code);
        Assert.Equal(43_610, JsonDocument.Parse(stdout).RootElement.GetProperty("rows").GetInt64());
        Assert.True(new FileInfo(output).Length > 10_000);
        if (format == "csv")
        {
            Assert.Equal(43_610 + 1, File.ReadLines(output).Count());
        }
    }

    [Fact]
    public void Export_FeatureTable_WritesTheStoredProfiles()
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);
        var (_, built, _) = Run("profile", "build", "--db", _db, "--json");
        var output = Path.Combine(_temp.Path, "profiles.csv");

        var (code, stdout, _) = Run("export", "--table", "customer_profiles", "--format", "csv", "--out", output, "--db", _db, "--json");

        Assert.Equal(0, code);
        var customers = JsonDocument.Parse(built).RootElement.GetProperty("customers").GetInt64();
        Assert.Equal(customers, JsonDocument.Parse(stdout).RootElement.GetProperty("rows").GetInt64());
        Assert.Equal(customers + 1, File.ReadLines(output).Count());
    }

    [Theory]
    [InlineData(new[] { "import", "--kind", "nonsense", "--input", "x" }, "Unknown --kind 'nonsense'")]
    [InlineData(new[] { "import", "--kind", "online-retail", "--input", "/no/such/file.csv" }, "/no/such/file.csv")]
    [InlineData(new[] { "import", "--kind", "mapped", "--input", "x" }, "--mapping")]
    [InlineData(new[] { "export", "--table", "secrets", "--format", "csv", "--out", "x.csv" }, "Unknown table 'secrets'")]
    public void Command_WithUserMistake_ExitsNonZeroWithOneJsonError(string[] args, string expected)
    {
        var (code, stdout, stderr) = Run([.. args, "--db", _db, "--json"]);

        Assert.Equal(1, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Contains(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Quickstart_Json_ImportsTheBundledSamplesOnceOnly()
    {
        var (code, stdout, _) = Run("quickstart", "--db", _db, "--json");
        var (again, stdout2, _) = Run("quickstart", "--db", _db, "--json");

        Assert.Equal(0, code);
        Assert.Equal(0, again);
        var imports = JsonDocument.Parse(stdout).RootElement.GetProperty("imports").EnumerateArray().ToList();
        Assert.Equal(["online-retail", "hillstrom"], imports.Select(i => i.GetProperty("kind").GetString()));
        Assert.Equal(5_000, imports[1].GetProperty("rows_read").GetInt64());
        Assert.All(JsonDocument.Parse(stdout2).RootElement.GetProperty("imports").EnumerateArray(), i => Assert.True(i.GetProperty("already_imported").GetBoolean()));
    }

    [Fact]
    public void Quickstart_Json_DesignsTheSampleCouponCampaignAndForecastsItWithinBudget()
    {
        var (code, stdout, stderr) = Run("quickstart", "--db", _db, "--json");
        var (_, again, _) = Run("quickstart", "--db", _db, "--json");

        Assert.True(code == 0, stderr);
        var plan = JsonDocument.Parse(stdout).RootElement.GetProperty("campaign_forecast");
        Assert.Equal("quickstart-coupon", plan.GetProperty("campaign").GetString());
        Assert.True(plan.GetProperty("profiles_built").GetBoolean());
        var budget = plan.GetProperty("budget").GetDouble();
        var targeting = plan.GetProperty("targeting");
        Assert.InRange(targeting.GetProperty("spend").GetDouble(), 0, budget);
        Assert.InRange(targeting.GetProperty("users_targeted").GetInt64(), 1, targeting.GetProperty("users").GetInt64());
        Assert.True(targeting.GetProperty("objective").GetDouble() <= targeting.GetProperty("bound").GetDouble() + 1e-6);
        var forecast = plan.GetProperty("forecast");
        Assert.Equal("hillstrom_email_2008", plan.GetProperty("training_campaign").GetString());
        Assert.Equal(3, forecast.GetProperty("replicates").GetInt32());
        foreach (var figure in new[] { "reach", "incremental_conversions", "incremental_revenue", "cost", "roi" })
        {
            var f = forecast.GetProperty(figure);
            Assert.InRange(f.GetProperty("value").GetDouble(), f.GetProperty("low").GetDouble(), f.GetProperty("high").GetDouble());
        }

        Assert.InRange(forecast.GetProperty("cost").GetProperty("value").GetDouble(), 0, budget);
        var second = JsonDocument.Parse(again).RootElement.GetProperty("campaign_forecast");
        Assert.False(second.GetProperty("profiles_built").GetBoolean()); // the second run reuses the profiles
        Assert.Equal(forecast.GetRawText(), second.GetProperty("forecast").GetRawText()); // same seed, same data: same figures
    }

    [Fact]
    public void Quickstart_Text_PrintsThePlanAndItsForecast()
    {
        var (code, stdout, stderr) = Run("quickstart", "--db", _db);

        Assert.True(code == 0, stderr);
        Assert.Contains("Campaign quickstart-coupon", stdout, StringComparison.Ordinal);
        Assert.Contains("incremental conversions", stdout, StringComparison.Ordinal);
        Assert.Contains("ROI", stdout, StringComparison.Ordinal);
        Assert.Contains("3 bootstrap refits", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileBuild_Json_StoresANewVersionEachTime()
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);

        var (code, stdout, _) = Run("profile", "build", "--db", _db, "--json");
        var (_, second, _) = Run("profile", "build", "--db", _db, "--as-of", "2011-06-01", "--json");

        Assert.Equal(0, code);
        var first = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(1, first.GetProperty("version").GetInt32());
        var customers = first.GetProperty("customers").GetInt32();
        Assert.InRange(customers, 390, 400);   // 400 sampled customers, a few with only cancellations
        Assert.Equal(customers, first.GetProperty("rfm_groups").EnumerateObject().Sum(g => g.Value.GetInt32()));
        var earlier = JsonDocument.Parse(second).RootElement;
        Assert.Equal(2, earlier.GetProperty("version").GetInt32());
        Assert.True(earlier.GetProperty("customers").GetInt32() < customers);
    }

    [Fact]
    public void Behaviour_Json_ReleasesOnlyGroupsOfTheMinimumSize()
    {
        Run("import", "--kind", "online-retail", "--input", _sample, "--db", _db);

        var (code, stdout, _) = Run("behaviour", "--db", _db, "--min-group-size", "25", "--json");

        Assert.Equal(0, code);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(3, root.GetProperty("funnel").GetArrayLength());
        var cohorts = root.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.NotEmpty(cohorts);
        Assert.All(cohorts.Where(c => c.TryGetProperty("customers", out _)), c => Assert.True(c.GetProperty("customers").GetInt64() >= 25));
        Assert.Contains(cohorts, c => !c.TryGetProperty("customers", out _));   // some sampled monthly cohorts are smaller than 25
        Assert.Equal(1.0, root.GetProperty("repeat_intervals").EnumerateArray().Sum(b => b.GetProperty("share").GetDouble()), 9);
    }

    [Fact]
    public void ProfileBuild_MissingStore_ExitsWithAClearError()
    {
        var (code, _, stderr) = Run("profile", "build", "--db", Path.Combine(_temp.Path, "none.duckdb"));

        Assert.Equal(1, code);
        Assert.Contains("no store here", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();

}
