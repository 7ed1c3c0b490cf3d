using System.Runtime.CompilerServices;

namespace PromoPilot.Models.Forecasting;

/// <summary>
/// The ETS recursions of Hyndman, Koehler, Ord &amp; Snyder (2008), "Forecasting with Exponential Smoothing", tables 2.2
/// and 2.3, written in error-correction form: with μ the one-step forecast and δ = y − μ, the state updates are the same
/// for additive and multiplicative errors (ℓ = p + αδ, b = φb + βδ, s = s + γδ, each divided by the seasonal state for
/// multiplicative seasonality, and γδ divided by p = ℓ + φb), only the error ε (δ or δ/μ) and the likelihood differ.
/// </summary>
internal static class EtsFilter
{
    /// <summary>
    /// Runs the model through the series; returns −2 log-likelihood up to the constants forecast::ets also drops,
    /// n·log(Σε²) + 2·Σ log|μ| (the second term for multiplicative errors only), or +∞ when a forecast is zero
    /// under a multiplicative component or any value is not finite. Fills residuals ε and the fitted μ
    /// when given; leaves the final states in <paramref name="final"/> when given.
    /// </summary>
    public static double MinusTwoLogLik(EtsType type, int period, EtsParameters p, ReadOnlySpan<double> y, Span<double> residuals = default, Span<double> fitted = default, EtsState? final = null)
    {
        var state = final ?? new EtsState(period);
        state.Reset(p, type);
        var sse = 0.0;
        var sumLog = 0.0;
        for (var t = 0; t < y.Length; t++)
        {
            var mu = state.Step(type, p, y[t], out var delta);
            if (!double.IsFinite(mu) || (type.NeedsPositiveData && Math.Abs(mu) < 1e-10))
            {
                return double.PositiveInfinity;
            }

            var e = type.Error == EtsError.Additive ? delta : delta / mu;
            sse += e * e;
            if (type.Error == EtsError.Multiplicative)
            {
                sumLog += Math.Log(Math.Abs(mu));
            }

            if (!residuals.IsEmpty)
            {
                residuals[t] = e;
            }

            if (!fitted.IsEmpty)
            {
                fitted[t] = mu;
            }
        }

        return Floor((y.Length * Math.Log(sse)) + (2 * sumLog));
    }

    /// <summary>
    /// The optimizer's objective for the non-seasonal types, straight from its vector (α, [β], [φ], ℓ0, [b0]) without
    /// allocating: +∞ outside the bounds of <paramref name="o"/> (0 &lt; β ≤ α, φ within its range; for these types the
    /// admissible region contains them), else what <see cref="MinusTwoLogLik"/> gives (Σ log|μ| taken as the logarithm of running products, equal up to rounding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double NonSeasonalMinusTwoLogLik(EtsType type, ReadOnlySpan<double> x, ReadOnlySpan<double> y, EtsOptions o)
    {
        var i = 0;
        var alpha = x[i++];
        var trend = type.HasTrend;
        var beta = trend ? x[i++] : 0;
        var phi = type.IsDamped ? x[i++] : trend ? 1 : 0;
        var level = x[i++];
        var slope = trend ? x[i] : 0;
        if (alpha < o.SmoothingLower || alpha > o.SmoothingUpper
            || (trend && (beta < o.SmoothingLower || beta > alpha))
            || (type.IsDamped && (phi < o.PhiLower || phi > o.PhiUpper)))
        {
            return double.PositiveInfinity;
        }

        var multiplicative = type.Error == EtsError.Multiplicative;
        var ratio = trend ? beta / alpha : 0;
        var sse = 0.0;
        var sumLog = 0.0;
        var product = 1.0; // Π|μ| since the last logarithm: one Math.Log per ~30 steps instead of one per step
        for (var t = 0; t < y.Length; t++)
        {
            var phib = phi * slope;
            var mu = level + phib;
            if (!double.IsFinite(mu) || (multiplicative && Math.Abs(mu) < 1e-10))
            {
                return double.PositiveInfinity;
            }

            var delta = y[t] - mu;
            var old = level;
            level = mu + (alpha * delta);
            if (trend)
            {
                slope = phib + (ratio * (level - old - phib));
            }

            if (multiplicative)
            {
                var e = delta / mu;
                sse += e * e;
                product *= Math.Abs(mu);
                if (product is > 1e150 or < 1e-150)
                {
                    sumLog += Math.Log(product);
                    product = 1.0;
                }
            }
            else
            {
                sse += delta * delta;
            }
        }

        sumLog += Math.Log(product);
        return Floor((y.Length * Math.Log(sse)) + (2 * sumLog));
    }

    // a perfect fit (Σε² = 0, e.g. a constant series) reads as −10^10, forecast::ets's floor, not as −∞
    private static double Floor(double value) =>
        double.IsNegativeInfinity(value) ? -1e10 : double.IsFinite(value) ? Math.Max(value, -1e10) : double.PositiveInfinity;
}

/// <summary>Level, slope and the seasonal ring of an ETS model while it runs through a series.</summary>
internal sealed class EtsState(int period)
{
    public double Level { get; set; }

    public double Slope { get; set; }

    /// <summary>Ring of the last m seasonal states: the one for time t sits at t mod m.</summary>
    public double[] Seasonal { get; } = new double[Math.Max(period, 1)];

    /// <summary>Number of observations consumed so far (the next one's index).</summary>
    public int Time { get; set; }

    public int Period { get; } = Math.Max(period, 1);

    public void Reset(EtsParameters p, EtsType type)
    {
        Level = p.Level;
        Slope = type.HasTrend ? p.Slope : 0;
        Time = 0;
        if (type.HasSeason)
        {
            p.Seasonal.CopyTo(Seasonal, 0);
        }
    }

    public EtsState Clone()
    {
        var copy = new EtsState(Period) { Level = Level, Slope = Slope, Time = Time };
        Seasonal.CopyTo(copy.Seasonal, 0);
        return copy;
    }

    /// <summary>The one-step forecast μ for the next observation, from the current states.</summary>
    public double OneStep(EtsType type, EtsParameters p)
    {
        var damped = Level + (Phi(type, p) * Slope);
        return type.Season switch
        {
            EtsSeason.Additive => damped + Seasonal[Time % Period],
            EtsSeason.Multiplicative => damped * Seasonal[Time % Period],
            _ => damped,
        };
    }

    /// <summary>Consumes one observation y: returns its one-step forecast μ and δ = y − μ, and updates the states.</summary>
    public double Step(EtsType type, EtsParameters p, double y, out double delta)
    {
        var phi = Phi(type, p);
        var pTrend = Level + (phi * Slope);
        var slot = Time % Period;
        var s = type.HasSeason ? Seasonal[slot] : 0;
        var mu = type.Season switch
        {
            EtsSeason.Additive => pTrend + s,
            EtsSeason.Multiplicative => pTrend * s,
            _ => pTrend,
        };
        delta = y - mu;
        var scaled = type.Season == EtsSeason.Multiplicative ? delta / s : delta;
        var oldLevel = Level;
        var phib = phi * Slope;
        Level = pTrend + (p.Alpha * scaled);
        if (type.HasTrend)
        {
            // b = φb + βδ, written as forecast::ets computes it, φb + (β/α)(ℓ − ℓ_prev − φb) (equal up to rounding)
            Slope = phib + (p.Beta / p.Alpha * (Level - oldLevel - phib));
        }

        if (type.Season == EtsSeason.Additive)
        {
            Seasonal[slot] = s + (p.Gamma * delta);
        }
        else if (type.Season == EtsSeason.Multiplicative)
        {
            Seasonal[slot] = s + (p.Gamma * delta / pTrend);
        }

        Time++;
        return mu;
    }

    private static double Phi(EtsType type, EtsParameters p) => type.Trend switch
    {
        EtsTrend.Additive => 1,
        EtsTrend.AdditiveDamped => p.Phi,
        _ => 0,
    };
}
