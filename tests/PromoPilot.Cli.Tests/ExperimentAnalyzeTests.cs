using System.Globalization;
using System.Text.Json;
using PromoPilot.Cli.Tests.Support;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Cli.Tests;

public class ExperimentAnalyzeTests
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "reference_cookie_cats.json"))).RootElement;

    [DatasetTheory("cookie_cats")]
    [InlineData("retention_1")]
    [InlineData("retention_7")]
    [InlineData("sum_gamerounds")]
    public void Analyze_CookieCats_MatchesScipyAndStatsmodelsAtFiveDecimals(string metric)
    {
        var (code, stdout, stderr) = CliRunner.Run(
            "experiment", "analyze", "--input", SharedData.Path("cookie_cats", "cookie_cats.csv.gz"),
            "--variant-col", "version", "--metric-col", metric, "--control", "gate_30", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        var expected = Reference.GetProperty("metrics").GetProperty(metric);
        Assert.Equal("frequentist", result.GetProperty("method").GetString());
        var variants = result.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!);
        Assert.Equal(44_700, variants["gate_30"].GetProperty("n").GetInt64());
        Assert.Equal(45_489, variants["gate_40"].GetProperty("n").GetInt64());
        Assert.Equal(expected.GetProperty("control_mean").GetDouble(), variants["gate_30"].GetProperty("mean").GetDouble(), 5);
        Assert.Equal(expected.GetProperty("treatment_mean").GetDouble(), variants["gate_40"].GetProperty("mean").GetDouble(), 5);
        foreach (var field in new[] { "effect", "ci_low", "ci_high", "p_value" })
        {
            Assert.Equal(expected.GetProperty(field).GetDouble(), result.GetProperty(field).GetDouble(), 5);
        }

        Assert.Equal(Reference.GetProperty("srm_p_value").GetDouble(), result.GetProperty("srm_p_value").GetDouble(), 5);
        Assert.False(result.GetProperty("srm_alert").GetBoolean()); // p = 0.0086: above the 0.001 alert line
        Assert.Equal(JsonValueKind.Null, result.GetProperty("chance_to_win").ValueKind);
        Assert.Equal(90_189, result.GetProperty("rows").GetProperty("used").GetInt64());
    }

    [DatasetFact("cookie_cats")]
    public void Analyze_CookieCatsBayesian_GivesChanceToWinBelowHalfForTheWorseGate()
    {
        var (code, stdout, stderr) = CliRunner.Run(
            "experiment", "analyze", "--input", SharedData.Path("cookie_cats", "cookie_cats.csv.gz"),
            "--variant-col", "version", "--metric-col", "retention_7", "--method", "bayesian", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("gate_30", result.GetProperty("control").GetString()); // first name in ordinal order
        // Flat prior: the posterior is N(effect, se^2), so P(effect > 0) = Phi(effect / se) with se from the unpooled
        // interval of the reference: (high - low) / (2 * 1.959964).
        var expected = Reference.GetProperty("metrics").GetProperty("retention_7");
        var se = (expected.GetProperty("ci_high").GetDouble() - expected.GetProperty("ci_low").GetDouble()) / (2 * 1.959963984540054);
        var chance = MathNet.Numerics.Distributions.Normal.CDF(0, 1, expected.GetProperty("effect").GetDouble() / se);
        Assert.Equal(chance, result.GetProperty("chance_to_win").GetDouble(), 5);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("p_value").ValueKind);
    }

    [Fact]
    public void Analyze_ThreeVariantsWithCovariate_ReportsEachComparisonWithHolmAndVarianceReduction()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "units.csv");
        var random = new Random(5);
        var lines = new List<string> { "unit,arm,pre,revenue" };
        for (var i = 0; i < 3000; i++)
        {
            var arm = (i % 3) switch { 0 => "control", 1 => "ten_off", _ => "free_ship" };
            var pre = random.NextDouble() * 100;
            var revenue = (0.8 * pre) + (random.NextDouble() * 20) + (arm == "ten_off" ? 5 : 0);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{i},{arm},{pre},{revenue}"));
        }

        lines.Add("3000,control,,"); // no metric: counted, not used
        File.WriteAllLines(path, lines);

        var (code, stdout, stderr) = CliRunner.Run(
            "experiment", "analyze", "--input", path, "--variant-col", "arm", "--metric-col", "revenue", "--covariate", "pre", "--json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("control", result.GetProperty("control").GetString());
        Assert.False(result.TryGetProperty("effect", out _)); // several treatments: per comparison only
        var comparisons = result.GetProperty("comparisons").EnumerateArray().ToDictionary(c => c.GetProperty("variant").GetString()!);
        Assert.Equal(2, comparisons.Count);
        var tenOff = comparisons["ten_off"];
        Assert.True(tenOff.GetProperty("ci_low").GetDouble() < 5 && 5 < tenOff.GetProperty("ci_high").GetDouble());
        Assert.True(tenOff.GetProperty("p_value").GetDouble() < 1e-6);
        Assert.True(tenOff.GetProperty("variance_reduction").GetDouble() > 0.8); // pre explains most of revenue
        var free = comparisons["free_ship"];
        Assert.True(free.GetProperty("p_value_holm").GetDouble() >= free.GetProperty("p_value").GetDouble());
        var rows = result.GetProperty("rows");
        Assert.Equal(3001, rows.GetProperty("read").GetInt64());
        Assert.Equal(3000, rows.GetProperty("used").GetInt64());
        Assert.Equal(1, rows.GetProperty("missing_metric").GetInt64());
    }

    [Theory]
    [InlineData("--metric-col", "spend", "'spend' is not in the header")]
    [InlineData("--control", "gate_99", "--control 'gate_99' is not a value of column 'version' (variants: gate_30, gate_40)")]
    [InlineData("--method", "magic", "--method 'magic'")]
    [InlineData("--weights", "gate_30=1,gate_50=1", "--weights: unknown variant 'gate_50' (variants: gate_30, gate_40)")]
    public void Analyze_BadArguments_NameTheColumnOrVariant(string option, string value, string message)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "ab.csv");
        File.WriteAllLines(path, ["version,retention_7", "gate_30,TRUE", "gate_40,FALSE", "gate_30,FALSE", "gate_40,TRUE"]);
        var args = new List<string> { "experiment", "analyze", "--input", path, "--variant-col", "version", "--metric-col", "retention_7", "--json" };
        var at = args.IndexOf(option);
        if (at >= 0)
        {
            args[at + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (code, stdout, stderr) = CliRunner.Run([.. args]);

        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains(message, JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version,retention_7\ngate_30,TRUE\ngate_40,maybe\n", "line 3: column 'retention_7': 'maybe' is neither a finite number nor a true/false flag")]
    [InlineData("version,retention_7\ngate_30,1\ngate_40,12abc\n", "line 3: column 'retention_7': '12abc' is neither a finite number nor a true/false flag")]
    [InlineData("version,retention_7\ngate_30,\ngate_40,\n", "column 'retention_7' is missing in all 2 rows")]
    [InlineData("version,retention_7\ngate_30,1\ngate_30,0\n", "has one variant only ('gate_30')")]
    public void Analyze_BadData_NamesFileLineAndColumn(string content, string message)
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "ab.csv");
        File.WriteAllText(path, content);

        var (code, _, stderr) = CliRunner.Run("experiment", "analyze", "--input", path, "--variant-col", "version", "--metric-col", "retention_7");

        Assert.Equal(1, code);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
