using PromoPilot.Models.Evaluation;

namespace PromoPilot.Models.Forecasting;

/// <summary>Options of <see cref="Backtest"/>.</summary>
public sealed record BacktestOptions
{
    /// <summary>Steps forecast from each origin. Default 12.</summary>
    public int Horizon { get; init; } = 12;

    /// <summary>Rolling origins: the last at n − horizon, each earlier one <see cref="Step"/> before it. Default 1.</summary>
    public int Origins { get; init; } = 1;

    /// <summary>Distance between origins. Default 1.</summary>
    public int Step { get; init; } = 1;

    /// <summary>Seasonal period of the MASE scale (1 = naive scale). Default 1.</summary>
    public int SeasonalPeriod { get; init; } = 1;

    /// <summary>Series forecast at once (threads); the sums are added in series order, so any value gives the same
    /// result. The method must then be safe to call concurrently (every <see cref="IForecaster"/> here is). Default 1.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Interval levels forecast and scored. Default 0.80, 0.90, 0.95.</summary>
    public IReadOnlyList<double> Levels { get; init; } = [0.80, 0.90, 0.95];
}

/// <summary>Accuracy of a method over many series (<see cref="ForecastAccuracy"/>) and the warnings its fallbacks gave.</summary>
public sealed record BacktestResult(string Method, ForecastAccuracy Accuracy, IReadOnlyList<string> Warnings);

/// <summary>
/// Rolling-origin evaluation (Tashman 2000; FPP §5.10 "time series cross-validation"): for each origin the method sees
/// only the values before it and forecasts the next <see cref="BacktestOptions.Horizon"/>; errors are summed over all
/// series, origins and steps.
/// </summary>
public static class Backtest
{
    public static BacktestResult Run(IForecaster method, IReadOnlyList<double[]> series, BacktestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(series);
        options ??= new BacktestOptions();
        ModelArgs.Positive(options.Horizon, nameof(options.Horizon));
        ModelArgs.Positive(options.Origins, nameof(options.Origins));
        ModelArgs.Positive(options.Step, nameof(options.Step));
        ModelArgs.Positive(options.Parallelism, nameof(options.Parallelism));
        foreach (var y in series)
        {
            if (y.Length - options.Horizon - ((options.Origins - 1) * options.Step) < 1)
            {
                throw new ArgumentException($"A series of {y.Length} values is too short for {options.Origins} origins of horizon {options.Horizon}.", nameof(series));
            }
        }

        var perSeries = new ForecastAccuracy[series.Count];
        var perWarnings = new List<string>?[series.Count];
        Parallel.For(0, series.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism }, j =>
        {
            var y = series[j];
            var sum = ForecastAccuracy.Empty;
            for (var o = options.Origins - 1; o >= 0; o--)
            {
                var origin = y.Length - options.Horizon - (o * options.Step);
                var history = y.AsSpan(0, origin);
                var actual = y.AsSpan(origin, options.Horizon);
                var forecast = method.Forecast(history, options.Horizon, options.Levels);
                if (forecast.Warning is { } w)
                {
                    (perWarnings[j] ??= []).Add(w);
                }

                var one = ForecastAccuracy.Of(history, actual, forecast, options.SeasonalPeriod);
                sum += o == options.Origins - 1 ? one : one with { Series = 0 };
            }

            perSeries[j] = sum;
        });

        // added in series order: the same floating-point sums whatever the parallelism
        var total = ForecastAccuracy.Empty;
        var warnings = new List<string>();
        for (var j = 0; j < series.Count; j++)
        {
            total += perSeries[j];
            warnings.AddRange(perWarnings[j] ?? []);
        }

        return new BacktestResult(method.Name, total, warnings);
    }
}
