namespace PromoPilot.Models.Forecasting;

/// <summary>
/// One store × item weekly demand series for the global model: units observed up to the forecast origin, and the
/// planned price, deal and feature flags and the calendar week for every observed week and every week to forecast
/// (promotions and prices are set in advance, so they are known for the target weeks). <see cref="Units"/> has n values;
/// <see cref="Price"/>, <see cref="Deal"/>, <see cref="Feature"/> and <see cref="Week"/> have at least n + horizon.
/// A price ≤ 0 or not finite is treated as missing; <see cref="Week"/> is a running week number (week of year = Week mod 52).
/// </summary>
public sealed record DemandSeries(int Store, int Item, double[] Units, double[] Price, double[] Deal, double[] Feature, int[] Week);

/// <summary>
/// The features of one (series, origin, step) row of the direct multi-horizon global model (in the manner of the M5
/// LightGBM entries: Makridakis, Spiliotis &amp; Assimakopoulos 2022, "M5 accuracy competition: results, findings and
/// conclusions"). The origin is the index of the first week forecast; every unit value used lies strictly before it
/// (lags and rolling means are relative to the origin, not to the target week), and the only values at or after the
/// origin are the target week's planned price, deal, feature flag and calendar week. Units enter as log(1 + y) minus the
/// series level (mean log(1 + y) of the last 13 weeks), so one model serves series of any scale.
/// </summary>
public static class GbmFeatures
{
    /// <summary>Weeks in the level window (and the reference-price and deal-share windows).</summary>
    public const int LevelWeeks = 13;

    /// <summary>Names of the dense features in order, for <paramref name="lags"/> unit lags.</summary>
    public static IReadOnlyList<string> Names(int lags) =>
    [
        "step", "level", .. Enumerable.Range(1, lags).Select(k => $"lag{k}"), "mean4", "mean52", "sd13",
        "log_price", "price_vs_ref", "deal", "feat", "last_price_vs_ref", "last_deal", "last_feat", "deal_share13", "week_of_year",
    ];

    /// <summary>Count of dense features for <paramref name="lags"/> unit lags.</summary>
    public static int Width(int lags) => 14 + lags;

    /// <summary>log(1 + y) level of the series at the origin: mean of the last up to 13 weeks before it.</summary>
    public static double Level(ReadOnlySpan<double> units, int origin)
    {
        var k = Math.Min(LevelWeeks, origin);
        if (k <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, "origin must be at least 1.");
        }

        var sum = 0.0;
        for (var t = origin - k; t < origin; t++)
        {
            sum += Log1P(units[t]);
        }

        return sum / k;
    }

    /// <summary>
    /// Writes the dense features of series <paramref name="s"/> forecast from <paramref name="origin"/> (the first week
    /// not used) <paramref name="step"/> weeks ahead (1 = the origin week itself) into <paramref name="into"/>
    /// (length <see cref="Width"/>). Missing values (lags before the start, non-positive prices) are NaN.
    /// </summary>
    public static void Write(DemandSeries s, int origin, int step, int lags, Span<float> into)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (origin < 1 || origin > s.Units.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(origin), origin, $"origin must be in 1..{s.Units.Length} (units observed).");
        }

        var target = origin + step - 1;
        if (step < 1 || target >= s.Price.Length || target >= s.Deal.Length || target >= s.Feature.Length || target >= s.Week.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "step must be ≥ 1 and the covariates must cover the target week.");
        }

        if (into.Length != Width(lags))
        {
            throw new ArgumentException($"into must have {Width(lags)} slots.", nameof(into));
        }

        var y = s.Units.AsSpan(0, origin); // nothing at or after the origin is visible below
        var level = Level(y, origin);
        var i = 0;
        into[i++] = step;
        into[i++] = (float)level;
        for (var k = 1; k <= lags; k++)
        {
            into[i++] = origin - k >= 0 ? (float)(Log1P(y[origin - k]) - level) : float.NaN;
        }

        into[i++] = (float)(MeanLog(y, 4) - level);
        into[i++] = (float)(MeanLog(y, 52) - level);
        into[i++] = (float)StdLog(y, LevelWeeks);
        var reference = ReferenceLogPrice(s.Price, origin);
        var price = LogPrice(s.Price[target]);
        into[i++] = (float)price;
        into[i++] = (float)(price - reference);
        into[i++] = (float)Finite(s.Deal[target]);
        into[i++] = (float)Finite(s.Feature[target]);
        into[i++] = (float)(LogPrice(s.Price[origin - 1]) - reference);
        into[i++] = (float)Finite(s.Deal[origin - 1]);
        into[i++] = (float)Finite(s.Feature[origin - 1]);
        var deals = 0.0;
        var n = Math.Min(LevelWeeks, origin);
        for (var t = origin - n; t < origin; t++)
        {
            deals += Finite(s.Deal[t]) > 0 ? 1 : 0;
        }

        into[i++] = (float)(deals / n);
        into[i] = ((s.Week[target] % 52) + 52) % 52;
    }

    internal static double Log1P(double y) => Math.Log(1 + Math.Max(0, double.IsFinite(y) ? y : 0));

    private static double LogPrice(double p) => p > 0 && double.IsFinite(p) ? Math.Log(p) : double.NaN;

    private static double Finite(double v) => double.IsFinite(v) ? v : double.NaN;

    private static double MeanLog(ReadOnlySpan<double> y, int window)
    {
        var k = Math.Min(window, y.Length);
        var sum = 0.0;
        for (var t = y.Length - k; t < y.Length; t++)
        {
            sum += Log1P(y[t]);
        }

        return sum / k;
    }

    private static double StdLog(ReadOnlySpan<double> y, int window)
    {
        var k = Math.Min(window, y.Length);
        var mean = MeanLog(y, k);
        var ss = 0.0;
        for (var t = y.Length - k; t < y.Length; t++)
        {
            var d = Log1P(y[t]) - mean;
            ss += d * d;
        }

        return Math.Sqrt(ss / k);
    }

    /// <summary>Mean log price of the last up to 13 weeks before the origin with a positive price (NaN when none).</summary>
    private static double ReferenceLogPrice(double[] price, int origin)
    {
        var sum = 0.0;
        var n = 0;
        for (var t = Math.Max(0, origin - LevelWeeks); t < origin; t++)
        {
            var lp = LogPrice(price[t]);
            if (!double.IsNaN(lp))
            {
                sum += lp;
                n++;
            }
        }

        return n > 0 ? sum / n : double.NaN;
    }
}
