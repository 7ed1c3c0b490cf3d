using PromoPilot.Measurement.Experiments.Statistics;

using PromoPilot.Measurement.Experiments.Sequential;

namespace PromoPilot.Measurement.Experiments.Bayesian;

/// <summary>
/// Posterior readout of the effect of treatment over control under the normal model of
/// <see cref="NormalBayesTest"/>. When <see cref="Status"/> is not <see cref="TestStatus.Ok"/> the data carry
/// no usable likelihood and every figure is the prior's: with the default flat prior the mean is the prior
/// mean, the standard deviation and the interval are infinite, the chance to beat control is 0.5 and both
/// risks are +∞ (never NaN).
/// </summary>
/// <param name="Status">Whether the data allowed a readout.</param>
/// <param name="PosteriorMean">Posterior mean of the effect.</param>
/// <param name="PosteriorStdDev">Posterior standard deviation of the effect.</param>
/// <param name="CredibleLow">Lower end of the equal-tailed credible interval.</param>
/// <param name="CredibleHigh">Upper end of the equal-tailed credible interval.</param>
/// <param name="ChanceToBeatControl">Posterior probability that the effect is positive.</param>
/// <param name="RiskOfChoosingTreatment">Expected loss of shipping treatment, E[max(−effect, 0)], in effect units.</param>
/// <param name="RiskOfChoosingControl">Expected loss of keeping control, E[max(effect, 0)], in effect units.</param>
public sealed record BayesianReadout(
    TestStatus Status,
    double PosteriorMean,
    double PosteriorStdDev,
    double CredibleLow,
    double CredibleHigh,
    double ChanceToBeatControl,
    double RiskOfChoosingTreatment,
    double RiskOfChoosingControl);
