using MathNet.Numerics.Distributions;

namespace PromoPilot.Models.Forecasting;

/// <summary>
/// A fitted ETS model: its type, parameters and fit statistics as forecast::ets reports them (log-likelihood
/// −½·[n·log Σε² + 2·Σ log|μ|], AIC, AICc, BIC with k = free parameters + 1 for σ², σ² = Σε²/(n − free parameters)), and the final
/// states it forecasts from.
/// </summary>
public sealed class EtsModel
{
    private readonly EtsState _final;

    internal EtsModel(EtsType type, int period, EtsParameters parameters, int freeParameters, double minusTwoLogLik, double[] residuals, EtsState final)
    {
        Type = type;
        Period = period;
        Parameters = parameters;
        N = residuals.Length;
        ParameterCount = freeParameters + 1;
        LogLikelihood = -0.5 * minusTwoLogLik;
        Aic = minusTwoLogLik + (2.0 * ParameterCount);
        Aicc = N - ParameterCount - 1 > 0 ? Aic + (2.0 * ParameterCount * (ParameterCount + 1) / (N - ParameterCount - 1)) : double.PositiveInfinity;
        Bic = minusTwoLogLik + (Math.Log(N) * ParameterCount);
        Sigma2 = residuals.Sum(e => e * e) / Math.Max(N - freeParameters, 1);
        Residuals = residuals;
        _final = final;
    }

    public EtsType Type { get; }

    public int Period { get; }

    public EtsParameters Parameters { get; }

    /// <summary>Observations the model was fitted on.</summary>
    public int N { get; }

    /// <summary>Free parameters + 1 (σ²), as counted for the information criteria.</summary>
    public int ParameterCount { get; }

    public double LogLikelihood { get; }

    public double Aic { get; }

    public double Aicc { get; }

    public double Bic { get; }

    /// <summary>Residual variance Σε²/(n − free parameters) as forecast::ets computes it, on the error's scale (relative errors for multiplicative error).</summary>
    public double Sigma2 { get; }

    /// <summary>One-step errors ε (y − μ, or (y − μ)/μ for multiplicative error).</summary>
    public IReadOnlyList<double> Residuals { get; }

    /// <summary>
    /// Point forecasts (the recursion with errors set to zero) and prediction intervals: analytic for the linear
    /// additive-error classes (Hyndman et al. 2008, §6.3, class 1: v_h = σ²[1 + Σ_{j&lt;h} c_j²], c_j = α + βφ_j + γ·1[j mod m = 0])
    /// and for multiplicative error without multiplicative seasonality (class 2: v_h = (1 + σ²)θ_h − μ_h², θ_h = μ_h² +
    /// σ² Σ_{j&lt;h} c_j² θ_{h−j}), normal around the point forecast as forecast.ets gives them,
    /// quantiles of <paramref name="simulationPaths"/> simulated sample paths (seeded) for the others, or for all when
    /// <paramref name="simulate"/> is set (as forecast.ets(simulate = TRUE)).
    /// </summary>
    public ForecastResult Forecast(int horizon, IReadOnlyList<double> levels, int simulationPaths = 5000, int seed = 42, bool simulate = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentNullException.ThrowIfNull(levels);
        foreach (var level in levels)
        {
            if (!(level > 0 && level < 1))
            {
                throw new ArgumentOutOfRangeException(nameof(levels), level, "Interval levels lie in (0, 1).");
            }
        }

        var mean = new double[horizon];
        var state = _final.Clone();
        for (var h = 0; h < horizon; h++)
        {
            mean[h] = state.OneStep(Type, Parameters);
            state.Step(Type, Parameters, mean[h], out _);
        }

        var intervals = levels.Count == 0 ? []
            : Type.HasAnalyticVariance && !simulate ? AnalyticIntervals(mean, levels)
            : SimulatedIntervals(mean, levels, simulationPaths, seed);
        return new ForecastResult($"ETS({Type})", mean, intervals);
    }

    private List<PredictionInterval> AnalyticIntervals(double[] mean, IReadOnlyList<double> levels)
    {
        var p = Parameters;
        var horizon = mean.Length;

        // c_j = α + βφ_j + γ·1[j mod m = 0], φ_j = φ + ... + φ^j (j = 1..h − 1)
        var c = new double[horizon];
        var phiSum = 0.0;
        var phiPower = 1.0;
        for (var j = 1; j < horizon; j++)
        {
            phiPower *= Type.IsDamped ? p.Phi : 1;
            phiSum += Type.HasTrend ? phiPower : 0;
            c[j] = p.Alpha + (Type.HasTrend ? p.Beta * phiSum : 0) + (Type.HasSeason && j % Period == 0 ? p.Gamma : 0);
        }

        var sd = new double[horizon];
        if (Type.IsLinear)
        {
            // class 1: v_h = σ²(1 + Σ_{j<h} c_j²)
            var sum = 0.0;
            for (var h = 0; h < horizon; h++)
            {
                sd[h] = Math.Sqrt(Sigma2 * (1 + sum));
                sum += h + 1 < horizon ? c[h + 1] * c[h + 1] : 0;
            }
        }
        else
        {
            // class 2: θ_1 = μ_1², θ_h = μ_h² + σ² Σ_{j<h} c_j² θ_{h−j}, v_h = (1 + σ²)θ_h − μ_h²
            var theta = new double[horizon];
            for (var h = 0; h < horizon; h++)
            {
                var sum = 0.0;
                for (var j = 1; j <= h; j++)
                {
                    sum += c[j] * c[j] * theta[h - j];
                }

                theta[h] = (mean[h] * mean[h]) + (Sigma2 * sum);
                sd[h] = Math.Sqrt(Math.Max(((1 + Sigma2) * theta[h]) - (mean[h] * mean[h]), 0));
            }
        }

        return levels.Select(level =>
        {
            var z = Normal.InvCDF(0, 1, 0.5 + (level / 2));
            return new PredictionInterval(level, mean.Select((m, h) => m - (z * sd[h])).ToArray(), mean.Select((m, h) => m + (z * sd[h])).ToArray());
        }).ToList();
    }

    private List<PredictionInterval> SimulatedIntervals(double[] mean, IReadOnlyList<double> levels, int paths, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(paths, 10);
        var horizon = mean.Length;
        var draws = new double[horizon][];
        for (var h = 0; h < horizon; h++)
        {
            draws[h] = new double[paths];
        }

        var random = new Random(seed);
        var sigma = Math.Sqrt(Sigma2);
        for (var path = 0; path < paths; path++)
        {
            var state = _final.Clone();
            for (var h = 0; h < horizon; h++)
            {
                var mu = state.OneStep(Type, Parameters);
                var e = sigma * Normal.Sample(random, 0, 1);
                var y = Type.Error == EtsError.Additive ? mu + e : mu * (1 + e);
                draws[h][path] = y;
                state.Step(Type, Parameters, y, out _);
            }
        }

        foreach (var d in draws)
        {
            Array.Sort(d);
        }

        return levels.Select(level => new PredictionInterval(
            level,
            draws.Select(d => Quantile(d, (1 - level) / 2)).ToArray(),
            draws.Select(d => Quantile(d, 1 - ((1 - level) / 2))).ToArray())).ToList();
    }

    /// <summary>Type-7 sample quantile of sorted values (R's default).</summary>
    private static double Quantile(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }
}
