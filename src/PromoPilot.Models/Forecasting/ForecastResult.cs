namespace PromoPilot.Models.Forecasting;

/// <summary>A central prediction interval at one level (e.g. 0.80): lower and upper bound per horizon step.</summary>
public sealed record PredictionInterval(double Level, double[] Lower, double[] Upper);

/// <summary>
/// Point forecasts for steps 1..h after the end of the series, with prediction intervals (empty when the method has
/// none), the method that produced them and, when a simpler method stood in, the reason.
/// </summary>
public sealed record ForecastResult(string Method, double[] Mean, IReadOnlyList<PredictionInterval> Intervals, string? Warning = null)
{
    public int Horizon => Mean.Length;

    /// <summary>The interval at a level, or null when the method produced none at that level.</summary>
    public PredictionInterval? At(double level) => Intervals.FirstOrDefault(i => Math.Abs(i.Level - level) < 1e-9);
}

/// <summary>A forecasting method over one series: fit on the values given, forecast h steps with intervals at the levels given.</summary>
public interface IForecaster
{
    /// <summary>Short name used in reports ("naive", "snaive", "ets", "croston", ...).</summary>
    string Name { get; }

    ForecastResult Forecast(ReadOnlySpan<double> history, int horizon, IReadOnlyList<double> levels);
}
