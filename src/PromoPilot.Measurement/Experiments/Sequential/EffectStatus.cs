namespace PromoPilot.Measurement.Experiments.Sequential;

/// <summary>
/// Whether a comparison of two arms could be computed. Anything other than <see cref="Ok"/> is degenerate
/// data: the readout then carries no decision (each result type documents the values it holds), never NaN.
/// </summary>
public enum EffectStatus
{
    /// <summary>The readout is computed from the data.</summary>
    Ok,

    /// <summary>An arm has no units.</summary>
    NoUnits,

    /// <summary>An arm has a single unit, so its variance cannot be estimated.</summary>
    TooFewUnits,

    /// <summary>
    /// The standard error is 0 (both arms constant, or a constant-zero treatment on the relative scale): the
    /// normal approximation says nothing.
    /// </summary>
    ZeroVariance,

    /// <summary>The relative lift was asked for and the control mean is 0.</summary>
    ZeroControlMean,
}
