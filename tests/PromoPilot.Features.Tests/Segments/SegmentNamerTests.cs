using PromoPilot.Features.Segments;

namespace PromoPilot.Features.Tests.Segments;

public class SegmentNamerTests
{
    private static readonly string[] Rfm = ["recency_days", "frequency", "monetary", "tenure_days", "discount_share", "aov"];

    [Theory]
    [InlineData(new[] { -0.8, 1.2, 1.5, 0.6, 0.0, 0.3 }, "high-value loyal")]
    [InlineData(new[] { 1.1, 0.9, 0.7, 0.8, 0.0, 0.0 }, "at risk")]
    [InlineData(new[] { 1.6, -0.9, -0.7, 0.9, 0.0, 0.0 }, "lapsed")]
    [InlineData(new[] { -1.0, -0.6, -0.4, -1.3, 0.0, 0.0 }, "new")]
    [InlineData(new[] { 0.1, 0.2, -0.1, 0.3, 1.4, -0.2 }, "bargain hunters")]
    [InlineData(new[] { 0.0, -0.2, 0.4, 0.2, -0.3, 1.1 }, "big spenders")]
    [InlineData(new[] { -0.3, 0.9, 0.2, 0.1, 0.0, 0.0 }, "loyal")]
    [InlineData(new[] { 0.2, -0.8, -0.3, 0.2, 0.0, 0.1 }, "occasional")]
    [InlineData(new[] { 0.1, 0.1, -0.1, 0.2, 0.3, 0.0 }, "average")]
    public void Name_RfmProfiles_FollowRuleTable(double[] z, string expected)
    {
        Assert.Equal(expected, SegmentNamer.Name(Rfm, [z]).Single());
    }

    [Fact]
    public void Name_AliasesAndCase_AreRecognized()
    {
        string[] names = ["Recency", "ORDERS", "clv"];

        Assert.Equal("at risk", SegmentNamer.Name(names, [[0.9, 0.0, 1.0]]).Single());
        Assert.Equal("high-value loyal", SegmentNamer.Name(names, [[-0.2, 0.7, 1.0]]).Single());
    }

    [Fact]
    public void Name_LowProbabilityAlive_CountsAsStale()
    {
        Assert.Equal("lapsed", SegmentNamer.Name(["p_alive", "frequency"], [[-1.2, -0.1]]).Single());
    }

    [Fact]
    public void Name_UnknownFeatures_DescribesTopTwoByAbsoluteZ()
    {
        string[] names = ["visits", "cart_adds", "returns"];

        var result = SegmentNamer.Name(names, [[0.6, -2.0, 1.1], [0.1, 0.0, -0.2]]);

        Assert.Equal(["low cart_adds, high returns", "average"], result);
    }

    [Fact]
    public void Name_RepeatedRule_GetsNumberedSuffix()
    {
        double[] loyal = [-0.3, 0.9, 0.2, 0.1, 0.0, 0.0];
        double[] occasional = [0.2, -0.8, -0.3, 0.2, 0.0, 0.1];

        var result = SegmentNamer.Name(Rfm, [loyal, occasional, loyal, loyal]);

        Assert.Equal(["loyal", "occasional", "loyal 2", "loyal 3"], result);
    }

    [Fact]
    public void Name_ThresholdRaised_WeakSignalsNoLongerCount()
    {
        double[] z = [-0.3, 0.9, 0.2, 0.1, 0.0, 0.0];

        Assert.Equal("loyal", SegmentNamer.Name(Rfm, [z], threshold: 0.5).Single());
        Assert.Equal("average", SegmentNamer.Name(Rfm, [z], threshold: 1.0).Single());
    }

    [Fact]
    public void Name_WrongWidth_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => SegmentNamer.Name(Rfm, [[1.0, 2.0]]));
        Assert.Equal("zMeans", error.ParamName);
    }
}
