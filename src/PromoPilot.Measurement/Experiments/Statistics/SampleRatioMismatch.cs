using MathNet.Numerics;

namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>Options of <see cref="SampleRatioMismatch.Check"/>.</summary>
public sealed record SampleRatioOptions
{
    /// <summary>The defaults: alert below p = 0.001.</summary>
    public static SampleRatioOptions Default { get; } = new();

    /// <summary>
    /// p-value below which the split is flagged. Default 0.001: strict, because the check runs on every
    /// experiment and every day, and a real mismatch (a bug in assignment or logging) gives tiny p-values
    /// on experiment-sized samples. Must lie in (0, 1).
    /// </summary>
    public double AlertThreshold
    {
        get;
        init => field = FrequentistOptions.OpenUnitInterval(value, nameof(AlertThreshold));
    } = 0.001;
}

/// <summary>The sample-ratio-mismatch check of one experiment.</summary>
/// <param name="Status"><see cref="TestStatus.TooFewUnits"/> when no unit was observed; then the statistic and p-value are null and no alert is raised.</param>
/// <param name="ChiSquare">Pearson's statistic Σ (observed − expected)² / expected.</param>
/// <param name="DegreesOfFreedom">Number of arms − 1.</param>
/// <param name="PValue">Upper tail of χ² with <paramref name="DegreesOfFreedom"/>.</param>
/// <param name="Mismatch">True when <paramref name="PValue"/> is below the alert threshold.</param>
/// <param name="ExpectedCounts">Units expected in each arm: total × weight / Σ weights.</param>
public sealed record SampleRatioResult(
    TestStatus Status, double? ChiSquare, int DegreesOfFreedom, double? PValue, bool Mismatch, IReadOnlyList<double> ExpectedCounts);

/// <summary>
/// Sample-ratio mismatch (Fabijan et al. 2019, "Diagnosing Sample Ratio Mismatch in Online Controlled
/// Experiments"): Pearson's chi-square goodness of fit of the units observed in each arm against the
/// designed split; matches scipy.stats.chisquare(observed, expected).
/// </summary>
public static class SampleRatioMismatch
{
    /// <summary>Tests the observed counts against the expected weights (any positive scale, e.g. 50/50 or 1/1).</summary>
    /// <exception cref="ArgumentException">
    /// Fewer than two arms, lengths differ, a negative count, or a weight that is not positive and finite.
    /// </exception>
    public static SampleRatioResult Check(IReadOnlyList<long> observed, IReadOnlyList<double> expectedWeights, SampleRatioOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(observed);
        ArgumentNullException.ThrowIfNull(expectedWeights);
        options ??= SampleRatioOptions.Default;
        if (observed.Count < 2)
        {
            throw new ArgumentException("at least two arms are needed.", nameof(observed));
        }

        if (expectedWeights.Count != observed.Count)
        {
            throw new ArgumentException($"{expectedWeights.Count} weights for {observed.Count} arms.", nameof(expectedWeights));
        }

        if (observed.Any(count => count < 0))
        {
            throw new ArgumentException("counts must not be negative.", nameof(observed));
        }

        if (expectedWeights.Any(weight => !(weight > 0) || !double.IsFinite(weight)))
        {
            throw new ArgumentException("weights must be positive and finite.", nameof(expectedWeights));
        }

        var total = (double)observed.Sum();
        var weightSum = expectedWeights.Sum();
        var expected = expectedWeights.Select(weight => total * weight / weightSum).ToArray();
        var degreesOfFreedom = observed.Count - 1;
        if (total == 0)
        {
            return new SampleRatioResult(TestStatus.TooFewUnits, null, degreesOfFreedom, null, false, expected);
        }

        var chiSquare = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = observed[i] - expected[i];
            chiSquare += difference * difference / expected[i];
        }

        // The regularized upper incomplete gamma keeps precision in the far tail, where 1 − CDF would not.
        var pValue = SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, chiSquare / 2);
        return new SampleRatioResult(TestStatus.Ok, chiSquare, degreesOfFreedom, pValue, pValue < options.AlertThreshold, expected);
    }
}
