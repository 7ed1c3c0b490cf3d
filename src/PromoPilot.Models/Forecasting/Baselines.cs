using MathNet.Numerics.Distributions;

namespace PromoPilot.Models.Forecasting;

/// <summary>
/// The benchmark methods of Hyndman &amp; Athanasopoulos, "Forecasting: Principles and Practice" (3rd ed.), §5.2 and §5.5:
/// naive (last value), seasonal naive (value one season back), and the mean of the last k values, with normal
/// intervals from their one-step residuals (σ√h for naive, σ√(⌊(h−1)/m⌋+1) for seasonal naive, σ√(1 + 1/k) for the
/// moving average).
/// </summary>
public sealed class BaselineForecaster : IForecaster
{
    private readonly int _period;
    private readonly int _window;

    private BaselineForecaster(string name, int period, int window)
    {
        Name = name;
        _period = period;
        _window = window;
    }

    public string Name { get; }

    public static BaselineForecaster Naive() => new("naive", 1, 0);

    /// <summary>Seasonal naive with period m (m = 1 is the naive method).</summary>
    public static BaselineForecaster SeasonalNaive(int period) =>
        new("snaive", period > 0 ? period : throw new ArgumentOutOfRangeException(nameof(period), period, "period must be positive."), 0);

    /// <summary>Mean of the last k values (FPP §5.2's average method over a window).</summary>
    public static BaselineForecaster MovingAverage(int window) =>
        new($"ma{window}", 1, window > 0 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive."));

    public ForecastResult Forecast(ReadOnlySpan<double> history, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        ArgumentNullException.ThrowIfNull(levels);
        if (history.Length == 0)
        {
            throw new ArgumentException("The series is empty.", nameof(history));
        }

        if (_window > 0)
        {
            return MovingAverageForecast(history, horizon, levels);
        }

        var m = _period;
        var warning = (string?)null;
        if (history.Length < m + 1)
        {
            warning = $"{Name}: series shorter than one season + 1 ({history.Length} < {m + 1}); naive used";
            m = 1;
        }

        var mean = new double[horizon];
        for (var h = 0; h < horizon; h++)
        {
            mean[h] = history[history.Length - m + (h % m)];
        }

        var sumSq = 0.0;
        var count = 0;
        for (var t = m; t < history.Length; t++)
        {
            var e = history[t] - history[t - m];
            sumSq += e * e;
            count++;
        }

        var sigma = count > 0 ? Math.Sqrt(sumSq / count) : 0;
        var sd = Enumerable.Range(0, horizon).Select(h => sigma * Math.Sqrt(m == 1 ? h + 1 : (h / m) + 1)).ToArray();
        return new ForecastResult(Name, mean, Normal(mean, sd, levels), warning);
    }

    private ForecastResult MovingAverageForecast(ReadOnlySpan<double> history, int horizon, IReadOnlyList<double> levels)
    {
        var k = Math.Min(_window, history.Length);
        var warning = k < _window ? $"{Name}: series shorter than the window; mean of all {k} values used" : null;
        var sum = 0.0;
        for (var t = history.Length - k; t < history.Length; t++)
        {
            sum += history[t];
        }

        var value = sum / k;
        var sumSq = 0.0;
        var count = 0;
        for (var t = k; t < history.Length; t++)
        {
            var s = 0.0;
            for (var j = t - k; j < t; j++)
            {
                s += history[j];
            }

            var e = history[t] - (s / k);
            sumSq += e * e;
            count++;
        }

        var sigma = count > 0 ? Math.Sqrt(sumSq / count) : 0;
        var mean = Enumerable.Repeat(value, horizon).ToArray();
        var sd = Enumerable.Repeat(sigma * Math.Sqrt(1 + (1.0 / k)), horizon).ToArray();
        return new ForecastResult(Name, mean, Normal(mean, sd, levels), warning);
    }

    internal static List<PredictionInterval> Normal(double[] mean, double[] sd, IReadOnlyList<double> levels) =>
        levels.Select(level =>
        {
            var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 0.5 + (level / 2));
            return new PredictionInterval(level, mean.Select((m, h) => m - (z * sd[h])).ToArray(), mean.Select((m, h) => m + (z * sd[h])).ToArray());
        }).ToList();
}

/// <summary>
/// Croston's method for intermittent demand (Croston 1972): simple exponential smoothing, with the same α, of the
/// non-zero demand sizes and of the intervals between them (each started at its first value, as forecast::croston
/// does), forecast = smoothed size / smoothed interval; with <see cref="Sba"/> the forecast is multiplied by 1 − α/2,
/// the Syntetos-Boylan approximation (Syntetos &amp; Boylan 2005) that removes Croston's bias. No intervals.
/// </summary>
public sealed class CrostonForecaster(double alpha = 0.1, bool sba = false) : IForecaster
{
    public double Alpha { get; } = alpha > 0 && alpha <= 1 ? alpha : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha lies in (0, 1].");

    public bool Sba { get; } = sba;

    public string Name => Sba ? "sba" : "croston";

    public ForecastResult Forecast(ReadOnlySpan<double> history, int horizon, IReadOnlyList<double> levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        double? size = null;
        double? interval = null;
        var last = -1;
        for (var t = 0; t < history.Length; t++)
        {
            var y = history[t];
            if (y < 0 || !double.IsFinite(y))
            {
                throw new ArgumentException($"Croston needs finite non-negative demand (value {y} at {t}).", nameof(history));
            }

            if (y == 0)
            {
                continue;
            }

            var gap = t - last;
            last = t;
            size = size is { } s ? s + (Alpha * (y - s)) : y;
            interval = interval is { } p ? p + (Alpha * (gap - p)) : gap;
        }

        if (size is null || interval is null)
        {
            return new ForecastResult(Name, new double[horizon], [], $"{Name}: no non-zero demand in the history; forecast 0");
        }

        var value = size.Value / interval.Value * (Sba ? 1 - (Alpha / 2) : 1);
        return new ForecastResult(Name, Enumerable.Repeat(value, horizon).ToArray(), []);
    }
}

/// <summary>ETS as an <see cref="IForecaster"/>: AICc selection (or a fixed type), falling back to naive on series too short to fit.</summary>
public sealed class EtsForecaster(EtsOptions? options = null) : IForecaster
{
    private readonly EtsOptions _options = options ?? new EtsOptions();

    public string Name => "ets";

    public ForecastResult Forecast(ReadOnlySpan<double> history, int horizon, IReadOnlyList<double> levels)
    {
        if (history.Length < 5)
        {
            var naive = BaselineForecaster.Naive().Forecast(history, horizon, levels);
            return naive with { Method = "naive", Warning = $"ets: {history.Length} observations are too few to fit; naive used" };
        }

        try
        {
            var model = Ets.Fit(history, _options);
            return model.Forecast(horizon, levels, _options.SimulationPaths, _options.Seed);
        }
        catch (ArgumentException ex)
        {
            var naive = BaselineForecaster.Naive().Forecast(history, horizon, levels);
            return naive with { Method = "naive", Warning = $"ets: {ex.Message} naive used" };
        }
    }
}
