using MathNet.Numerics;
using MathNet.Numerics.Distributions;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>
/// Bayesian readout of a conversion metric: each arm's rate p ~ Beta(α + successes, β + failures) with a
/// Beta(α, β) prior (<see cref="BetaBinomialOptions"/>; uniform Beta(1, 1) by default).
/// </summary>
/// <remarks>
/// The chance to beat control is exact, by Evan Miller's closed form ("Formulas for Bayesian A/B Testing",
/// evanmiller.org, 2015): for X ~ Beta(a, b) with whole a and Y ~ Beta(c, d),
/// <code>P(X &gt; Y) = Σ_{i=0}^{a−1} B(c + i, b + d) / ((b + i) B(1 + i, b) B(c, d))</code>
/// summed in log space (a sum of positive terms: no cancellation; a terms, so the cost grows with the
/// treatment's successes). The expected losses follow from the same sum, because E[X·1{X &gt; Y}] =
/// E[X]·P(X⁺ &gt; Y) with X⁺ ~ Beta(a + 1, b): E[max(X − Y, 0)] = E[X] P(X⁺ &gt; Y) − E[Y] P(X &gt; Y⁺).
/// </remarks>
public static class BetaBinomialTest
{
    /// <summary>Posterior comparison of treatment with control. Summaries must be of a 0/1 metric (<see cref="MetricSummary.OfProportion"/>).</summary>
    /// <exception cref="ArgumentException">A summary is not of a 0/1 metric, or the options are invalid.</exception>
    public static BetaBinomialReadout Compare(MetricSummary control, MetricSummary treatment, BetaBinomialOptions? options = null)
    {
        options ??= BetaBinomialOptions.Default;
        options.Validate(nameof(options));
        var (aC, bC) = Posterior(control, options, nameof(control));
        var (aT, bT) = Posterior(treatment, options, nameof(treatment));
        double meanC = aC / (double)(aC + bC), meanT = aT / (double)(aT + bT);
        var treatmentAbove = ProbabilityGreater(aT, bT, aC, bC);
        var treatmentPlusAbove = ProbabilityGreater(aT + 1, bT, aC, bC);
        var treatmentAbovePlus = ProbabilityGreater(aT, bT, aC + 1, bC);

        // Rounding can leave a loss of −1e-17 where the exact value is 0.
        var riskOfControl = Math.Max(0, (meanT * treatmentPlusAbove) - (meanC * treatmentAbovePlus));
        var riskOfTreatment = Math.Max(0, (meanC * (1 - treatmentAbovePlus)) - (meanT * (1 - treatmentPlusAbove)));
        var status = control.Count == 0 || treatment.Count == 0 ? TestStatus.NoUnits : TestStatus.Ok;
        return new BetaBinomialReadout(status, meanC, meanT, treatmentAbove, riskOfTreatment, riskOfControl);
    }

    /// <summary>
    /// Chance that each arm has the highest conversion rate, by <see cref="BetaBinomialOptions.Draws"/> seeded
    /// draws from the arms' Beta posteriors (defined for any counts, so the status is always Ok).
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two arms, a summary not of a 0/1 metric, or invalid options.</exception>
    public static BestArmReadout ChanceToBeBest(IReadOnlyList<MetricSummary> arms, BetaBinomialOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count < 2)
        {
            throw new ArgumentException($"At least two arms are needed; there are {arms.Count}.", nameof(arms));
        }

        options ??= BetaBinomialOptions.Default;
        options.Validate(nameof(options));
        var posteriors = arms.Select(a => Posterior(a, options, nameof(arms))).ToArray();
        var chances = MonteCarlo.ChanceToBeBest(arms.Count, options.Draws, new Random(options.Seed),
            (arm, random) => Beta.Sample(random, posteriors[arm].Alpha, posteriors[arm].Beta));
        return new BestArmReadout(TestStatus.Ok, chances);
    }

    /// <summary>P(X &gt; Y) for X ~ Beta(a, b), Y ~ Beta(c, d), a a whole number (Evan Miller's sum).</summary>
    internal static double ProbabilityGreater(long a, double b, double c, double d)
    {
        var logBetaCd = SpecialFunctions.BetaLn(c, d);
        double total = 0;
        for (long i = 0; i < a; i++)
        {
            total += Math.Exp(SpecialFunctions.BetaLn(c + i, b + d) - Math.Log(b + i) - SpecialFunctions.BetaLn(1 + i, b) - logBetaCd);
        }

        return Math.Clamp(total, 0, 1);
    }

    private static (long Alpha, long Beta) Posterior(MetricSummary summary, BetaBinomialOptions options, string parameterName)
    {
        var successes = summary.Sum;
        if (summary.Count < 0 || successes < 0 || successes > summary.Count || successes != Math.Floor(successes) || summary.SumOfSquares != successes)
        {
            throw new ArgumentException(
                $"Expected a summary of a 0/1 metric (successes {successes} of {summary.Count}, sum of squares equal to successes).", parameterName);
        }

        var s = (long)successes;
        return (options.PriorAlpha + s, options.PriorBeta + summary.Count - s);
    }
}
