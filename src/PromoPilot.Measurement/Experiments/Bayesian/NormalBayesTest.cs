using MathNet.Numerics.Distributions;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>
/// Bayesian readout of any metric with a normal model on the effect, as GrowthBook's Bayesian engine does
/// (docs.growthbook.io/statistics/details): the plug-in effect δ̂ (absolute or relative) with standard error
/// σ̂ is the likelihood δ̂ ~ N(δ, σ̂²), and the prior is δ ~ N(m, τ²) (<see cref="NormalBayesOptions"/>;
/// flat by default).
/// </summary>
/// <remarks>
/// Conjugate update: precision 1/s² = 1/σ̂² + 1/τ², posterior mean μ = s²(δ̂/σ̂² + m/τ²). Then
/// chance to beat control P(δ &gt; 0) = Φ(μ/s); risk of choosing treatment E[max(−δ, 0)] = s φ(μ/s) − μ Φ(−μ/s);
/// risk of choosing control E[max(δ, 0)] = s φ(μ/s) + μ Φ(μ/s) (the normal partial expectations).
/// </remarks>
public static class NormalBayesTest
{
    /// <summary>Posterior of the effect of treatment over control.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static BayesianReadout Compare(MetricSummary control, MetricSummary treatment, NormalBayesOptions? options = null)
    {
        options ??= NormalBayesOptions.Default;
        options.Validate(nameof(options));
        var estimate = MeanDifference.Estimate(control, treatment, options.Scale);
        var priorPrecision = 1 / (options.PriorStdDev * options.PriorStdDev);
        double mean = options.PriorMean, sd = options.PriorStdDev;
        if (estimate.Status == TestStatus.Ok)
        {
            var dataPrecision = 1 / (estimate.StandardError * estimate.StandardError);
            var variance = 1 / (dataPrecision + priorPrecision);
            mean = variance * ((estimate.Effect * dataPrecision) + (options.PriorMean * priorPrecision));
            sd = Math.Sqrt(variance);
        }

        var z = Normal.InvCDF(0, 1, 0.5 + (options.CredibleLevel / 2));
        var standardized = mean / sd;
        var density = Normal.PDF(0, 1, standardized);

        // Far in a tail the two terms of a loss nearly cancel and rounding can leave −1e-17 where the loss is 0.
        return new BayesianReadout(
            estimate.Status,
            mean,
            sd,
            mean - (z * sd),
            mean + (z * sd),
            ChanceToBeatControl: Normal.CDF(0, 1, standardized),
            RiskOfChoosingTreatment: Math.Max(0, (sd * density) - (mean * Normal.CDF(0, 1, -standardized))),
            RiskOfChoosingControl: Math.Max(0, (sd * density) + (mean * Normal.CDF(0, 1, standardized))));
    }

    /// <summary>
    /// Chance that each arm has the highest mean, each arm's mean taken as N(x̄, s²/n) (flat prior, normal
    /// approximation), by <see cref="NormalBayesOptions.Draws"/> seeded draws. Status: an arm with no units
    /// or one unit, or all arms with zero variance, gives uniform chances.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two arms, or invalid options.</exception>
    public static BestArmReadout ChanceToBeBest(IReadOnlyList<MetricSummary> arms, NormalBayesOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(arms);
        if (arms.Count < 2)
        {
            throw new ArgumentException($"At least two arms are needed; there are {arms.Count}.", nameof(arms));
        }

        options ??= NormalBayesOptions.Default;
        options.Validate(nameof(options));
        var status = arms.Any(a => a.Count == 0) ? TestStatus.NoUnits
            : arms.Any(a => a.Count == 1) ? TestStatus.TooFewUnits
            : arms.All(a => a.Variance == 0) ? TestStatus.ZeroVariance
            : TestStatus.Ok;
        if (status != TestStatus.Ok)
        {
            return new BestArmReadout(status, MonteCarlo.Uniform(arms.Count));
        }

        var means = arms.Select(a => a.Mean).ToArray();
        var errors = arms.Select(a => Math.Sqrt(a.Variance / a.Count)).ToArray();
        var chances = MonteCarlo.ChanceToBeBest(arms.Count, options.Draws, new Random(options.Seed),
            (arm, random) => means[arm] + (errors[arm] * Normal.Sample(random, 0, 1)));
        return new BestArmReadout(TestStatus.Ok, chances);
    }
}
