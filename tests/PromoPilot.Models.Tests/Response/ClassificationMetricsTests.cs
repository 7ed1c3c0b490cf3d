using System.Text.Json;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Tests.Response;

public class ClassificationMetricsTests
{
    public static TheoryData<string> Cases() => [.. Fixture().RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_FixtureCase_MatchScikitLearn(string name)
    {
        var c = Fixture().RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var labels = c.GetProperty("labels").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        var p = c.GetProperty("probabilities").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(c.GetProperty("auc").GetDouble(), ClassificationMetrics.Auc(labels, p), 12);
        Assert.Equal(c.GetProperty("logloss").GetDouble(), ClassificationMetrics.LogLoss(labels, p), 12);
        Assert.Equal(c.GetProperty("brier").GetDouble(), ClassificationMetrics.Brier(labels, p), 12);
        Assert.Equal(c.GetProperty("accuracy").GetDouble(), ClassificationMetrics.Accuracy(labels, p), 12);
    }

    [Fact]
    public void Auc_OneClass_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.Auc([true, true], [0.2, 0.4]));
        Assert.Contains("both classes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogLoss_ProbabilityOutsideUnitInterval_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => ClassificationMetrics.LogLoss([true, false], [1.2, 0.4]));
        Assert.Equal("probabilities", error.ParamName);
    }

    private static JsonDocument Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "classification_metrics.json")));
}
