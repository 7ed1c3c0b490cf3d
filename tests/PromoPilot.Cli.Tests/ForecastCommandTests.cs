using System.Text.Json;
using PromoPilot.Ingestion.Tests.Support;
using static PromoPilot.Cli.Tests.Support.CliRunner;

namespace PromoPilot.Cli.Tests;

public class ForecastCommandTests
{
    [DatasetFact("dominicks_oj")]
    public void ForecastEval_DominicksOj_ReproducesTheIssuesProtocolAndBaselines()
    {
        var (code, stdout, _) = Run("forecast", "eval", "--dataset", "dominicks-oj", "--input", SharedData.Path("dominicks_oj"), "--horizon", "12", "--method", "naive", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        // issue 10: 363 eligible series, 4,356 forecast points, naive WAPE 0.812 (R, same protocol)
        Assert.Equal(363, root.GetProperty("series").GetInt32());
        Assert.Equal(4356, root.GetProperty("points").GetInt64());
        var naive = root.GetProperty("methods")[0];
        Assert.Equal("naive", naive.GetProperty("method").GetString());
        Assert.Equal(0.812, naive.GetProperty("wape").GetDouble(), 0.0005);
        Assert.True(naive.TryGetProperty("coverage_90", out _));
        Assert.True(naive.TryGetProperty("mase", out _));
        Assert.True(naive.TryGetProperty("seconds", out _));
    }

    [DatasetFact("dominicks_oj")]
    public void ForecastEval_MovingAverage_MatchesMeanOfLastFourWeeks()
    {
        var (code, stdout, _) = Run("forecast", "eval", "--input", SharedData.Path("dominicks_oj"), "--method", "ma4", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0.742, doc.RootElement.GetProperty("methods")[0].GetProperty("wape").GetDouble(), 0.0005); // issue 10's figure
    }

    [DatasetFact("dominicks_oj")]
    public void ForecastEval_ItemLevel_OneSeriesPerBrand()
    {
        var (code, stdout, _) = Run("forecast", "eval", "--input", SharedData.Path("dominicks_oj"), "--level", "item", "--method", "naive", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(11, doc.RootElement.GetProperty("series").GetInt32()); // 11 brands, each sold in some store every week
        Assert.Equal(11 * 12, doc.RootElement.GetProperty("points").GetInt64());
    }

    [Fact]
    public void ForecastEval_UnknownMethod_FailsWithOneJsonError()
    {
        var (code, stdout, _) = Run("forecast", "eval", "--input", "/nonexistent", "--method", "prophet", "--json");
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Contains("prophet", doc.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
