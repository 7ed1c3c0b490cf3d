using MathNet.Numerics.Distributions;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Sequential;

/// <summary>
/// Always-valid comparison of two arms, safe to peek at daily: the Gaussian-mixture asymptotic confidence
/// sequence of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas, "Time-uniform central limit theory and
/// asymptotic confidence sequences" (arXiv 2103.06476, 2023), as GrowthBook's engine applies it to the
/// effect of treatment over control (docs.growthbook.io/statistics/sequential).
/// </summary>
/// <remarks>
/// With N = n_C + n_T units in total, σ̂ the standard error of the effect, so that σ̂√N estimates the
/// per-unit standard deviation, the sequence at each look is
/// <code>effect ± σ̂ √N √( 2(Nρ² + 1) / (N²ρ²) · ln( √(Nρ² + 1) / α ) )</code>
/// and ρ is chosen so that the sequence is narrowest near the planned total sample size N*
/// (<see cref="SequentialOptions.TuningSampleSize"/>):
/// <code>ρ = √( (−2 ln α + ln(1 − 2 ln α)) / N* )</code>
/// The sequence is always wider than the fixed-sample interval at the same α; in exchange the chance that it
/// ever excludes the true effect, over every look, is at most α (asymptotically in N).
/// </remarks>
public static class SequentialTest
{
    /// <summary>Compares treatment with control at one look.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static SequentialResult Compare(MetricSummary control, MetricSummary treatment, SequentialOptions? options = null)
    {
        options ??= SequentialOptions.Default;
        options.Validate(nameof(options));
        var estimate = MeanDifference.Estimate(control, treatment, options.Scale);
        if (estimate.Status != TestStatus.Ok)
        {
            return new SequentialResult(estimate.Status, estimate.Effect, estimate.StandardError,
                double.NegativeInfinity, double.PositiveInfinity, ExcludesZero: false);
        }

        var halfWidth = HalfWidth(estimate.StandardError, control.Count + treatment.Count, Rho(options.Alpha, options.TuningSampleSize), options.Alpha);
        var low = estimate.Effect - halfWidth;
        var high = estimate.Effect + halfWidth;
        return new SequentialResult(TestStatus.Ok, estimate.Effect, estimate.StandardError, low, high, ExcludesZero: low > 0 || high < 0);
    }

    /// <summary>The mixture parameter ρ that makes the sequence narrowest at total sample size <paramref name="tuningSampleSize"/> (N*).</summary>
    public static double Rho(double alpha, double tuningSampleSize)
    {
        var logAlpha = Math.Log(alpha);
        return Math.Sqrt(((-2 * logAlpha) + Math.Log(1 - (2 * logAlpha))) / tuningSampleSize);
    }

    /// <summary>Half-width of the sequence for an effect with standard error <paramref name="standardError"/> from <paramref name="totalUnits"/> units.</summary>
    public static double HalfWidth(double standardError, long totalUnits, double rho, double alpha)
    {
        double n = totalUnits, nRho2 = n * rho * rho;
        return standardError * Math.Sqrt(n) * Math.Sqrt(2 * (nRho2 + 1) / (n * nRho2) * Math.Log(Math.Sqrt(nRho2 + 1) / alpha));
    }

    /// <summary>Half-width of the fixed-sample (one look) normal interval at the same α, for comparison.</summary>
    public static double FixedSampleHalfWidth(double standardError, double alpha) =>
        standardError * Normal.InvCDF(0, 1, 1 - (alpha / 2));
}
