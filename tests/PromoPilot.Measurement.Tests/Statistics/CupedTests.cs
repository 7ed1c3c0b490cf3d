using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Tests.Statistics;

public class CupedTests
{
    public static TheoryData<int> Cases => Reference.Indices("cuped");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyze_ReferenceCase_MatchesWelchOnNumpyAdjustedMetric(int index)
    {
        var expected = Reference.Case("cuped", index);

        var actual = Cuped.Analyze(expected.Paired("control"), expected.Paired("treatment"), new CupedOptions { Alpha = expected.Number("alpha") });

        Reference.Matches(expected.GetProperty("adjusted"), actual.Adjusted);
        Reference.Close(expected.Number("theta"), actual.ControlSlope, "theta");
        Assert.Equal(actual.ControlSlope, actual.TreatmentSlope);
        Reference.Close(expected.Number("rho"), actual.Correlation, "rho");
        Reference.Close(expected.Number("unadjusted_se"), actual.Unadjusted.StandardError, "unadjusted standard error");
        Reference.Close(expected.Number("variance_ratio"), actual.VarianceRatio, "variance ratio");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analyze_RegressionReferenceCase_MatchesStatsmodelsOlsPerArm(int index)
    {
        var expected = Reference.Case("cuped", index);
        var options = new CupedOptions { Alpha = expected.Number("alpha"), Method = CovariateAdjustment.Regression };

        var actual = Cuped.Analyze(expected.Paired("control"), expected.Paired("treatment"), options);

        var regression = expected.GetProperty("regression");
        Reference.Matches(regression, actual.Adjusted);
        Reference.Close(regression.Number("control_slope"), actual.ControlSlope, "control slope");
        Reference.Close(regression.Number("treatment_slope"), actual.TreatmentSlope, "treatment slope");
    }

    [Theory]
    [InlineData(CovariateAdjustment.Cuped)]
    [InlineData(CovariateAdjustment.Regression)]
    public void Analyze_ConstantCovariate_EqualsUnadjustedWelch(CovariateAdjustment method)
    {
        var control = PairedSummary.Empty.Add(7, 1).Add(7, 4).Add(7, 2).Add(7, 5);
        var treatment = PairedSummary.Empty.Add(7, 3).Add(7, 6).Add(7, 8);

        var actual = Cuped.Analyze(control, treatment, new CupedOptions { Method = method });

        Assert.Equal(0, actual.ControlSlope);
        Assert.Equal(0, actual.Correlation);
        Assert.Equal(actual.Unadjusted.Effect!.Value, actual.Adjusted.Effect!.Value, 12);
        Assert.Equal(actual.Unadjusted.PValue!.Value, actual.Adjusted.PValue!.Value, 12);
        Assert.Equal(1, actual.VarianceRatio!.Value, 12);
    }

    [Fact]
    public void Analyze_CovariateExplainsEverything_ZeroVarianceWithAdjustedEffect()
    {
        // Y = X in control, Y = X + 2 in treatment, same X in both: θ = 1, X̄ = 2, adjusted arms constant 2 and 4.
        var control = PairedSummary.Empty.Add(1, 1).Add(2, 2).Add(3, 3);
        var treatment = PairedSummary.Empty.Add(3, 5).Add(1, 3).Add(2, 4);

        var actual = Cuped.Analyze(control, treatment);

        Assert.Equal(TestStatus.ZeroVariance, actual.Adjusted.Status);
        Assert.Equal(TestStatus.Ok, actual.Unadjusted.Status);
        Assert.Null(actual.VarianceRatio);
        Assert.Equal(1.0, actual.ControlSlope, 12);
        Assert.Equal(2.0, actual.Adjusted.ControlMean!.Value, 12);
        Assert.Equal(2.0, actual.Adjusted.Effect!.Value, 12);
    }

    [Fact]
    public void Analyze_RegressionWithTwoUnitsInAnArm_TooFewUnits()
    {
        var control = PairedSummary.Empty.Add(1, 1).Add(2, 3);
        var treatment = PairedSummary.Empty.Add(2, 4).Add(4, 6).Add(3, 5);

        var actual = Cuped.Analyze(control, treatment, new CupedOptions { Method = CovariateAdjustment.Regression });

        Assert.Equal(TestStatus.TooFewUnits, actual.Adjusted.Status);
        Assert.NotNull(actual.Adjusted.Effect);
        Assert.Null(actual.Adjusted.StandardError);
        Assert.Null(actual.VarianceRatio);
    }

    [Fact]
    public void Analyze_AlphaOutsideUnitInterval_ThrowsNamingAlpha()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => new CupedOptions { Alpha = 1.5 });
        Assert.Equal("Alpha", error.ParamName);
    }

    [Fact]
    public void Analyze_SeededCorrelatedData_VarianceRatioNearOneMinusRhoSquared()
    {
        // Reported factor SE²(adjusted)/SE²(unadjusted) tracks 1 − ρ² on large samples (ρ = 0.6: 0.64).
        var random = new Random(7);
        var control = PairedSummary.Empty;
        var treatment = PairedSummary.Empty;
        for (var i = 0; i < 20_000; i++)
        {
            var (x, noise) = (Gaussian(random), Gaussian(random));
            var y = (0.6 * x) + (0.8 * noise);
            if (i % 2 == 0)
            {
                control = control.Add(x, y);
            }
            else
            {
                treatment = treatment.Add(x, y + 0.1);
            }
        }

        var actual = Cuped.Analyze(control, treatment);

        Assert.InRange(actual.Correlation, 0.58, 0.62);
        Assert.InRange(actual.VarianceRatio!.Value, 0.62, 0.66);
        Assert.Equal(1 - (actual.Correlation * actual.Correlation), actual.VarianceRatio!.Value, 2);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
