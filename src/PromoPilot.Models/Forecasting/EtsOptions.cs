namespace PromoPilot.Models.Forecasting;

/// <summary>Options of <see cref="Ets"/>; defaults follow forecast::ets where it has one.</summary>
public sealed record EtsOptions
{
    /// <summary>Seasonal period m (12 monthly, 4 quarterly, 1 none). Default 1. Seasonal types need 2 ≤ m ≤ 24 and n ≥ 2m.</summary>
    public int Period { get; init; } = 1;

    /// <summary>A fixed model type, or null (default) to choose by AICc over the admissible types.</summary>
    public EtsType? Type { get; init; }

    /// <summary>
    /// Leave additive-error models with multiplicative seasonality out of the automatic search, as forecast::ets does
    /// with restrict = TRUE (they are numerically unstable). Default true. A fixed <see cref="Type"/> is always fitted.
    /// </summary>
    public bool RestrictUnstable { get; init; } = true;

    /// <summary>Lower bound of α, β, γ (the "usual" region of Hyndman et al. 2008, §5.1: 0 &lt; β &lt; α &lt; 1, 0 &lt; γ &lt; 1 − α). Default 1e-4.</summary>
    public double SmoothingLower { get; init; } = 1e-4;

    /// <summary>Upper bound of α, β, γ. Default 0.9999.</summary>
    public double SmoothingUpper { get; init; } = 0.9999;

    /// <summary>Lower bound of the damping parameter φ. Default 0.8.</summary>
    public double PhiLower { get; init; } = 0.8;

    /// <summary>Upper bound of the damping parameter φ. Default 0.98.</summary>
    public double PhiUpper { get; init; } = 0.98;

    /// <summary>
    /// How the likelihood is maximized. Default <see cref="EtsOptimizer.Auto"/>: forecast::ets's own single Nelder-Mead
    /// run for the non-seasonal types (whose starting states are forecast::ets's, so its fits and its automatic
    /// selection are reproduced), the multi-start search for seasonal types (whose decomposition start differs from
    /// forecast::ets's, so copying its optimizer would not copy its fits, only its early stops).
    /// </summary>
    public EtsOptimizer Optimizer { get; init; } = EtsOptimizer.Auto;

    /// <summary>Relative convergence tolerance of the <see cref="EtsOptimizer.Nash"/> run. Default √ε ≈ 1.49e-8 (optim's reltol).</summary>
    public double NashTolerance { get; init; } = 1.490116119384765625e-8;

    /// <summary>Nelder-Mead iterations per run. Default 2000 (forecast::ets uses maxit = 2000).</summary>
    public int MaxIterations { get; init; } = 2000;

    /// <summary>Relative convergence tolerance of each Nelder-Mead run. Default 1e-8 (R's optim uses 1.5e-8).</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>Nelder-Mead restarts from the best point found, to leave the flat regions of the likelihood. Default 2.</summary>
    public int Restarts { get; init; } = 2;

    /// <summary>Sample paths for simulated intervals (classes without an analytic variance). Default 5000.</summary>
    public int SimulationPaths { get; init; } = 5000;

    /// <summary>Seed of the simulated intervals. Default 42.</summary>
    public int Seed { get; init; } = 42;
}

/// <summary>Likelihood maximizers of <see cref="Ets"/>.</summary>
public enum EtsOptimizer
{
    /// <summary><see cref="Nash"/> for non-seasonal types, <see cref="MultiStart"/> for seasonal ones.</summary>
    Auto,

    /// <summary>
    /// One run of Nash's Nelder-Mead (R's optim, as forecast::ets calls it) from the heuristic start, with its initial
    /// simplex of steps 0.1·max|x_i| and at most <see cref="EtsOptions.MaxIterations"/> evaluations.
    /// </summary>
    Nash,

    /// <summary>
    /// MathNet's Nelder-Mead from two starting α with <see cref="EtsOptions.Restarts"/> restarts: higher likelihoods than
    /// forecast::ets reaches, but on short promotion-spiked series these favour trend types that forecast worse.
    /// </summary>
    MultiStart,
}
