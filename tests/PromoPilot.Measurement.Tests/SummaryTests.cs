using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests;

public class SummaryTests
{
    [Fact]
    public void Variance_KnownValues_MatchesSampleVariance()
    {
        var summary = MetricSummary.Of([2.0, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(8, summary.Count);
        Assert.Equal(5.0, summary.Mean, 12);
        Assert.Equal(32.0 / 7, summary.Variance, 12);
    }

    [Fact]
    public void Variance_ConstantValues_IsZeroNotNegative()
    {
        var values = Enumerable.Repeat(0.1, 1000).ToArray();
        Assert.Equal(0, MetricSummary.Of(values).Variance);
    }

    [Fact]
    public void Covariance_KnownValues_MatchesSampleCovariance()
    {
        var summary = PairedSummary.Empty.Add(1, 2).Add(2, 4).Add(3, 7);
        // x mean 2, y mean 13/3; sum (dx * dy) = (-1)(-7/3) + 0 + (1)(8/3) = 5; / (n - 1) = 2.5
        Assert.Equal(2.5, summary.Covariance, 12);
    }

    [Fact]
    public void Addition_OfDisjointParts_EqualsSummaryOfWhole()
    {
        Prop.ForAll(
            Gen.ListOf(Gen.Choose(-1000, 1000)).ToArbitrary(),
            Gen.ListOf(Gen.Choose(-1000, 1000)).ToArbitrary(),
            (left, right) =>
            {
                var l = left.Select(v => v / 10.0).ToArray();
                var r = right.Select(v => v / 10.0).ToArray();
                var whole = MetricSummary.Of([.. l, .. r]);
                var sum = MetricSummary.Of(l) + MetricSummary.Of(r);
                return whole.Count == sum.Count
                    && Math.Abs(whole.Sum - sum.Sum) < 1e-6
                    && Math.Abs(whole.SumOfSquares - sum.SumOfSquares) < 1e-6;
            }).QuickCheckThrowOnFailure();
    }
}
