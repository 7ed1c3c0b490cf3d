using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Sequential;

public class SequentialTestTests
{
    public static TheoryData<int> Cases => ReferenceCases.Indices("sequential");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Compare_ReferenceCase_MatchesNumpyFormulaAt5Decimals(int index)
    {
        var reference = ReferenceCases.Case("sequential", index);
        var options = new SequentialOptions
        {
            Alpha = ReferenceCases.Number(reference, "alpha"),
            TuningSampleSize = ReferenceCases.Number(reference, "tuning_sample_size"),
            Scale = ReferenceCases.Scale(reference),
        };

        var result = SequentialTest.Compare(
            ReferenceCases.Summary(reference.GetProperty("control")), ReferenceCases.Summary(reference.GetProperty("treatment")), options);

        Assert.Equal(TestStatus.Ok, result.Status);
        Assert.Equal(ReferenceCases.Number(reference, "rho"), SequentialTest.Rho(options.Alpha, options.TuningSampleSize), 5);
        Assert.Equal(ReferenceCases.Number(reference, "effect"), result.Effect, 5);
        Assert.Equal(ReferenceCases.Number(reference, "standard_error"), result.StandardError, 5);
        Assert.Equal(ReferenceCases.Number(reference, "low"), result.Low, 5);
        Assert.Equal(ReferenceCases.Number(reference, "high"), result.High, 5);
        Assert.Equal(result.Low > 0 || result.High < 0, result.ExcludesZero);
    }

    [Fact]
    public void Compare_LargeTrueEffect_ExcludesZero()
    {
        var random = new Random(3);
        var control = MetricSummary.Empty;
        var treatment = MetricSummary.Empty;
        for (var i = 0; i < 5000; i++)
        {
            control = control.Add(random.NextDouble());
            treatment = treatment.Add(random.NextDouble() + 0.1);
        }

        var result = SequentialTest.Compare(control, treatment);

        Assert.True(result.ExcludesZero);
        Assert.InRange(0.1, result.Low, result.High);
    }

    [Fact]
    public void Compare_IdenticalArms_DoesNotExcludeZero()
    {
        var arm = MetricSummary.Of([1.0, 2, 3, 4, 5, 6, 7, 8]);

        var result = SequentialTest.Compare(arm, arm);

        Assert.Equal(0, result.Effect);
        Assert.False(result.ExcludesZero);
        Assert.Equal(-result.Low, result.High, 12);
    }

    [Theory]
    [InlineData(0, 10, TestStatus.NoUnits)]
    [InlineData(1, 10, TestStatus.TooFewUnits)]
    public void Compare_TooFewUnits_ReturnsCodedStatusWithoutDecision(int controlUnits, int treatmentUnits, TestStatus expected)
    {
        var control = MetricSummary.Of(Enumerable.Range(0, controlUnits).Select(i => (double)i).ToArray());
        var treatment = MetricSummary.Of(Enumerable.Range(0, treatmentUnits).Select(i => i + 100.0).ToArray());

        var result = SequentialTest.Compare(control, treatment);

        AssertNoDecision(result, expected);
    }

    [Fact]
    public void Compare_ConstantArms_ReturnsZeroVarianceWithoutDecision()
    {
        // All control units at 0 and all treatment units at 1: a standard error of 0, which the CLT cannot judge.
        var result = SequentialTest.Compare(MetricSummary.OfProportion(50, 0), MetricSummary.OfProportion(50, 50));

        AssertNoDecision(result, TestStatus.ZeroVariance);
        Assert.Equal(1, result.Effect);
    }

    [Fact]
    public void Compare_RelativeWithZeroControlMean_ReturnsZeroControlMean()
    {
        var result = SequentialTest.Compare(
            MetricSummary.Of([-1.0, 1, -2, 2]), MetricSummary.Of([1.0, 2, 3]), new SequentialOptions { Scale = EffectScale.Relative });

        AssertNoDecision(result, TestStatus.ZeroControlMean);
    }

    [Theory]
    [InlineData(0.0, 5000.0)]
    [InlineData(1.0, 5000.0)]
    [InlineData(0.05, 0.5)]
    [InlineData(double.NaN, 5000.0)]
    public void Compare_InvalidOptions_Throws(double alpha, double tuning)
    {
        var arm = MetricSummary.Of([1.0, 2, 3]);

        var error = Assert.Throws<ArgumentException>(() => SequentialTest.Compare(arm, arm, new SequentialOptions { Alpha = alpha, TuningSampleSize = tuning }));
        Assert.Equal("options", error.ParamName);
    }

    [Fact]
    public void HalfWidth_FixedVariance_ShrinksAsUnitsGrow()
    {
        // Per-unit standard deviation s: with N units split evenly the standard error is s·√(4/N).
        SeededProperty.Check(Prop.ForAll(
            Gen.Choose(1, 99).Select(a => a / 100.0).ToArbitrary(),
            Gen.Choose(10, 1_000_000).ToArbitrary(),
            Gen.Choose(2, 1_000_000).ToArbitrary(),
            (alpha, tuning, units) =>
            {
                var rho = SequentialTest.Rho(alpha, tuning);
                double Width(long n) => SequentialTest.HalfWidth(Math.Sqrt(4.0 / n), n, rho, alpha);
                return Width(units + 1) < Width(units) && Width(2L * units) < Width(units);
            }));
    }

    [Fact]
    public void HalfWidth_AnySampleSize_IsWiderThanFixedSampleInterval()
    {
        SeededProperty.Check(Prop.ForAll(
            Gen.Choose(1, 99).Select(a => a / 100.0).ToArbitrary(),
            Gen.Choose(10, 1_000_000).ToArbitrary(),
            Gen.Choose(2, 10_000_000).ToArbitrary(),
            (alpha, tuning, units) =>
                SequentialTest.HalfWidth(1, units, SequentialTest.Rho(alpha, tuning), alpha) > SequentialTest.FixedSampleHalfWidth(1, alpha)));
    }

    [Fact]
    public void HalfWidth_AtTuningSampleSize_IsNarrowerThanWithRhoTunedElsewhere()
    {
        const double alpha = 0.05;
        const long units = 20_000;
        var tuned = SequentialTest.HalfWidth(1, units, SequentialTest.Rho(alpha, units), alpha);

        Assert.True(tuned < SequentialTest.HalfWidth(1, units, SequentialTest.Rho(alpha, units / 10), alpha));
        Assert.True(tuned < SequentialTest.HalfWidth(1, units, SequentialTest.Rho(alpha, units * 10), alpha));
    }

    private static void AssertNoDecision(SequentialResult result, TestStatus expected)
    {
        Assert.Equal(expected, result.Status);
        Assert.False(result.ExcludesZero);
        Assert.Equal(double.NegativeInfinity, result.Low);
        Assert.Equal(double.PositiveInfinity, result.High);
        Assert.False(double.IsNaN(result.Effect) || double.IsNaN(result.StandardError));
    }
}
