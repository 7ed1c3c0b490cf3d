using PromoPilot.Core.Experiments;

namespace PromoPilot.Measurement.Experiments.Assignment;

/// <summary>
/// Logs exposures of assigned units, stamped by the injected clock. Only units with a variant are exposed: a unit
/// held out, not covered, out of the layer range or not targeted sees the default experience and is not logged.
/// </summary>
public sealed class ExposureRecorder(IExposureLog log, TimeProvider clock)
{
    private readonly IExposureLog _log = log ?? throw new ArgumentNullException(nameof(log));
    private readonly TimeProvider _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>Logs that <paramref name="unitId"/> saw its variant now; false (nothing logged) when it has none.</summary>
    public bool Record(string unitId, UnitAssignment assignment, IReadOnlyDictionary<string, string>? attributes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(unitId);
        if (assignment.Variant is null)
        {
            return false;
        }

        _log.Append(new ExperimentExposure(assignment.ExperimentKey, unitId, assignment.Variant, _clock.GetUtcNow(), attributes));
        return true;
    }
}
