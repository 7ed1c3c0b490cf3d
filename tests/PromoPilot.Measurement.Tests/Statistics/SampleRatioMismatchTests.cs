using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

public class SampleRatioMismatchTests
{
    public static TheoryData<int> Cases => Reference.Indices("srm");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_ReferenceCase_MatchesScipyChisquare(int index)
    {
        var expected = Reference.Case("srm", index);
        long[] observed = [.. expected.Numbers("observed").Select(value => (long)value)];

        var actual = SampleRatioMismatch.Check(observed, expected.Numbers("weights"));

        Assert.Equal(TestStatus.Ok, actual.Status);
        Assert.Equal(observed.Length - 1, actual.DegreesOfFreedom);
        Reference.Close(expected.Number("chi2"), actual.ChiSquare, "chi-square");
        Reference.Close(expected.Number("p"), actual.PValue, "p-value");
        Assert.Equal(expected.GetProperty("mismatch").GetBoolean(), actual.Mismatch);
        var expectedCounts = expected.Numbers("expected");
        for (var i = 0; i < expectedCounts.Length; i++)
        {
            Reference.Close(expectedCounts[i], actual.ExpectedCounts[i], $"expected count {i}");
        }
    }

    [Fact]
    public void Check_ThresholdOption_DecidesTheAlert()
    {
        // 5,000 vs 5,200 at 50/50: chi-square 3.92, p ≈ 0.048.
        long[] observed = [5000, 5200];

        Assert.False(SampleRatioMismatch.Check(observed, [1, 1]).Mismatch);
        Assert.True(SampleRatioMismatch.Check(observed, [1, 1], new SampleRatioOptions { AlertThreshold = 0.05 }).Mismatch);
    }

    [Fact]
    public void Check_NoUnits_TooFewUnitsWithoutAlert()
    {
        var actual = SampleRatioMismatch.Check([0, 0], [1, 1]);

        Assert.Equal(TestStatus.TooFewUnits, actual.Status);
        Assert.Null(actual.PValue);
        Assert.Null(actual.ChiSquare);
        Assert.False(actual.Mismatch);
    }

    [Fact]
    public void Check_ExactSplit_PValueOne()
    {
        var actual = SampleRatioMismatch.Check([900, 100], [0.9, 0.1]);

        Assert.Equal(0, actual.ChiSquare!.Value, 12);
        Assert.Equal(1, actual.PValue!.Value, 12);
    }

    [Fact]
    public void Check_NegativeCount_ThrowsNamingObserved()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([10, -1], [1, 1]));
        Assert.Equal("observed", error.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.PositiveInfinity)]
    public void Check_BadWeight_ThrowsNamingWeights(double weight)
    {
        var error = Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([10, 12], [1, weight]));
        Assert.Equal("expectedWeights", error.ParamName);
    }

    [Fact]
    public void Check_LengthsDiffer_ThrowsNamingWeights()
    {
        var error = Assert.Throws<ArgumentException>(() => SampleRatioMismatch.Check([10, 12, 9], [1, 1]));
        Assert.Equal("expectedWeights", error.ParamName);
    }
}
