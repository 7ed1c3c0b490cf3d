using PromoPilot.Measurement.Experiments.Statistics;

using PromoPilot.Measurement.Experiments.Sequential;

namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>Settings of <see cref="NormalBayesTest"/>; every default is stated here and checked by <see cref="Validate"/>.</summary>
public sealed record NormalBayesOptions
{
    /// <summary>The scale of the effect the prior and the posterior are on. Default <see cref="EffectScale.Absolute"/>.</summary>
    public EffectScale Scale { get; init; } = EffectScale.Absolute;

    /// <summary>Mean of the normal prior on the effect. Default 0 (no effect expected either way).</summary>
    public double PriorMean { get; init; }

    /// <summary>
    /// Standard deviation of the normal prior on the effect. Default +∞: the flat (improper) prior, so the
    /// posterior is the normal likelihood of the data alone. A proper prior shrinks small, noisy effects toward
    /// <see cref="PriorMean"/>; on the relative scale 0.3 (GrowthBook's proper prior: lifts beyond ±60 % are
    /// rare) is a weakly informative choice. Greater than 0.
    /// </summary>
    public double PriorStdDev { get; init; } = double.PositiveInfinity;

    /// <summary>Probability inside the equal-tailed credible interval. Default 0.95; in (0, 1).</summary>
    public double CredibleLevel { get; init; } = 0.95;

    /// <summary>Monte-Carlo draws of <see cref="NormalBayesTest.ChanceToBeBest"/>. Default 10,000; at least 1.</summary>
    public int Draws { get; init; } = 10_000;

    /// <summary>Seed of the Monte-Carlo draws: the same input gives the same chances. Default 0.</summary>
    public int Seed { get; init; }

    /// <summary>The defaults.</summary>
    public static NormalBayesOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (!Enum.IsDefined(Scale))
        {
            throw new ArgumentException($"Scale {Scale} is not a defined value.", parameterName);
        }

        if (!double.IsFinite(PriorMean))
        {
            throw new ArgumentException($"PriorMean must be a finite number; it is {PriorMean}.", parameterName);
        }

        if (!(PriorStdDev > 0))
        {
            throw new ArgumentException($"PriorStdDev must be greater than 0 (+∞ for the flat prior); it is {PriorStdDev}.", parameterName);
        }

        if (!(CredibleLevel > 0 && CredibleLevel < 1))
        {
            throw new ArgumentException($"CredibleLevel must lie in (0, 1); it is {CredibleLevel}.", parameterName);
        }

        if (Draws < 1)
        {
            throw new ArgumentException($"Draws must be at least 1; it is {Draws}.", parameterName);
        }
    }
}
