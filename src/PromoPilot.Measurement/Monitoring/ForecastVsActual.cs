namespace PromoPilot.Measurement.Monitoring;

/// <summary>One metric of a finished campaign: what was forecast at launch beside what the readout measured.</summary>
/// <param name="Metric">The metric (incremental_conversions, incremental_revenue).</param>
/// <param name="Forecast">The forecast value.</param>
/// <param name="ForecastLow">Lower end of the forecast interval.</param>
/// <param name="ForecastHigh">Upper end of the forecast interval.</param>
/// <param name="ForecastLevel">Nominal level of the forecast interval.</param>
/// <param name="Actual">The measured value (readout).</param>
/// <param name="ActualLow">Lower end of the readout's interval, when it has one.</param>
/// <param name="ActualHigh">Upper end of the readout's interval, when it has one.</param>
/// <param name="Error">Forecast − actual (positive: the forecast was too optimistic).</param>
/// <param name="RelativeError">Error / |actual|; null when the actual is 0.</param>
/// <param name="Covered">The actual lies inside the forecast interval.</param>
/// <param name="IntervalsOverlap">The forecast and readout intervals overlap (null when the readout has none).</param>
public sealed record ForecastComparison(
    string Metric, double Forecast, double ForecastLow, double ForecastHigh, double ForecastLevel,
    double Actual, double? ActualLow, double? ActualHigh, double Error, double? RelativeError, bool Covered, bool? IntervalsOverlap);

/// <summary>Forecast versus actual: the comparison every campaign readout is held to.</summary>
public static class ForecastVsActual
{
    /// <exception cref="ArgumentException">A value is not finite, the forecast interval does not contain the forecast, or the readout interval is half given or reversed.</exception>
    public static ForecastComparison Compare(
        string metric, double forecast, double forecastLow, double forecastHigh, double forecastLevel,
        double actual, double? actualLow = null, double? actualHigh = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        if (!double.IsFinite(forecast) || !double.IsFinite(actual) || !double.IsFinite(forecastLow) || !double.IsFinite(forecastHigh))
        {
            throw new ArgumentException($"{metric}: forecast {forecast} [{forecastLow}, {forecastHigh}] and actual {actual} must be finite.", nameof(forecast));
        }

        if (!(forecastLow <= forecast && forecast <= forecastHigh))
        {
            throw new ArgumentException($"{metric}: the forecast interval [{forecastLow}, {forecastHigh}] does not contain the forecast {forecast}.", nameof(forecastLow));
        }

        if (actualLow.HasValue != actualHigh.HasValue || (actualLow is { } l && actualHigh is { } h && !(l <= h)))
        {
            throw new ArgumentException($"{metric}: the readout interval [{actualLow}, {actualHigh}] must have both ends, low ≤ high.", nameof(actualLow));
        }

        var error = forecast - actual;
        bool? overlap = actualLow is { } lo && actualHigh is { } hi ? lo <= forecastHigh && forecastLow <= hi : null;
        return new ForecastComparison(
            metric, forecast, forecastLow, forecastHigh, forecastLevel, actual, actualLow, actualHigh, error,
            actual == 0 ? null : error / Math.Abs(actual), forecastLow <= actual && actual <= forecastHigh, overlap);
    }
}
