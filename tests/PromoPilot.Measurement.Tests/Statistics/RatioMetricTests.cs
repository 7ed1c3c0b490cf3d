using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

public class RatioMetricTests
{
    public static TheoryData<int> Cases => Reference.Indices("ratio");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyze_ReferenceCase_MatchesNumpyDeltaMethod(int index)
    {
        var expected = Reference.Case("ratio", index);

        var actual = RatioMetric.Analyze(
            expected.Paired("control"), expected.Paired("treatment"), new FrequentistOptions { Alpha = expected.Number("alpha") });

        Reference.Matches(expected, actual);
    }

    [Fact]
    public void Analyze_OneVisitPerUnit_SameEffectAndErrorAsWelch()
    {
        // With X = 1 for every unit the ratio is the mean of Y and the delta variance is s²/n.
        double[] control = [1, 4, 2, 0, 3];
        double[] treatment = [5, 2, 6, 3];

        var ratio = RatioMetric.Analyze(Visits(control), Visits(treatment));
        var welch = FrequentistTest.MeanDifference(MetricSummary.Of(control), MetricSummary.Of(treatment));

        Assert.Equal(welch.Effect!.Value, ratio.Effect!.Value, 12);
        Assert.Equal(welch.StandardError!.Value, ratio.StandardError!.Value, 12);
        Assert.Null(ratio.DegreesOfFreedom);
    }

    [Fact]
    public void Analyze_ZeroDenominatorInAnArm_ZeroDenominatorWithOtherRatio()
    {
        var control = PairedSummary.Empty.Add(0, 0).Add(0, 0);
        var treatment = PairedSummary.Empty.Add(2, 10).Add(3, 5);

        var actual = RatioMetric.Analyze(control, treatment);

        Assert.Equal(TestStatus.ZeroDenominator, actual.Status);
        Assert.Null(actual.ControlMean);
        Assert.Equal(3.0, actual.TreatmentMean);
        Assert.Null(actual.Effect);
        Assert.Null(actual.StandardError);
        Assert.Equal(TestStatus.ZeroDenominator, actual.Relative.Status);
    }

    [Fact]
    public void Analyze_ZeroNumeratorInControl_ZeroControlMeanForTheLift()
    {
        var control = PairedSummary.Empty.Add(2, 0).Add(3, 0).Add(1, 0);
        var treatment = PairedSummary.Empty.Add(2, 10).Add(3, 5).Add(1, 1);

        var actual = RatioMetric.Analyze(control, treatment);

        Assert.Equal(TestStatus.Ok, actual.Status);
        Assert.Equal(TestStatus.ZeroControlMean, actual.Relative.Status);
        Assert.Null(actual.Relative.Lift);
    }

    [Fact]
    public void Analyze_NegativeCount_ThrowsNamingTheArm()
    {
        var error = Assert.Throws<ArgumentException>(() => RatioMetric.Analyze(new PairedSummary(-1, 0, 0, 0, 0, 0), PairedSummary.Empty));
        Assert.Equal("control", error.ParamName);
    }

    [Fact]
    public void Analyze_SwappingArms_NegatesEffect()
    {
        var arm = Gen.ListOf(Gen.Choose(0, 5).SelectMany(visits => Gen.Choose(0, 100).Select(revenue => (visits, revenue))))
            .Select(units => units.Aggregate(PairedSummary.Empty, (sum, unit) => sum.Add(unit.visits, unit.revenue)))
            .ToArbitrary();
        Prop.ForAll(arm, arm, (control, treatment) =>
        {
            var forward = RatioMetric.Analyze(control, treatment);
            var backward = RatioMetric.Analyze(treatment, control);
            return forward.Status == backward.Status
                && FrequentistTestTests.Same(forward.Effect, -backward.Effect)
                && FrequentistTestTests.Same(forward.StandardError, backward.StandardError)
                && FrequentistTestTests.Same(forward.PValue, backward.PValue);
        }).QuickCheckThrowOnFailure();
    }

    private static PairedSummary Visits(double[] values) =>
        values.Aggregate(PairedSummary.Empty, (sum, value) => sum.Add(1, value));
}
