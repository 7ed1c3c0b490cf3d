using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// The effect of a treatment against its control: the absolute effect (treatment mean − control mean)
/// with its standard error, two-sided p-value and (1 − α) confidence interval, and the relative effect.
/// </summary>
/// <remarks>
/// Fields are null, never NaN, when they cannot be computed: each mean is given when its arm has at
/// least one unit (and, for ratio metrics, a non-zero denominator); <see cref="Effect"/> whenever both
/// means are; <see cref="StandardError"/>, the interval and <see cref="PValue"/> only when
/// <see cref="Status"/> is <see cref="TestStatus.Ok"/>. <see cref="DegreesOfFreedom"/> is given for
/// t-tests and null for z-tests (proportions, ratio metrics), which use the normal distribution.
/// </remarks>
/// <param name="Status">Whether the inference fields could be computed.</param>
/// <param name="ControlMean">Control mean (or ratio, or covariate-adjusted mean).</param>
/// <param name="TreatmentMean">Treatment mean (or ratio, or covariate-adjusted mean).</param>
/// <param name="Effect">Treatment mean − control mean.</param>
/// <param name="StandardError">Standard error of <see cref="Effect"/>.</param>
/// <param name="CiLow">Lower end of the (1 − α) confidence interval of <see cref="Effect"/>.</param>
/// <param name="CiHigh">Upper end of that interval.</param>
/// <param name="PValue">Two-sided p-value of "no effect".</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of the t distribution used; null for z-tests.</param>
/// <param name="Relative">The relative effect, treatment / control − 1.</param>
public sealed record EffectEstimate(
    TestStatus Status,
    double? ControlMean,
    double? TreatmentMean,
    double? Effect,
    double? StandardError,
    double? CiLow,
    double? CiHigh,
    double? PValue,
    double? DegreesOfFreedom,
    RelativeEffect Relative)
{
    /// <summary>
    /// The estimate from each arm's mean and the variance of that mean (arms independent). The interval
    /// uses the t distribution with <paramref name="degreesOfFreedom"/>, or the normal when null;
    /// <paramref name="testStandardError"/> replaces the interval's standard error in the test statistic
    /// (the pooled one of the two-proportion z-test). The relative effect uses the delta method:
    /// Var(T/C − 1) ≈ Var(T)/C² + T²·Var(C)/C⁴, with the same reference distribution.
    /// </summary>
    internal static EffectEstimate FromArms(
        double controlMean, double controlMeanVariance, double treatmentMean, double treatmentMeanVariance,
        double? degreesOfFreedom, double alpha, double? testStandardError = null)
    {
        var variance = controlMeanVariance + treatmentMeanVariance;
        if (!(variance > 0))
        {
            return Degenerate(TestStatus.ZeroVariance, controlMean, treatmentMean);
        }

        var effect = treatmentMean - controlMean;
        var standardError = Math.Sqrt(variance);
        var quantile = Quantile(1 - (alpha / 2), degreesOfFreedom);
        var pValue = TwoSidedPValue(effect / (testStandardError ?? standardError), degreesOfFreedom);
        return new EffectEstimate(
            TestStatus.Ok, controlMean, treatmentMean, effect, standardError,
            effect - (quantile * standardError), effect + (quantile * standardError), pValue, degreesOfFreedom,
            Relate(controlMean, controlMeanVariance, treatmentMean, treatmentMeanVariance, degreesOfFreedom, quantile));
    }

    /// <summary>A coded result: means and effect where defined, no inference.</summary>
    internal static EffectEstimate Degenerate(TestStatus status, double? controlMean, double? treatmentMean)
    {
        double? effect = controlMean is { } c && treatmentMean is { } t ? t - c : null;
        double? lift = controlMean is { } c2 && c2 != 0 && treatmentMean is { } t2 ? (t2 / c2) - 1 : null;
        return new EffectEstimate(
            status, controlMean, treatmentMean, effect, null, null, null, null, null,
            new RelativeEffect(status, lift, null, null, null, null));
    }

    /// <summary>Two-sided p-value of a t statistic (normal when <paramref name="degreesOfFreedom"/> is null).</summary>
    private static double TwoSidedPValue(double statistic, double? degreesOfFreedom) =>
        degreesOfFreedom is { } df
            ? 2 * StudentT.CDF(0, 1, df, -Math.Abs(statistic))
            : SpecialFunctions.Erfc(Math.Abs(statistic) / Math.Sqrt(2));

    private static double Quantile(double probability, double? degreesOfFreedom) =>
        degreesOfFreedom is { } df ? StudentT.InvCDF(0, 1, df, probability) : Normal.InvCDF(0, 1, probability);

    private static RelativeEffect Relate(
        double controlMean, double controlMeanVariance, double treatmentMean, double treatmentMeanVariance,
        double? degreesOfFreedom, double quantile)
    {
        if (controlMean == 0)
        {
            return new RelativeEffect(TestStatus.ZeroControlMean, null, null, null, null, null);
        }

        var lift = (treatmentMean / controlMean) - 1;
        var c2 = controlMean * controlMean;
        var variance = (treatmentMeanVariance / c2) + (treatmentMean * treatmentMean * controlMeanVariance / (c2 * c2));

        // A constant treatment at zero against a varying control: the delta method gives no spread.
        if (!(variance > 0))
        {
            return new RelativeEffect(TestStatus.ZeroVariance, lift, null, null, null, null);
        }

        var standardError = Math.Sqrt(variance);
        return new RelativeEffect(
            TestStatus.Ok, lift, standardError, lift - (quantile * standardError), lift + (quantile * standardError),
            TwoSidedPValue(lift / standardError, degreesOfFreedom));
    }
}

/// <summary>
/// The relative effect treatment / control − 1 with its delta-method standard error, interval and
/// p-value. <see cref="Lift"/> is given whenever both means are and the control mean is not zero; the
/// other fields only when <see cref="Status"/> is <see cref="TestStatus.Ok"/>.
/// </summary>
/// <param name="Status">Whether the inference fields could be computed.</param>
/// <param name="Lift">Treatment mean / control mean − 1.</param>
/// <param name="StandardError">Delta-method standard error of <see cref="Lift"/>.</param>
/// <param name="CiLow">Lower end of the (1 − α) confidence interval of <see cref="Lift"/>.</param>
/// <param name="CiHigh">Upper end of that interval.</param>
/// <param name="PValue">Two-sided p-value of "no lift".</param>
public sealed record RelativeEffect(
    TestStatus Status, double? Lift, double? StandardError, double? CiLow, double? CiHigh, double? PValue);
