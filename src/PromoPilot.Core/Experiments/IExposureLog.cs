namespace PromoPilot.Core.Experiments;

/// <summary>
/// One exposure: unit <paramref name="UnitId"/> saw variant <paramref name="Variant"/> of experiment
/// <paramref name="ExperimentKey"/> at <paramref name="Timestamp"/> (from the caller's injected clock).
/// </summary>
/// <param name="ExperimentKey">The experiment's key.</param>
/// <param name="UnitId">The randomization unit (a pseudonymized customer id, a session id...).</param>
/// <param name="Variant">The variant shown.</param>
/// <param name="Timestamp">When the unit was exposed.</param>
/// <param name="Attributes">Context worth keeping for the analysis (page, device...); null when none.</param>
public sealed record ExperimentExposure(
    string ExperimentKey,
    string UnitId,
    string Variant,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>
/// Where exposures go. A unit may be logged many times (every page view); analyses count a unit once, from its
/// first exposure, which is what <see cref="FirstExposures"/> returns.
/// </summary>
public interface IExposureLog
{
    /// <summary>Adds an exposure; implementations may buffer until <see cref="Flush"/>.</summary>
    void Append(ExperimentExposure exposure);

    /// <summary>Writes buffered exposures.</summary>
    void Flush();

    /// <summary>The first exposure of each unit in <paramref name="experimentKey"/>, ordered by time then unit id.</summary>
    IReadOnlyList<ExperimentExposure> FirstExposures(string experimentKey);
}
