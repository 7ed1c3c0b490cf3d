using System.Globalization;

namespace PromoPilot.Storage.Queries;

/// <summary>
/// One saved training reference of a model: the model itself (JSON), where its file was written, and the monitoring
/// summary (feature and score bins, calibration table) as JSON (docs/monitoring.md).
/// </summary>
/// <param name="Name">The model's monitoring name, e.g. "effect-hillstrom_email_2008-conversion".</param>
/// <param name="Version">1, 2, … per name.</param>
/// <param name="Kind">Model family, e.g. "linear_uplift".</param>
/// <param name="CampaignKey">The campaign it was trained on, when it was trained on one.</param>
/// <param name="Outcome">The outcome it predicts (visit, conversion).</param>
/// <param name="CreatedAt">When it was trained.</param>
/// <param name="ModelPath">Where the model file was written.</param>
/// <param name="ModelJson">The saved model.</param>
/// <param name="ReferenceJson">The monitoring reference summary.</param>
public sealed record ModelReferenceRow(
    string Name, int Version, string Kind, int? CampaignKey, string Outcome, DateTimeOffset CreatedAt, string ModelPath, string ModelJson, string ReferenceJson);

/// <summary>One metric of a campaign's latest readout that has a forecast beside it.</summary>
public sealed record ForecastReadoutRow(
    int CampaignKey, string CampaignId, string? Status, string Metric, string Arm, double Forecast, double ForecastLow, double ForecastHigh,
    double ForecastLevel, double Actual, double? ActualLow, double? ActualHigh, double Level, DateTimeOffset ComputedAt);

/// <summary>
/// What monitoring reads and keeps: the model_references table (a model's training reference, written when the model
/// is fitted), the current customers' numeric attributes (the recent population), and readouts with forecasts.
/// </summary>
public static class MonitoringTables
{
    public const string Name = "model_references";

    private const string Create = """
        CREATE TABLE IF NOT EXISTS model_references (
            name VARCHAR NOT NULL, version INTEGER NOT NULL, kind VARCHAR NOT NULL, campaign_key INTEGER, outcome VARCHAR NOT NULL,
            created_at TIMESTAMPTZ NOT NULL, model_path VARCHAR NOT NULL, model_json VARCHAR NOT NULL, reference_json VARCHAR NOT NULL,
            PRIMARY KEY (name, version));
        """;

    /// <summary>Saves a new version of the named model's reference; returns the version.</summary>
    public static int Save(DuckDbStore store, string name, string kind, int? campaignKey, string outcome, DateTimeOffset createdAt, string modelPath, string modelJson, string referenceJson)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        store.Execute(Create);
        var version = store.Scalar<int>("SELECT coalesce(max(version), 0) + 1 FROM model_references WHERE name = $name", ("name", name));
        store.Execute(
            "INSERT INTO model_references VALUES ($name, $version, $kind, $campaign, $outcome, $at, $path, $model, $reference)",
            ("name", name), ("version", version), ("kind", kind), ("campaign", campaignKey), ("outcome", outcome), ("at", createdAt.UtcDateTime),
            ("path", modelPath), ("model", modelJson), ("reference", referenceJson));
        return version;
    }

    /// <summary>The latest reference of every model name, by name; empty when none was saved.</summary>
    public static IReadOnlyList<ModelReferenceRow> Latest(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!TableExists(store, Name))
        {
            return [];
        }

        return store.Query("""
            SELECT name, version, kind, campaign_key, outcome, created_at, model_path, model_json, reference_json
            FROM model_references QUALIFY version = max(version) OVER (PARTITION BY name) ORDER BY name
            """).Select(r => new ModelReferenceRow(
                (string)r["name"]!, Convert.ToInt32(r["version"], CultureInfo.InvariantCulture), (string)r["kind"]!,
                r["campaign_key"] is null or DBNull ? null : Convert.ToInt32(r["campaign_key"], CultureInfo.InvariantCulture), (string)r["outcome"]!,
                Utc(r["created_at"]), (string)r["model_path"]!, (string)r["model_json"]!, (string)r["reference_json"]!)).ToList();
    }

    /// <summary>
    /// The numeric attributes (numbers and booleans as 0/1) named in <paramref name="features"/> of every customer who has
    /// at least one of them: the population a model scores now.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, double>> CustomerFeatures(DuckDbStore store, IReadOnlyCollection<string> features)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(features);
        var rows = new List<IReadOnlyDictionary<string, double>>();
        foreach (var r in store.Query("SELECT CAST(attributes AS VARCHAR) AS attributes FROM users WHERE attributes IS NOT NULL ORDER BY user_key"))
        {
            var numbers = EffectTrainingQuery.Numbers((string?)r["attributes"]);
            if (features.Any(numbers.ContainsKey))
            {
                rows.Add(numbers);
            }
        }

        return rows;
    }

    /// <summary>Every readout metric and arm that has a forecast, with the campaign's served status when it is a designed campaign.</summary>
    public static IReadOnlyList<ForecastReadoutRow> ForecastReadouts(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!TableExists(store, "campaign_readouts"))
        {
            return [];
        }

        var status = TableExists(store, "campaign_definitions")
            ? "(SELECT d.status FROM campaign_definitions d WHERE d.campaign_id = c.campaign_id LIMIT 1)"
            : "NULL";
        return store.Query($"""
            SELECT r.campaign_key, coalesce(c.campaign_id, CAST(r.campaign_key AS VARCHAR)) AS campaign_id, {status} AS status,
                   r.metric, r.arm, r.forecast, r.forecast_ci_low, r.forecast_ci_high, r.forecast_level, r.incremental,
                   r.ci_low, r.ci_high, r.level, r.computed_at
            FROM campaign_readouts r
            LEFT JOIN (SELECT campaign_key, any_value(campaign_id) AS campaign_id FROM campaigns GROUP BY 1) c ON c.campaign_key = r.campaign_key
            WHERE r.forecast IS NOT NULL
            ORDER BY r.campaign_key, r.metric, r.arm
            """).Select(r => new ForecastReadoutRow(
                Convert.ToInt32(r["campaign_key"], CultureInfo.InvariantCulture), (string)r["campaign_id"]!, r["status"] as string,
                (string)r["metric"]!, (string)r["arm"]!, Double(r["forecast"]), Double(r["forecast_ci_low"]), Double(r["forecast_ci_high"]),
                Double(r["forecast_level"]), Double(r["incremental"]), NullableDouble(r["ci_low"]), NullableDouble(r["ci_high"]),
                Double(r["level"]), Utc(r["computed_at"]))).ToList();
    }

    /// <summary>A campaign's exposures per day of exposure and group (treated or control), with conversions; empty when exposures carry no time.</summary>
    public static IReadOnlyList<(DateTime Day, bool IsControl, long Units, long Conversions)> CampaignDays(DuckDbStore store, int campaignKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Query("""
            SELECT CAST(date_trunc('day', exposed_at) AS TIMESTAMP) AS day, coalesce(is_control, false) AS is_control, count(*) AS units,
                   count(*) FILTER (WHERE converted) AS conversions
            FROM exposures WHERE campaign_key = $key AND exposed_at IS NOT NULL
            GROUP BY ALL ORDER BY day, is_control LIMIT 2000
            """, ("key", campaignKey))
            .Select(r => ((DateTime)r["day"]!, (bool)r["is_control"]!, Convert.ToInt64(r["units"], CultureInfo.InvariantCulture), Convert.ToInt64(r["conversions"], CultureInfo.InvariantCulture)))
            .ToList();
    }

    internal static bool TableExists(DuckDbStore store, string table) =>
        store.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = $t", ("t", table)) > 0;

    private static DateTimeOffset Utc(object? value) => value switch
    {
        DateTimeOffset d => d,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => default,
    };

    private static double Double(object? value) => value is null or DBNull ? 0 : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static double? NullableDouble(object? value) => value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
}
