namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>Options of the fixed-horizon (frequentist) tests.</summary>
public sealed record FrequentistOptions
{
    /// <summary>The defaults: α = 0.05.</summary>
    public static FrequentistOptions Default { get; } = new();

    /// <summary>Significance level α: tests are two-sided and intervals cover 1 − α. Default 0.05; must lie in (0, 1).</summary>
    public double Alpha
    {
        get;
        init => field = OpenUnitInterval(value, nameof(Alpha));
    } = 0.05;

    /// <summary>Returns <paramref name="value"/> when it lies strictly between 0 and 1, else throws naming it.</summary>
    internal static double OpenUnitInterval(double value, string name) =>
        value > 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in (0, 1).");
}
