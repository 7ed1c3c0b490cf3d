namespace PromoPilot.Models.Evaluation;

/// <summary>
/// Addable forecast-accuracy sums over series and origins. Definitions (Hyndman &amp; Athanasopoulos, FPP §5.8;
/// Hyndman &amp; Koehler 2006 for MASE):
/// WAPE = Σ|y − ŷ| / Σ|y|; bias = Σ(ŷ − y) / Σ|y| (positive: over-forecast); MASE = mean over series (and origins) of
/// mean|y − ŷ| / q, with q the in-sample mean absolute error of the seasonal naive method (lag m; m = 1 is naive);
/// coverage at a level = share of actuals inside the interval at that level.
/// </summary>
public sealed record ForecastAccuracy(
    long Points,
    int Series,
    double SumAbsError,
    double SumError,
    double SumAbsActual,
    double SumScaledError,
    int ScaledSeries,
    long Covered80,
    long Covered90,
    long Covered95,
    long Points80,
    long Points90,
    long Points95)
{
    public static ForecastAccuracy Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>WAPE, or null when every actual is zero.</summary>
    public double? Wape => SumAbsActual > 0 ? SumAbsError / SumAbsActual : null;

    public double? Bias => SumAbsActual > 0 ? SumError / SumAbsActual : null;

    /// <summary>MASE averaged over the series whose scale is positive (a constant history has none), or null.</summary>
    public double? Mase => ScaledSeries > 0 ? SumScaledError / ScaledSeries : null;

    /// <summary>Coverage of the 80% intervals, or null when no forecast had one.</summary>
    public double? Coverage80 => Points80 > 0 ? (double)Covered80 / Points80 : null;

    public double? Coverage90 => Points90 > 0 ? (double)Covered90 / Points90 : null;

    public double? Coverage95 => Points95 > 0 ? (double)Covered95 / Points95 : null;

    public static ForecastAccuracy operator +(ForecastAccuracy a, ForecastAccuracy b) => new(
        a.Points + b.Points, a.Series + b.Series, a.SumAbsError + b.SumAbsError, a.SumError + b.SumError, a.SumAbsActual + b.SumAbsActual,
        a.SumScaledError + b.SumScaledError, a.ScaledSeries + b.ScaledSeries, a.Covered80 + b.Covered80, a.Covered90 + b.Covered90,
        a.Covered95 + b.Covered95, a.Points80 + b.Points80, a.Points90 + b.Points90, a.Points95 + b.Points95);

    /// <summary>The sums for one forecast of one series against its actuals; <paramref name="history"/> gives the MASE scale.</summary>
    public static ForecastAccuracy Of(ReadOnlySpan<double> history, ReadOnlySpan<double> actual, Forecasting.ForecastResult forecast, int seasonalPeriod = 1)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ModelArgs.Positive(seasonalPeriod, nameof(seasonalPeriod));
        if (actual.Length > forecast.Mean.Length)
        {
            throw new ArgumentException($"{actual.Length} actuals but a {forecast.Mean.Length}-step forecast.", nameof(actual));
        }

        double abs = 0, err = 0, act = 0;
        for (var h = 0; h < actual.Length; h++)
        {
            abs += Math.Abs(actual[h] - forecast.Mean[h]);
            err += forecast.Mean[h] - actual[h];
            act += Math.Abs(actual[h]);
        }

        var m = history.Length > seasonalPeriod ? seasonalPeriod : 1;
        double scale = 0;
        for (var t = m; t < history.Length; t++)
        {
            scale += Math.Abs(history[t] - history[t - m]);
        }

        scale = history.Length > m ? scale / (history.Length - m) : 0;
        var scaled = scale > 0 && actual.Length > 0;
        var i80 = forecast.At(0.80);
        var i90 = forecast.At(0.90);
        var i95 = forecast.At(0.95);
        return new ForecastAccuracy(
            actual.Length, 1, abs, err, act, scaled ? abs / actual.Length / scale : 0, scaled ? 1 : 0,
            Inside(actual, i80), Inside(actual, i90), Inside(actual, i95),
            i80 is null ? 0 : actual.Length, i90 is null ? 0 : actual.Length, i95 is null ? 0 : actual.Length);
    }

    private static long Inside(ReadOnlySpan<double> actual, Forecasting.PredictionInterval? interval)
    {
        if (interval is null)
        {
            return 0;
        }

        var n = 0;
        for (var h = 0; h < actual.Length; h++)
        {
            n += actual[h] >= interval.Lower[h] && actual[h] <= interval.Upper[h] ? 1 : 0;
        }

        return n;
    }
}
