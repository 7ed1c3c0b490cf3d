namespace PromoPilot.Models.Forecasting;

/// <summary>
/// Smoothing parameters and initial states of an ETS model. <see cref="Seasonal"/> holds the m initial seasonal states in
/// time order: element j is the state the j-th observation (0-based, j &lt; m) is seasonally adjusted with, i.e.
/// s_{1-m}, ..., s_0 in the notation of Hyndman et al. (2008). Unused parts: Beta = 0, Phi = 1 (undamped) or 0 (no
/// trend), Slope = 0, Seasonal empty.
/// </summary>
public sealed record EtsParameters(double Alpha, double Beta, double Gamma, double Phi, double Level, double Slope, double[] Seasonal);
