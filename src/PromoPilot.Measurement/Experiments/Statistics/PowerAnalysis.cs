using MathNet.Numerics.Distributions;

namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>The scale of an effect: a minimum detectable effect, or the effect a sequential or Bayesian readout reports.</summary>
public enum EffectScale
{
    /// <summary>Treatment − control, in the metric's units (a proportion's points: 0.01 = one point).</summary>
    Absolute = 0,

    /// <summary>Treatment / control − 1 (0.05 = a 5 % lift); readouts take its standard error from the delta method.</summary>
    Relative = 1,
}

/// <summary>Options of <see cref="PowerAnalysis"/>.</summary>
public sealed record PowerOptions
{
    /// <summary>The defaults: α = 0.05, power 0.8, equal arms, absolute effect.</summary>
    public static PowerOptions Default { get; } = new();

    /// <summary>Significance level of the two-sided test. Default 0.05; must lie in (0, 1).</summary>
    public double Alpha
    {
        get;
        init => field = FrequentistOptions.OpenUnitInterval(value, nameof(Alpha));
    } = 0.05;

    /// <summary>Probability of detecting the effect. Default 0.8; must lie in (0, 1) and exceed <see cref="Alpha"/>.</summary>
    public double Power
    {
        get;
        init => field = FrequentistOptions.OpenUnitInterval(value, nameof(Power));
    } = 0.8;

    /// <summary>Treatment units per control unit (statsmodels' ratio = nobs2 / nobs1). Default 1; must be positive.</summary>
    public double AllocationRatio
    {
        get;
        init => field = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(AllocationRatio), value, "AllocationRatio must be positive.");
    } = 1;

    /// <summary>Scale of the minimum detectable effect. Default <see cref="EffectScale.Absolute"/>.</summary>
    public EffectScale Scale { get; init; } = EffectScale.Absolute;
}

/// <summary>Units needed to detect an effect.</summary>
/// <param name="EffectSize">The standardized effect size the power equation used (Cohen's d or h).</param>
/// <param name="ControlUnits">Control units solving the power equation exactly (statsmodels' nobs1, not rounded).</param>
/// <param name="TreatmentUnits">ControlUnits × allocation ratio.</param>
/// <param name="TotalUnits">Both arms rounded up and added: the units to plan for.</param>
public sealed record SampleSizeEstimate(double EffectSize, double ControlUnits, double TreatmentUnits, long TotalUnits);

/// <summary>
/// Power and sample size of the two-sided two-sample z-test, following statsmodels' NormalIndPower:
/// power(d, n_C) = Φ(|d|·√ñ − z) + Φ(−z − |d|·√ñ), with z = Φ⁻¹(1 − α/2) and ñ = 1 / (1/n_C + 1/n_T),
/// n_T = ratio·n_C; both tails are counted, so sample sizes are found by root finding, not the
/// one-tail closed form. Means use Cohen's d = MDE / σ (σ the metric's standard deviation, assumed
/// equal in both arms); proportions use Cohen's h = 2·asin(√p_T) − 2·asin(√p_C), statsmodels'
/// proportion_effectsize. The normal rather than the t distribution (TTestIndPower) is used because
/// experiments are sized in hundreds of units or more, where the two agree.
/// </summary>
public static class PowerAnalysis
{
    /// <summary>Units needed to detect a change of the mean by <paramref name="minimumDetectableEffect"/>.</summary>
    /// <param name="baselineMean">Control mean; used only for a relative effect.</param>
    /// <param name="standardDeviation">Standard deviation of the metric per unit.</param>
    /// <param name="minimumDetectableEffect">Effect to detect, absolute or relative (<see cref="PowerOptions.Scale"/>); not zero.</param>
    /// <param name="options">α, power, allocation ratio and scale.</param>
    /// <exception cref="ArgumentException">A non-positive standard deviation, a zero effect, a zero baseline for a relative effect, or power not above α.</exception>
    public static SampleSizeEstimate SampleSizeForMeans(double baselineMean, double standardDeviation, double minimumDetectableEffect, PowerOptions? options = null)
    {
        options ??= PowerOptions.Default;
        return SampleSize(MeansEffectSize(baselineMean, standardDeviation, minimumDetectableEffect, options), options);
    }

    /// <summary>Units needed to detect a change of a conversion rate by <paramref name="minimumDetectableEffect"/>.</summary>
    /// <param name="baselineRate">Control rate, in (0, 1).</param>
    /// <param name="minimumDetectableEffect">Change to detect, absolute (points) or relative; the treatment rate must stay in [0, 1] and differ from the baseline.</param>
    /// <param name="options">α, power, allocation ratio and scale.</param>
    /// <exception cref="ArgumentException">A baseline outside (0, 1), a treatment rate outside [0, 1] or equal to the baseline, or power not above α.</exception>
    public static SampleSizeEstimate SampleSizeForProportions(double baselineRate, double minimumDetectableEffect, PowerOptions? options = null)
    {
        options ??= PowerOptions.Default;
        return SampleSize(ProportionsEffectSize(baselineRate, minimumDetectableEffect, options), options);
    }

    /// <summary>Power of the test with <paramref name="controlUnits"/> control units (treatment = ratio × control).</summary>
    /// <exception cref="ArgumentException">As <see cref="SampleSizeForMeans"/>, or non-positive units.</exception>
    public static double PowerForMeans(double baselineMean, double standardDeviation, double minimumDetectableEffect, double controlUnits, PowerOptions? options = null)
    {
        options ??= PowerOptions.Default;
        return Power(MeansEffectSize(baselineMean, standardDeviation, minimumDetectableEffect, options), PositiveUnits(controlUnits), options);
    }

    /// <summary>Power of the test with <paramref name="controlUnits"/> control units (treatment = ratio × control).</summary>
    /// <exception cref="ArgumentException">As <see cref="SampleSizeForProportions"/>, or non-positive units.</exception>
    public static double PowerForProportions(double baselineRate, double minimumDetectableEffect, double controlUnits, PowerOptions? options = null)
    {
        options ??= PowerOptions.Default;
        return Power(ProportionsEffectSize(baselineRate, minimumDetectableEffect, options), PositiveUnits(controlUnits), options);
    }

    private static double MeansEffectSize(double baselineMean, double standardDeviation, double minimumDetectableEffect, PowerOptions options)
    {
        if (!(standardDeviation > 0) || !double.IsFinite(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "standard deviation must be positive.");
        }

        if (options.Scale == EffectScale.Relative && (baselineMean == 0 || !double.IsFinite(baselineMean)))
        {
            throw new ArgumentOutOfRangeException(nameof(baselineMean), baselineMean, "a relative effect needs a non-zero baseline mean.");
        }

        var absolute = options.Scale == EffectScale.Relative ? minimumDetectableEffect * baselineMean : minimumDetectableEffect;
        if (absolute == 0 || !double.IsFinite(absolute))
        {
            throw new ArgumentOutOfRangeException(nameof(minimumDetectableEffect), minimumDetectableEffect, "the effect to detect must be non-zero and finite.");
        }

        return absolute / standardDeviation;
    }

    private static double ProportionsEffectSize(double baselineRate, double minimumDetectableEffect, PowerOptions options)
    {
        if (!(baselineRate > 0 && baselineRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(baselineRate), baselineRate, "baseline rate must lie in (0, 1).");
        }

        var treatmentRate = options.Scale == EffectScale.Relative
            ? baselineRate * (1 + minimumDetectableEffect)
            : baselineRate + minimumDetectableEffect;
        if (!(treatmentRate >= 0 && treatmentRate <= 1) || treatmentRate == baselineRate)
        {
            throw new ArgumentOutOfRangeException(nameof(minimumDetectableEffect), minimumDetectableEffect, $"the treatment rate {treatmentRate} must lie in [0, 1] and differ from the baseline.");
        }

        return (2 * Math.Asin(Math.Sqrt(treatmentRate))) - (2 * Math.Asin(Math.Sqrt(baselineRate)));
    }

    private static double Power(double effectSize, double controlUnits, PowerOptions options)
    {
        var critical = Normal.InvCDF(0, 1, 1 - (options.Alpha / 2));
        var shift = Math.Abs(effectSize) * Math.Sqrt(controlUnits * options.AllocationRatio / (1 + options.AllocationRatio));
        return Normal.CDF(0, 1, shift - critical) + Normal.CDF(0, 1, -critical - shift);
    }

    private static SampleSizeEstimate SampleSize(double effectSize, PowerOptions options)
    {
        if (!(options.Power > options.Alpha))
        {
            throw new ArgumentException($"power {options.Power} must exceed alpha {options.Alpha}: a test reaches alpha with no units.", nameof(options));
        }

        // The one-tail closed form ignores the far tail, so it needs at least as many units as the
        // exact answer: with power(0) = α below the target it brackets the root.
        var z = Normal.InvCDF(0, 1, 1 - (options.Alpha / 2)) + Normal.InvCDF(0, 1, options.Power);
        var upper = z * z * (1 + (1 / options.AllocationRatio)) / (effectSize * effectSize);
        // Bisection: power rises with n, and halving to a relative width of 1e-13 takes about 45 steps.
        var (low, high) = (0.0, upper);
        while (high - low > 1e-13 * high)
        {
            var middle = (low + high) / 2;
            (low, high) = Power(effectSize, middle, options) < options.Power ? (middle, high) : (low, middle);
        }

        var control = (low + high) / 2;
        var treatment = control * options.AllocationRatio;
        return new SampleSizeEstimate(effectSize, control, treatment, (long)Math.Ceiling(control) + (long)Math.Ceiling(treatment));
    }

    private static double PositiveUnits(double controlUnits) =>
        controlUnits > 0 && double.IsFinite(controlUnits)
            ? controlUnits
            : throw new ArgumentOutOfRangeException(nameof(controlUnits), controlUnits, "units must be positive.");
}
