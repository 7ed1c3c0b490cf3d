using PromoPilot.Measurement.Experiments.Statistics;

namespace PromoPilot.Measurement.Experiments.Sequential;

/// <summary>
/// One look at an experiment through the always-valid confidence sequence of <see cref="SequentialTest"/>.
/// When <see cref="Status"/> is not <see cref="TestStatus.Ok"/>, <see cref="Low"/> and <see cref="High"/>
/// are −∞ and +∞ and <see cref="ExcludesZero"/> is false; <see cref="Effect"/> and <see cref="StandardError"/>
/// are the plug-in values where both arms have units, else 0.
/// </summary>
/// <param name="Status">Whether the data allowed a readout.</param>
/// <param name="Effect">Treatment over control on the chosen scale.</param>
/// <param name="StandardError">Estimated standard error of <paramref name="Effect"/>.</param>
/// <param name="Low">Lower end of the confidence sequence at this look.</param>
/// <param name="High">Upper end of the confidence sequence at this look.</param>
/// <param name="ExcludesZero">
/// True when the sequence excludes 0: the decision that the arms differ, valid however often one has looked.
/// </param>
public sealed record SequentialResult(
    TestStatus Status, double Effect, double StandardError, double Low, double High, bool ExcludesZero);
