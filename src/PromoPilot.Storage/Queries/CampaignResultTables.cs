using System.Globalization;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Storage.Queries;

/// <summary>How well the forecasts of one metric held up across every campaign read out so far.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Readouts">Readouts of the metric that had a forecast to compare with.</param>
/// <param name="Covered">How many of them had the measured value inside the forecast interval.</param>
/// <param name="MeanNominalLevel">Mean nominal coverage of those forecast intervals (compare with Covered / Readouts).</param>
/// <param name="MeanAbsoluteError">Mean |forecast − measured|.</param>
/// <param name="MeanError">Mean forecast − measured (positive: forecasts too optimistic).</param>
public sealed record ForecastCalibration(string Metric, long Readouts, long Covered, double MeanNominalLevel, double MeanAbsoluteError, double MeanError);

/// <summary>
/// The campaign_forecasts and campaign_readouts tables: what was predicted before launch and what was measured
/// afterwards. A new readout replaces the campaign's previous one; forecasts are kept, the latest per metric counts.
/// </summary>
public static class CampaignResultTables
{
    private const string Create = """
        CREATE TABLE IF NOT EXISTS campaign_forecasts (
            campaign_key INTEGER NOT NULL, metric VARCHAR NOT NULL, value DOUBLE NOT NULL, ci_low DOUBLE NOT NULL,
            ci_high DOUBLE NOT NULL, level DOUBLE NOT NULL, model VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE IF NOT EXISTS campaign_readouts (
            campaign_key INTEGER NOT NULL, metric VARCHAR NOT NULL, arm VARCHAR NOT NULL, control_arm VARCHAR NOT NULL,
            computed_at TIMESTAMPTZ NOT NULL, treated_units BIGINT NOT NULL, control_units BIGINT NOT NULL,
            treated_mean DOUBLE NOT NULL, control_mean DOUBLE NOT NULL, incremental DOUBLE NOT NULL, ci_low DOUBLE,
            ci_high DOUBLE, level DOUBLE NOT NULL, p_value DOUBLE, status VARCHAR NOT NULL, forecast DOUBLE,
            forecast_ci_low DOUBLE, forecast_ci_high DOUBLE, forecast_level DOUBLE, forecast_error DOUBLE, forecast_covered BOOLEAN);
        """;

    /// <summary>Records a forecast of one metric for a campaign.</summary>
    /// <exception cref="ArgumentException">The metric is unknown, the interval does not contain the value, or the level is outside (0, 1).</exception>
    public static void SaveForecast(DuckDbStore store, int campaignKey, CampaignForecast forecast)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(forecast);
        if (!CampaignMetrics.All.Contains(forecast.Metric))
        {
            throw new ArgumentException($"unknown metric '{forecast.Metric}' (expected {string.Join(" or ", CampaignMetrics.All)})", nameof(forecast));
        }

        if (!(forecast.Low <= forecast.Value && forecast.Value <= forecast.High))
        {
            throw new ArgumentException($"the forecast interval [{forecast.Low}, {forecast.High}] does not contain its value {forecast.Value}", nameof(forecast));
        }

        if (!(forecast.Level is > 0 and < 1))
        {
            throw new ArgumentException($"the forecast level must lie in (0, 1), not {forecast.Level}", nameof(forecast));
        }

        store.Execute(Create);
        store.Execute(
            "INSERT INTO campaign_forecasts VALUES ($key, $metric, $value, $low, $high, $level, $model, $at)",
            ("key", campaignKey), ("metric", forecast.Metric), ("value", forecast.Value), ("low", forecast.Low),
            ("high", forecast.High), ("level", forecast.Level), ("model", forecast.Model), ("at", forecast.CreatedAt.UtcDateTime));
    }

    /// <summary>The latest forecast of each metric of a campaign.</summary>
    public static IReadOnlyDictionary<string, CampaignForecast> LatestForecasts(DuckDbStore store, int campaignKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Execute(Create);
        return store.Query("""
            SELECT metric, arg_max(value, created_at) AS value, arg_max(ci_low, created_at) AS ci_low,
                   arg_max(ci_high, created_at) AS ci_high, arg_max(level, created_at) AS level,
                   arg_max(model, created_at) AS model, max(created_at) AS created_at
            FROM campaign_forecasts WHERE campaign_key = $key GROUP BY metric
            """, ("key", campaignKey))
            .ToDictionary(
                r => (string)r["metric"]!,
                r => new CampaignForecast(
                    (string)r["metric"]!, Double(r["value"]), Double(r["ci_low"]), Double(r["ci_high"]), Double(r["level"]),
                    (string)r["model"]!, new DateTimeOffset(DateTime.SpecifyKind((DateTime)r["created_at"]!, DateTimeKind.Utc))),
                StringComparer.Ordinal);
    }

    /// <summary>Replaces the campaign's readout rows with <paramref name="readouts"/>, in one transaction.</summary>
    public static void SaveReadout(DuckDbStore store, int campaignKey, DateTimeOffset computedAt, IReadOnlyList<CampaignReadout> readouts)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(readouts);
        store.Execute(Create);
        store.Execute("BEGIN TRANSACTION");
        try
        {
            store.Execute("DELETE FROM campaign_readouts WHERE campaign_key = $key", ("key", campaignKey));
            foreach (var r in readouts)
            {
                store.Execute(
                    """
                    INSERT INTO campaign_readouts VALUES ($key, $metric, $arm, $control, $at, $tn, $cn, $tm, $cm, $inc, $low, $high,
                        $level, $p, $status, $f, $flow, $fhigh, $flevel, $ferr, $fcov)
                    """,
                    ("key", campaignKey), ("metric", r.Metric), ("arm", r.Arm), ("control", r.ControlArm), ("at", computedAt.UtcDateTime),
                    ("tn", r.TreatedUnits), ("cn", r.ControlUnits), ("tm", r.TreatedMean), ("cm", r.ControlMean), ("inc", r.Incremental),
                    ("low", r.Low), ("high", r.High), ("level", r.Level), ("p", r.PValue), ("status", r.Status),
                    ("f", r.Forecast?.Value), ("flow", r.Forecast?.Low), ("fhigh", r.Forecast?.High), ("flevel", r.Forecast?.Level),
                    ("ferr", r.ForecastError), ("fcov", r.ForecastCovered));
            }

            store.Execute("COMMIT");
        }
        catch
        {
            store.Execute("ROLLBACK");
            throw;
        }
    }

    /// <summary>The forecast calibration record: per metric, how the latest readout of every campaign compared with its forecast.</summary>
    public static IReadOnlyList<ForecastCalibration> Calibration(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Execute(Create);
        return store.Query("""
            SELECT metric, count(*) AS readouts, count(*) FILTER (WHERE forecast_covered) AS covered,
                   avg(forecast_level) AS level, avg(abs(forecast_error)) AS mae, avg(forecast_error) AS me
            FROM campaign_readouts WHERE forecast IS NOT NULL
            GROUP BY metric ORDER BY metric
            """).Select(r => new ForecastCalibration(
                (string)r["metric"]!,
                Convert.ToInt64(r["readouts"], CultureInfo.InvariantCulture),
                Convert.ToInt64(r["covered"], CultureInfo.InvariantCulture),
                Double(r["level"]),
                Double(r["mae"]),
                Double(r["me"]))).ToList();
    }

    private static double Double(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
