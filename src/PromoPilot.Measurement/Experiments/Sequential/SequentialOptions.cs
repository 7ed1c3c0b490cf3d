using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Sequential;

/// <summary>Settings of <see cref="SequentialTest"/>; every default is stated here and checked by <see cref="Validate"/>.</summary>
public sealed record SequentialOptions
{
    /// <summary>
    /// Probability that the confidence sequence ever misses the true effect, over every look at any time.
    /// Default 0.05; in (0, 1).
    /// </summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// N*: the total sample size (both arms together) at which decisions are expected. The sequence is
    /// narrowest relative to the fixed-sample interval near this size; it stays valid at every size. Fix it
    /// before the experiment starts. Default 5,000 (GrowthBook's default); at least 1.
    /// </summary>
    public double TuningSampleSize { get; init; } = 5000;

    /// <summary>The scale of the effect. Default <see cref="EffectScale.Absolute"/>.</summary>
    public EffectScale Scale { get; init; } = EffectScale.Absolute;

    /// <summary>The defaults.</summary>
    public static SequentialOptions Default { get; } = new();

    /// <summary>Checks every setting.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message names it.</exception>
    public void Validate(string parameterName)
    {
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw new ArgumentException($"Alpha must lie in (0, 1); it is {Alpha}.", parameterName);
        }

        if (!(TuningSampleSize >= 1) || double.IsPositiveInfinity(TuningSampleSize))
        {
            throw new ArgumentException($"TuningSampleSize must be a finite number of at least 1; it is {TuningSampleSize}.", parameterName);
        }

        if (!Enum.IsDefined(Scale))
        {
            throw new ArgumentException($"Scale {Scale} is not a defined value.", parameterName);
        }
    }
}
