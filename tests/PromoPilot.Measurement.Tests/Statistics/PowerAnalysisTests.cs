using FsCheck;
using FsCheck.Fluent;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

public class PowerAnalysisTests
{
    public static TheoryData<int> Cases => Reference.Indices("power");

    [Theory]
    [MemberData(nameof(Cases))]
    public void SampleSizeAndPower_ReferenceCase_MatchStatsmodelsNormalIndPower(int index)
    {
        var expected = Reference.Case("power", index);
        var options = new PowerOptions
        {
            Alpha = expected.Number("alpha"),
            Power = expected.Number("power"),
            AllocationRatio = expected.Number("ratio"),
            Scale = expected.GetProperty("scale").GetString() == "relative" ? EffectScale.Relative : EffectScale.Absolute,
        };
        var (baseline, mde, n) = (expected.Number("baseline"), expected.Number("mde"), expected.Number("n"));
        var means = expected.GetProperty("kind").GetString() == "means";

        var size = means
            ? PowerAnalysis.SampleSizeForMeans(baseline, expected.Number("sd"), mde, options)
            : PowerAnalysis.SampleSizeForProportions(baseline, mde, options);
        var power = means
            ? PowerAnalysis.PowerForMeans(baseline, expected.Number("sd"), mde, n, options)
            : PowerAnalysis.PowerForProportions(baseline, mde, n, options);

        Reference.Close(expected.Number("effect_size"), size.EffectSize, "effect size");
        Reference.Close(expected.Number("nobs1"), size.ControlUnits, "control units");
        Reference.Close(expected.Number("nobs1") * options.AllocationRatio, size.TreatmentUnits, "treatment units");
        Assert.Equal((long)Math.Ceiling(size.ControlUnits) + (long)Math.Ceiling(size.TreatmentUnits), size.TotalUnits);
        Reference.Close(expected.Number("power_at_n"), power, "power");
    }

    [Fact]
    public void SampleSize_AnyDesign_GivesTheRequestedPowerBack()
    {
        var design = Gen.Choose(1, 49).SelectMany(rate => Gen.Choose(1, 30).SelectMany(lift => Gen.Choose(1, 40).SelectMany(ratio =>
            Gen.Choose(55, 99).Select(power => (rate / 100.0, lift / 100.0, ratio / 10.0, power / 100.0))))).ToArbitrary();
        Prop.ForAll(design, d =>
        {
            var (rate, lift, ratio, power) = d;
            var options = new PowerOptions { Power = power, AllocationRatio = ratio, Scale = EffectScale.Relative };
            var size = PowerAnalysis.SampleSizeForProportions(rate, lift, options);
            var achieved = PowerAnalysis.PowerForProportions(rate, lift, size.ControlUnits, options);
            var fewer = PowerAnalysis.PowerForProportions(rate, lift, size.ControlUnits * 0.9, options);
            return Math.Abs(achieved - power) < 1e-9 && fewer < power;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void SampleSize_RelativeAndAbsoluteForms_Agree()
    {
        var relative = PowerAnalysis.SampleSizeForMeans(40, 25, 0.05, new PowerOptions { Scale = EffectScale.Relative });
        var absolute = PowerAnalysis.SampleSizeForMeans(40, 25, 2);

        Assert.Equal(absolute.ControlUnits, relative.ControlUnits, 9);
    }

    [Fact]
    public void SampleSize_ZeroEffect_ThrowsNamingTheEffect()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.SampleSizeForMeans(10, 2, 0));
        Assert.Equal("minimumDetectableEffect", error.ParamName);
    }

    [Fact]
    public void SampleSize_RateLeavingUnitInterval_ThrowsNamingTheEffect()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => PowerAnalysis.SampleSizeForProportions(0.9, 0.2));
        Assert.Equal("minimumDetectableEffect", error.ParamName);
    }

    [Fact]
    public void SampleSize_PowerNotAboveAlpha_ThrowsNamingOptions()
    {
        var options = new PowerOptions { Alpha = 0.2, Power = 0.1 };
        var error = Assert.Throws<ArgumentException>(() => PowerAnalysis.SampleSizeForProportions(0.1, 0.01, options));
        Assert.Equal("options", error.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-2.0)]
    public void Options_NonPositiveAllocationRatio_ThrowsNamingIt(double ratio)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PowerOptions { AllocationRatio = ratio });
        Assert.Equal("AllocationRatio", error.ParamName);
    }
}
