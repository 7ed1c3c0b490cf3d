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
