using System.Text.Json;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Tests.Uplift;

public class UpliftMetricsTests
{
    public static TheoryData<string> Cases() => [.. Fixture().RootElement.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_FixtureCase_MatchReferenceDefinitions(string name)
    {
        var c = Fixture().RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var y = Doubles(c, "outcome");
        var s = Doubles(c, "uplift");
        var t = c.GetProperty("treatment").EnumerateArray().Select(e => e.GetBoolean()).ToArray();
        Assert.Equal(c.GetProperty("qini_auc_score").GetDouble(), UpliftMetrics.QiniAucScore(y, s, t), 10);
        Assert.Equal(c.GetProperty("uplift_auc_score").GetDouble(), UpliftMetrics.UpliftAucScore(y, s, t), 10);
        Assert.Equal(c.GetProperty("uplift_at_30_by_group").GetDouble(), UpliftMetrics.UpliftAtK(y, s, t, 0.3, UpliftAtKStrategy.ByGroup), 12);
        Assert.Equal(c.GetProperty("uplift_at_30_overall").GetDouble(), UpliftMetrics.UpliftAtK(y, s, t, 0.3, UpliftAtKStrategy.Overall), 12);
        Assert.Equal(c.GetProperty("uplift_at_10_by_group").GetDouble(), UpliftMetrics.UpliftAtK(y, s, t, 0.1, UpliftAtKStrategy.ByGroup), 12);
        var qini = UpliftMetrics.QiniCurve(y, s, t);
        Assert.Equal(Doubles(c, "qini_curve_x"), qini.Targeted);
        AssertClose(Doubles(c, "qini_curve_y"), qini.Values);
        AssertClose(Doubles(c, "uplift_curve_y"), UpliftMetrics.UpliftCurve(y, s, t).Values);
    }

    [Fact]
    public void QiniAucScore_PerfectRanking_IsOne()
    {
        double[] y = [1, 0, 0, 1, 1, 0, 0, 0];
        bool[] t = [true, true, false, false, true, false, true, false];
        var perfect = y.Select((v, i) => t[i] ? v : -v).ToArray();
        Assert.Equal(1.0, UpliftMetrics.QiniAucScore(y, perfect, t), 12);
    }

    [Fact]
    public void UpliftAtK_OneArm_NamesTreatment()
    {
        var error = Assert.Throws<ArgumentException>(() => UpliftMetrics.UpliftAtK([1, 0], [0.1, 0.2], [true, true], 0.5, UpliftAtKStrategy.Overall));
        Assert.Equal("treatment", error.ParamName);
    }

    private static void AssertClose(double[] expected, IReadOnlyList<double> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 9);
        }
    }

    private static double[] Doubles(JsonElement c, string name) => [.. c.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

    private static JsonDocument Fixture() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "uplift_metrics.json")));
}
