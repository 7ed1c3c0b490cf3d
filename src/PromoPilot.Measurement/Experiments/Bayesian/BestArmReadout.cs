using PromoPilot.Measurement.Experiments.Statistics;

using PromoPilot.Measurement.Experiments.Sequential;

namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>
/// The posterior probability that each arm has the highest mean, in the order the arms were given; the
/// chances sum to 1. When <see cref="Status"/> is not <see cref="TestStatus.Ok"/> no arm is preferred and
/// every chance is 1 / arms.
/// </summary>
/// <param name="Status">Whether the data allowed a readout.</param>
/// <param name="Chances">Chance to be best of each arm.</param>
public sealed record BestArmReadout(TestStatus Status, IReadOnlyList<double> Chances);
