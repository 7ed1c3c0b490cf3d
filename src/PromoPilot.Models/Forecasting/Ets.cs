using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;
using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Forecasting;

/// <summary>
/// Exponential smoothing as innovations state-space models (ETS), following Hyndman, Koehler, Ord &amp; Snyder (2008),
/// "Forecasting with Exponential Smoothing: the State Space Approach", and Hyndman &amp; Athanasopoulos, "Forecasting:
/// Principles and Practice", ch. 8, in the manner of R's forecast::ets: smoothing parameters and initial states are
/// fitted jointly by maximum likelihood (non-seasonal types with forecast::ets's own single Nash Nelder-Mead run, whose
/// early stops its automatic selection rests on; seasonal types by Nelder-Mead with restarts; see
/// <see cref="EtsOptions.Optimizer"/>), inside the usual bounds 0 &lt; β &lt; α &lt; 1,
/// 0 &lt; γ &lt; 1 − α, 0.8 ≤ φ ≤ 0.98, and inside the admissible region: bounds = "both" of forecast::ets), starting from the heuristic initial states of §2.6.1 (classical decomposition
/// of the first cycles, regression on the first ten seasonally adjusted values), and the type is chosen by AICc.
/// </summary>
/// <remarks>
/// Characteristics: 15 types (error A/M × trend N/A/Ad × season N/A/M; no multiplicative trend); seasonal types need
/// 2 ≤ m ≤ 24 and two full cycles; multiplicative components need strictly positive data.
/// </remarks>
public static class Ets
{
    /// <summary>Largest seasonal period fitted (forecast::ets ignores seasonality above 24).</summary>
    public const int MaxPeriod = 24;

    /// <summary>Fits the type of <paramref name="options"/>, or every admissible type and returns the one with the lowest AICc.</summary>
    public static EtsModel Fit(ReadOnlySpan<double> y, EtsOptions? options = null)
    {
        options ??= new EtsOptions();
        Validate(y, options);
        if (options.Type is { } fixedType)
        {
            var why = WhyNot(fixedType, y, options.Period);
            return why is null ? FitType(fixedType, y, options) : throw new ArgumentException($"ETS({fixedType}) cannot be fitted: {why}.", nameof(options));
        }

        EtsModel? best = null;
        foreach (var type in Candidates(y, options))
        {
            EtsModel model;
            try
            {
                model = FitType(type, y, options);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (double.IsFinite(model.Aicc) && (best is null || model.Aicc < best.Aicc))
            {
                best = model;
            }
        }

        return best ?? throw new ArgumentException("No ETS type could be fitted to this series (too short or not finite).", nameof(y));
    }

    /// <summary>The types the automatic search tries on this series: positive data for multiplicative parts, enough observations for the parameters.</summary>
    public static IReadOnlyList<EtsType> Candidates(ReadOnlySpan<double> y, EtsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var list = new List<EtsType>();
        foreach (var type in EtsType.All)
        {
            if (options.RestrictUnstable && type.Error == EtsError.Additive && type.Season == EtsSeason.Multiplicative)
            {
                continue;
            }

            if (WhyNot(type, y, options.Period) is null)
            {
                list.Add(type);
            }
        }

        return list;
    }

    /// <summary>
    /// The model with the given parameters and initial states, run through the series without fitting: its
    /// log-likelihood and AICc are those of <paramref name="parameters"/> (used to compare with another implementation's
    /// optimum on the same series).
    /// </summary>
    public static EtsModel Evaluate(EtsType type, int period, EtsParameters parameters, ReadOnlySpan<double> y)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (type.HasSeason && parameters.Seasonal.Length != period)
        {
            throw new ArgumentException($"Seasonal must hold m = {period} initial states.", nameof(parameters));
        }

        var residuals = new double[y.Length];
        var final = new EtsState(type.HasSeason ? period : 1);
        var lik = EtsFilter.MinusTwoLogLik(type, period, parameters, y, residuals, default, final);
        return new EtsModel(type, period, parameters, FreeParameters(type, period), lik, residuals, final);
    }

    /// <summary>Number of fitted parameters (smoothing, damping, initial level, slope and m − 1 seasonal states).</summary>
    public static int FreeParameters(EtsType type, int period) =>
        1 + (type.HasTrend ? 2 : 0) + (type.IsDamped ? 1 : 0) + 1 + (type.HasSeason ? period : 0);

    private static string? WhyNot(EtsType type, ReadOnlySpan<double> y, int period)
    {
        if (type.HasSeason && (period < 2 || period > MaxPeriod))
        {
            return $"seasonal types need a period between 2 and {MaxPeriod} (got {period})";
        }

        if (type.HasSeason && y.Length < 2 * period)
        {
            return $"seasonal types need two full cycles ({2 * period} observations, got {y.Length})";
        }

        if (type.NeedsPositiveData)
        {
            foreach (var v in y)
            {
                if (v <= 0)
                {
                    return "multiplicative components need strictly positive data";
                }
            }
        }

        var k = FreeParameters(type, period) + 1;
        return y.Length <= k + 1 ? $"{k} parameters need more than {k + 1} observations (got {y.Length})" : null;
    }

    private static void Validate(ReadOnlySpan<double> y, EtsOptions options)
    {
        ModelArgs.Positive(options.Period, nameof(options.Period));
        ModelArgs.Positive(options.MaxIterations, nameof(options.MaxIterations));
        ModelArgs.Positive(options.NashTolerance, nameof(options.NashTolerance));
        if (options.Restarts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Restarts, "Restarts must be >= 0.");
        }

        if (!(options.SmoothingLower > 0 && options.SmoothingLower < options.SmoothingUpper && options.SmoothingUpper < 1 && options.PhiLower > 0 && options.PhiLower <= options.PhiUpper && options.PhiUpper <= 1))
        {
            throw new ArgumentException("Bounds must satisfy 0 < SmoothingLower < SmoothingUpper < 1 and 0 < PhiLower <= PhiUpper <= 1.", nameof(options));
        }

        if (y.Length < 3)
        {
            throw new ArgumentException($"ETS needs at least 3 observations (got {y.Length}).", nameof(y));
        }

        foreach (var v in y)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("The series holds a missing or non-finite value.", nameof(y));
            }
        }
    }

    private static EtsModel FitType(EtsType type, ReadOnlySpan<double> y, EtsOptions o) =>
        o.Optimizer == EtsOptimizer.Nash || (o.Optimizer == EtsOptimizer.Auto && !type.HasSeason) ? FitTypeNash(type, y, o) : FitTypeMultiStart(type, y, o);

    /// <summary>
    /// One Nelder-Mead run of Nash's variant from the heuristic start, as forecast::ets does (etsNelderMead, maxit =
    /// 2000, reltol = √ε); −2 log-likelihood below −10^10 is read as −10^10, a non-finite one or a point outside the
    /// bounds as +∞.
    /// </summary>
    private static EtsModel FitTypeNash(EtsType type, ReadOnlySpan<double> y, EtsOptions o)
    {
        var m = type.HasSeason ? o.Period : 1;
        var layout = new Layout(type, m);
        var data = y.ToArray();
        var scratch = new EtsState(m);
        double Objective(double[] x)
        {
            if (!type.HasSeason)
            {
                return EtsFilter.NonSeasonalMinusTwoLogLik(type, x, data, o);
            }

            var p = layout.Unpack(Vector<double>.Build.Dense(x));
            if (!InBounds(type, p, o, m))
            {
                return double.PositiveInfinity;
            }

            var value = EtsFilter.MinusTwoLogLik(type, m, p, data, default, default, scratch);
            return double.IsNaN(value) ? double.PositiveInfinity : Math.Max(value, -1e10);
        }

        var start = layout.Pack(InitialParameters(type, m, y, o)).ToArray();
        if (!double.IsFinite(Objective(start)))
        {
            // forecast::ets gives up on such a type (optim cannot start); the automatic search skips it
            throw new ArgumentException($"ETS({type}) cannot be fitted: the likelihood is not finite at the initial states.", nameof(y));
        }

        var (x, _, _) = NashNelderMead.Minimize(Objective, start, o.NashTolerance, o.MaxIterations);
        return Evaluate(type, m, layout.Unpack(Vector<double>.Build.Dense(x)), y);
    }

    private static EtsModel FitTypeMultiStart(EtsType type, ReadOnlySpan<double> y, EtsOptions o)
    {
        var m = type.HasSeason ? o.Period : 1;
        var start = InitialParameters(type, m, y, o);
        var layout = new Layout(type, m);
        var data = y.ToArray();
        var best = (Value: double.PositiveInfinity, X: layout.Pack(start));
        var scratch = new EtsState(m);
        double Objective(Vector<double> x)
        {
            var p = layout.Unpack(x);
            var value = InBounds(type, p, o, m) ? EtsFilter.MinusTwoLogLik(type, m, p, data, default, default, scratch) : double.PositiveInfinity;
            value = double.IsFinite(value) ? value : 1e300;
            if (value < best.Value)
            {
                best = (value, x.Clone());
            }

            return value;
        }

        var objective = ObjectiveFunction.Value(Objective);
        var scale = data.Select(Math.Abs).Average();
        var overall = (Value: double.PositiveInfinity, X: best.X);
        foreach (var alpha in StartingAlphas(start.Alpha, o))
        {
            var from = start with
            {
                Alpha = alpha,
                Beta = type.HasTrend ? o.SmoothingLower + (0.1 * (alpha - o.SmoothingLower)) : 0,
                Gamma = type.HasSeason ? o.SmoothingLower + (0.05 * (1 - alpha - o.SmoothingLower)) : 0,
            };
            best = (double.PositiveInfinity, layout.Pack(from));
            Objective(best.X);
            for (var run = 0; run <= o.Restarts; run++)
            {
                var before = best.Value;
                var solver = new NelderMeadSimplex(o.Tolerance, o.MaxIterations);
                try
                {
                    solver.FindMinimum(objective, best.X.Clone(), layout.Steps(layout.Unpack(best.X), scale, o));
                }
                catch (MaximumIterationsException)
                {
                    // the best point seen is kept by the objective; the next restart continues from it
                }

                if (run > 0 && before - best.Value < 1e-7)
                {
                    break;
                }
            }

            if (best.Value < overall.Value)
            {
                overall = best;
            }
        }

        best = overall;
        var fitted = layout.Unpack(best.X);
        return Evaluate(type, m, fitted, y);
    }

    /// <summary>Starting values of α: the heuristic one and a high one, because the likelihood often has a second basin near α = 1.</summary>
    private static double[] StartingAlphas(double heuristic, EtsOptions o) => [heuristic, o.SmoothingLower + (0.9 * (o.SmoothingUpper - o.SmoothingLower))];

    private static bool InBounds(EtsType type, EtsParameters p, EtsOptions o, int m)
    {
        if (p.Alpha < o.SmoothingLower || p.Alpha > o.SmoothingUpper)
        {
            return false;
        }

        if (type.HasTrend && (p.Beta < o.SmoothingLower || p.Beta > p.Alpha))
        {
            return false;
        }

        if (type.HasSeason && (p.Gamma < o.SmoothingLower || p.Gamma > 1 - p.Alpha))
        {
            return false;
        }

        if (type.IsDamped && (p.Phi < o.PhiLower || p.Phi > o.PhiUpper))
        {
            return false;
        }

        if (type.Season == EtsSeason.Multiplicative && p.Seasonal.Any(s => s <= 0))
        {
            return false;
        }

        // the usual region lies inside the admissible one for the non-seasonal classes (Hyndman et al. 2008, §10.2)
        return !type.HasSeason || Admissible(type, p, m);
    }

    /// <summary>
    /// The admissible region of Hyndman, Akram &amp; Archibald (2008) and Hyndman et al. (2008), ch. 10: the discount
    /// matrix D = F − g·w′ of the linear (additive-error) form must have its eigenvalues inside the unit circle (the
    /// multiplicative classes are held to the condition of their linear counterpart, as forecast::ets does). With
    /// seasonal states, D always has the eigenvalue 1 of the level/seasonal redundancy (moving a constant between level
    /// and seasonal states changes no forecast); that one is set aside.
    /// </summary>
    public static bool Admissible(EtsType type, EtsParameters p, int m)
    {
        var phi = type.Trend switch { EtsTrend.Additive => 1, EtsTrend.AdditiveDamped => p.Phi, _ => 0 };
        var ms = type.HasSeason ? m : 0;
        var dim = 1 + (type.HasTrend ? 1 : 0) + ms;
        var f = new double[dim, dim];
        var g = new double[dim];
        var w = new double[dim];
        var b = type.HasTrend ? 1 : -1;
        var s0 = type.HasTrend ? 2 : 1;
        f[0, 0] = 1;
        w[0] = 1;
        g[0] = p.Alpha;
        if (b > 0)
        {
            f[0, b] = phi;
            f[b, b] = phi;
            w[b] = phi;
            g[b] = p.Beta;
        }

        if (ms > 0)
        {
            // states s_1 (newest) .. s_m (the one the next observation uses)
            f[s0, s0 + ms - 1] = 1;
            for (var j = 1; j < ms; j++)
            {
                f[s0 + j, s0 + j - 1] = 1;
            }

            w[s0 + ms - 1] = 1;
            g[s0] = p.Gamma;
        }

        var d = Matrix<double>.Build.Dense(dim, dim, (i, j) => f[i, j] - (g[i] * w[j]));
        var eigen = d.Evd().EigenValues;
        var moduli = eigen.Select(e => e.Magnitude).OrderDescending().ToList();
        if (ms > 0)
        {
            moduli.Remove(eigen.MinBy(e => (e - 1).Magnitude).Magnitude);
        }

        return moduli.Count == 0 || moduli[0] < 1 + 1e-10;
    }

    /// <summary>Heuristic starting values of Hyndman et al. (2008), §2.6.1, and smoothing parameters inside the bounds.</summary>
    internal static EtsParameters InitialParameters(EtsType type, int m, ReadOnlySpan<double> y, EtsOptions o)
    {
        var seasonal = type.HasSeason ? InitialSeasonal(type.Season, m, y) : [];
        var k = Math.Min(Math.Max(10, 2 * m), y.Length);
        if (!type.HasSeason)
        {
            k = Math.Min(10, y.Length);
        }

        var adjusted = new double[k];
        for (var t = 0; t < k; t++)
        {
            adjusted[t] = type.Season switch
            {
                EtsSeason.Additive => y[t] - seasonal[t % m],
                EtsSeason.Multiplicative => y[t] / seasonal[t % m],
                _ => y[t],
            };
        }

        double level;
        double slope = 0;
        if (type.HasTrend)
        {
            // least squares line through t = 1..k; the level at time 0 is its intercept
            var tMean = (k + 1) / 2.0;
            var yMean = adjusted.Average();
            var sxy = 0.0;
            var sxx = 0.0;
            for (var t = 0; t < k; t++)
            {
                sxy += (t + 1 - tMean) * (adjusted[t] - yMean);
                sxx += (t + 1 - tMean) * (t + 1 - tMean);
            }

            slope = sxx > 0 ? sxy / sxx : 0;
            level = yMean - (slope * tMean);
            // kept even when negative, as forecast::ets keeps it (its optimizer starts there); only a first forecast of
            // exactly zero, fatal under a multiplicative error, is nudged away
            if (Math.Abs(level + slope) < 1e-8)
            {
                level *= 1 + 1e-3;
                slope *= 1 - 1e-3;
            }
        }
        else
        {
            level = adjusted.Average();
        }

        var alpha = o.SmoothingLower + (0.2 * (o.SmoothingUpper - o.SmoothingLower) / Math.Max(m, 1));
        var beta = type.HasTrend ? o.SmoothingLower + (0.1 * (alpha - o.SmoothingLower)) : 0;
        var gamma = type.HasSeason ? o.SmoothingLower + (0.05 * (1 - alpha - o.SmoothingLower)) : 0;
        var phi = type.IsDamped ? o.PhiLower + (0.99 * (o.PhiUpper - o.PhiLower)) : type.HasTrend ? 1 : 0;
        return new EtsParameters(alpha, beta, gamma, phi, level, slope, seasonal);
    }

    /// <summary>Seasonal indices from a centred moving average over the first (up to three) full cycles, normalized.</summary>
    private static double[] InitialSeasonal(EtsSeason season, int m, ReadOnlySpan<double> y)
    {
        var n = Math.Min(y.Length, 3 * m);
        n -= n % m;
        var sums = new double[m];
        var counts = new int[m];
        var half = m / 2;
        for (var t = half; t < n - half; t++)
        {
            double ma;
            if (m % 2 == 0)
            {
                // 2×m moving average centred on t
                var s = 0.5 * (y[t - half] + y[t + half]);
                for (var j = t - half + 1; j < t + half; j++)
                {
                    s += y[j];
                }

                ma = s / m;
            }
            else
            {
                var s = 0.0;
                for (var j = t - half; j <= t + half; j++)
                {
                    s += y[j];
                }

                ma = s / m;
            }

            sums[t % m] += season == EtsSeason.Multiplicative ? y[t] / ma : y[t] - ma;
            counts[t % m]++;
        }

        var index = new double[m];
        for (var j = 0; j < m; j++)
        {
            index[j] = counts[j] > 0 ? sums[j] / counts[j] : season == EtsSeason.Multiplicative ? 1 : 0;
        }

        var mean = index.Average();
        for (var j = 0; j < m; j++)
        {
            index[j] = season == EtsSeason.Multiplicative ? (mean > 0 && index[j] > 0 ? index[j] / mean : 1) : index[j] - mean;
        }

        return index;
    }

    /// <summary>
    /// The optimizer's vector: α, [β, φ], [γ], ℓ0, [b0], and m − 1 seasonal states (the m-th makes them sum to 0, or
    /// to m for multiplicative seasonality, as in forecast::ets).
    /// </summary>
    private sealed class Layout(EtsType type, int m)
    {
        public Vector<double> Pack(EtsParameters p)
        {
            var v = new List<double> { p.Alpha };
            if (type.HasTrend)
            {
                v.Add(p.Beta);
            }

            if (type.HasSeason)
            {
                v.Add(p.Gamma);
            }

            if (type.IsDamped)
            {
                v.Add(p.Phi);
            }

            v.Add(p.Level);
            if (type.HasTrend)
            {
                v.Add(p.Slope);
            }

            if (type.HasSeason)
            {
                v.AddRange(p.Seasonal.Take(m - 1));
            }

            return Vector<double>.Build.DenseOfEnumerable(v);
        }

        public EtsParameters Unpack(Vector<double> x)
        {
            var i = 0;
            var alpha = x[i++];
            var beta = type.HasTrend ? x[i++] : 0;
            var gamma = type.HasSeason ? x[i++] : 0;
            var phi = type.IsDamped ? x[i++] : type.HasTrend ? 1 : 0;
            var level = x[i++];
            var slope = type.HasTrend ? x[i++] : 0;
            var seasonal = Array.Empty<double>();
            if (type.HasSeason)
            {
                seasonal = new double[m];
                var sum = 0.0;
                for (var j = 0; j < m - 1; j++)
                {
                    seasonal[j] = x[i++];
                    sum += seasonal[j];
                }

                seasonal[m - 1] = (type.Season == EtsSeason.Multiplicative ? m : 0) - sum;
            }

            return new EtsParameters(alpha, beta, gamma, phi, level, slope, seasonal);
        }

        /// <summary>Initial simplex steps: 0.05 for smoothing parameters, 0.02 for φ, a tenth of the data's scale for states.</summary>
        public Vector<double> Steps(EtsParameters at, double scale, EtsOptions o)
        {
            var steps = Pack(at);
            var i = 0;
            steps[i++] = Math.Min(0.05, Math.Max((o.SmoothingUpper - at.Alpha) / 2, 1e-3));
            if (type.HasTrend)
            {
                steps[i++] = Math.Max(Math.Min(0.02, (at.Alpha - at.Beta) / 2), 1e-4);
            }

            if (type.HasSeason)
            {
                steps[i++] = Math.Max(Math.Min(0.02, (1 - at.Alpha - at.Gamma) / 2), 1e-4);
            }

            if (type.IsDamped)
            {
                steps[i++] = -0.02;
            }

            var stateScale = Math.Max(scale, 1e-8);
            steps[i++] = 0.1 * Math.Max(Math.Abs(at.Level), stateScale * 0.1);
            if (type.HasTrend)
            {
                steps[i++] = 0.01 * stateScale;
            }

            for (; i < steps.Count; i++)
            {
                steps[i] = type.Season == EtsSeason.Multiplicative ? 0.02 : 0.05 * stateScale;
            }

            return steps;
        }
    }
}
