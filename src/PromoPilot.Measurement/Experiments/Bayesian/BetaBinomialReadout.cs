using PromoPilot.Measurement.Experiments.Statistics;

using PromoPilot.Measurement.Experiments.Sequential;

namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>
/// Posterior readout of a conversion metric under the Beta-Binomial model of <see cref="BetaBinomialTest"/>.
/// The prior is proper, so every figure is defined even without data: <see cref="Status"/> is
/// <see cref="TestStatus.NoUnits"/> when an arm has no units, and the figures are then the prior's.
/// </summary>
/// <param name="Status">Whether both arms have units.</param>
/// <param name="ControlRate">Posterior mean conversion rate of control.</param>
/// <param name="TreatmentRate">Posterior mean conversion rate of treatment.</param>
/// <param name="ChanceToBeatControl">P(p_T &gt; p_C), exact.</param>
/// <param name="RiskOfChoosingTreatment">Expected loss of shipping treatment, E[max(p_C − p_T, 0)], in rate units.</param>
/// <param name="RiskOfChoosingControl">Expected loss of keeping control, E[max(p_T − p_C, 0)], in rate units.</param>
public sealed record BetaBinomialReadout(
    TestStatus Status,
    double ControlRate,
    double TreatmentRate,
    double ChanceToBeatControl,
    double RiskOfChoosingTreatment,
    double RiskOfChoosingControl);
