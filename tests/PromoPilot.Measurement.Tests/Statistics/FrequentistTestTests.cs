using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

public class FrequentistTestTests
{
    public static TheoryData<int> WelchCases => Reference.Indices("welch");

    public static TheoryData<int> ProportionCases => Reference.Indices("proportions");

    [Theory]
    [MemberData(nameof(WelchCases))]
    public void MeanDifference_ReferenceCase_MatchesScipyWelch(int index)
    {
        var expected = Reference.Case("welch", index);
        var options = new FrequentistOptions { Alpha = expected.Number("alpha") };

        var actual = FrequentistTest.MeanDifference(expected.Summary("control"), expected.Summary("treatment"), options);

        Reference.Matches(expected, actual);
    }

    [Theory]
    [MemberData(nameof(ProportionCases))]
    public void ProportionDifference_ReferenceCase_MatchesStatsmodels(int index)
    {
        var expected = Reference.Case("proportions", index);
        var control = MetricSummary.OfProportion((long)expected.Number("control_n"), (long)expected.Number("control_x"));
        var treatment = MetricSummary.OfProportion((long)expected.Number("treatment_n"), (long)expected.Number("treatment_x"));

        var actual = FrequentistTest.ProportionDifference(control, treatment, new FrequentistOptions { Alpha = expected.Number("alpha") });

        Reference.Matches(expected, actual);
        if (control.Sum == 0)
        {
            Assert.Equal(TestStatus.ZeroControlMean, actual.Relative.Status);
            Assert.Null(actual.Relative.Lift);
        }
    }

    [Fact]
    public void MeanDifference_OneUnitInAnArm_TooFewUnitsWithMeans()
    {
        var actual = FrequentistTest.MeanDifference(MetricSummary.Of([3.0]), MetricSummary.Of([1.0, 2, 6]));

        Assert.Equal(TestStatus.TooFewUnits, actual.Status);
        Assert.Equal(3.0, actual.ControlMean);
        Assert.Equal(3.0, actual.TreatmentMean);
        Assert.Equal(0.0, actual.Effect);
        Assert.Null(actual.StandardError);
        Assert.Null(actual.PValue);
        Assert.Null(actual.CiLow);
        Assert.Equal(TestStatus.TooFewUnits, actual.Relative.Status);
        Assert.Equal(0.0, actual.Relative.Lift);
    }

    [Fact]
    public void MeanDifference_EmptyArm_TooFewUnitsWithoutThatMean()
    {
        var actual = FrequentistTest.MeanDifference(MetricSummary.Empty, MetricSummary.Of([1.0, 2]));

        Assert.Equal(TestStatus.TooFewUnits, actual.Status);
        Assert.Null(actual.ControlMean);
        Assert.Equal(1.5, actual.TreatmentMean);
        Assert.Null(actual.Effect);
        Assert.Null(actual.Relative.Lift);
    }

    [Fact]
    public void MeanDifference_BothArmsConstant_ZeroVarianceWithEffect()
    {
        var actual = FrequentistTest.MeanDifference(MetricSummary.Of([0.1, 0.1, 0.1]), MetricSummary.Of([0.3, 0.3]));

        Assert.Equal(TestStatus.ZeroVariance, actual.Status);
        Assert.Equal(0.2, actual.Effect!.Value, 12);
        Assert.Null(actual.StandardError);
        Assert.Null(actual.PValue);
        Assert.Null(actual.DegreesOfFreedom);
        Assert.Equal(2.0, actual.Relative.Lift!.Value, 12);
    }

    [Fact]
    public void MeanDifference_ZeroControlMean_AbsoluteOkRelativeCoded()
    {
        var actual = FrequentistTest.MeanDifference(MetricSummary.Of([-1.0, 1, 0]), MetricSummary.Of([1.0, 2, 3]));

        Assert.Equal(TestStatus.Ok, actual.Status);
        Assert.Equal(2.0, actual.Effect!.Value, 12);
        Assert.Equal(TestStatus.ZeroControlMean, actual.Relative.Status);
        Assert.Null(actual.Relative.Lift);
        Assert.Null(actual.Relative.StandardError);
    }

    [Fact]
    public void ProportionDifference_NoSuccessesAnywhere_ZeroVariance()
    {
        var actual = FrequentistTest.ProportionDifference(MetricSummary.OfProportion(100, 0), MetricSummary.OfProportion(80, 0));

        Assert.Equal(TestStatus.ZeroVariance, actual.Status);
        Assert.Equal(0.0, actual.Effect);
        Assert.Null(actual.PValue);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Options_AlphaOutsideUnitInterval_ThrowsNamingAlpha(double alpha)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new FrequentistOptions { Alpha = alpha });
        Assert.Equal("Alpha", error.ParamName);
    }

    [Fact]
    public void MeanDifference_NegativeCount_ThrowsNamingTheArm()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FrequentistTest.MeanDifference(MetricSummary.Of([1.0, 2]), new MetricSummary(-3, 1, 1)));
        Assert.Equal("treatment", error.ParamName);
    }

    [Fact]
    public void ProportionDifference_NonBinarySummary_ThrowsNamingTheArm()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            FrequentistTest.ProportionDifference(MetricSummary.Of([1.0, 2, 0]), MetricSummary.OfProportion(10, 3)));
        Assert.Equal("control", error.ParamName);
    }

    [Fact]
    public void MeanDifference_SwappingArms_NegatesEffectKeepsPValue()
    {
        Prop.ForAll(Samples(), Samples(), (control, treatment) =>
        {
            var forward = FrequentistTest.MeanDifference(MetricSummary.Of(control), MetricSummary.Of(treatment));
            var backward = FrequentistTest.MeanDifference(MetricSummary.Of(treatment), MetricSummary.Of(control));
            return forward.Status == backward.Status
                && Same(forward.Effect, -backward.Effect)
                && Same(forward.StandardError, backward.StandardError)
                && Same(forward.PValue, backward.PValue)
                && Same(forward.CiLow, -backward.CiHigh)
                && Same(forward.DegreesOfFreedom, backward.DegreesOfFreedom);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MeanDifference_AnyInput_FieldsFiniteAndIntervalConsistentWithTest()
    {
        Prop.ForAll(Samples(), Samples(), (control, treatment) =>
        {
            var result = FrequentistTest.MeanDifference(MetricSummary.Of(control), MetricSummary.Of(treatment));
            double?[] fields =
            [
                result.ControlMean, result.TreatmentMean, result.Effect, result.StandardError, result.CiLow, result.CiHigh,
                result.PValue, result.DegreesOfFreedom, result.Relative.Lift, result.Relative.StandardError,
                result.Relative.CiLow, result.Relative.CiHigh, result.Relative.PValue,
            ];
            var finite = fields.All(value => value is null || double.IsFinite(value.Value));
            if (result.Status != TestStatus.Ok)
            {
                return finite && result.PValue is null && result.StandardError is null;
            }

            // A two-sided test rejects at α exactly when the (1 − α) interval excludes 0.
            var rejects = result.PValue < 0.05;
            var excludesZero = result.CiLow > 0 || result.CiHigh < 0;
            return finite && result.PValue is >= 0 and <= 1
                && result.CiLow <= result.Effect && result.Effect <= result.CiHigh
                && rejects == excludesZero;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void MeanDifference_ConstantAddedToBothArms_SamePValue()
    {
        Prop.ForAll(Samples(), Samples(), Gen.Choose(-1000, 1000).ToArbitrary(), (control, treatment, shift) =>
        {
            var original = FrequentistTest.MeanDifference(MetricSummary.Of(control), MetricSummary.Of(treatment));
            var shifted = FrequentistTest.MeanDifference(
                MetricSummary.Of([.. control.Select(v => v + shift)]), MetricSummary.Of([.. treatment.Select(v => v + shift)]));
            return original.Status != TestStatus.Ok
                || (shifted.Status == TestStatus.Ok && Math.Abs(original.PValue!.Value - shifted.PValue!.Value) < 1e-6
                    && Math.Abs(original.Effect!.Value - shifted.Effect!.Value) < 1e-6);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ProportionDifference_SwappingArms_NegatesEffectKeepsPValue()
    {
        var arm = Gen.Choose(2, 500).SelectMany(n => Gen.Choose(0, n).Select(x => MetricSummary.OfProportion(n, x))).ToArbitrary();
        Prop.ForAll(arm, arm, (control, treatment) =>
        {
            var forward = FrequentistTest.ProportionDifference(control, treatment);
            var backward = FrequentistTest.ProportionDifference(treatment, control);
            return forward.Status == backward.Status
                && Same(forward.Effect, -backward.Effect)
                && Same(forward.PValue, backward.PValue)
                && Same(forward.CiLow, -backward.CiHigh);
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Samples of 0 to ~100 values on a 0.1 grid: many degenerate ones (0 or 1 unit, ties, constants).</summary>
    internal static Arbitrary<double[]> Samples() =>
        Gen.ListOf(Gen.Choose(-500, 500)).Select(values => values.Select(v => v / 10.0).ToArray()).ToArbitrary();

    internal static bool Same(double? left, double? right) =>
        left is null ? right is null : right is not null && Math.Abs(left.Value - right.Value) <= 1e-9 * Math.Max(1, Math.Abs(left.Value));
}
