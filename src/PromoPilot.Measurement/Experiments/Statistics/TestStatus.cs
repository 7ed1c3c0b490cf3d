namespace PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// Whether a test could be computed. Degenerate data gives one of these codes instead of an exception
/// or a NaN; what each result record still fills in is documented on the record.
/// </summary>
public enum TestStatus
{
    /// <summary>Every field of the result is computed.</summary>
    Ok = 0,

    /// <summary>An arm has fewer units than the test needs (2 for most tests, 3 for regression adjustment).</summary>
    TooFewUnits = 1,

    /// <summary>The standard error of the effect is zero: both arms are constant.</summary>
    ZeroVariance = 2,

    /// <summary>A relative effect was asked for but the control mean is zero.</summary>
    ZeroControlMean = 3,

    /// <summary>A ratio metric's denominator sums to zero in an arm.</summary>
    ZeroDenominator = 4,

    /// <summary>An arm has no units at all (sequential and Bayesian readouts then return their prior or an unbounded interval).</summary>
    NoUnits = 5,
}
