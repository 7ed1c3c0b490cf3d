namespace PromoPilot.Storage.Queries;

/// <summary>One stored recommendation model: its version, what it was trained on and where its bytes are.</summary>
/// <param name="Version">1, 2, ... in the order models were stored (over every dataset).</param>
/// <param name="Dataset">The dataset whose interactions it was trained on.</param>
/// <param name="Algorithm">The algorithm's short name (ease, als, ...).</param>
/// <param name="Parameters">The parameters it was fitted with, as a JSON object (chosen ones when tuned).</param>
/// <param name="DataFrom">Time of the earliest interaction used (null when events carry no time).</param>
/// <param name="DataTo">Time of the latest interaction used.</param>
/// <param name="Users">Rows of the training matrix.</param>
/// <param name="Items">Columns of the training matrix.</param>
/// <param name="Interactions">Non-zero cells of the training matrix.</param>
/// <param name="Metrics">Offline metrics as a JSON object (holdout check, tuning), or null.</param>
/// <param name="CreatedAt">When it was stored.</param>
/// <param name="FitSeconds">Seconds the final fit took.</param>
/// <param name="Path">The model file, relative to the store's folder.</param>
public sealed record RecommendationModelRow(
    int Version,
    string Dataset,
    string Algorithm,
    string Parameters,
    DateTime? DataFrom,
    DateTime? DataTo,
    int Users,
    int Items,
    long Interactions,
    string? Metrics,
    DateTimeOffset CreatedAt,
    double FitSeconds,
    string Path);

/// <summary>The recs_models table: one row per stored recommendation model (the bytes live in a folder beside the store).</summary>
public static class RecommendationModelsTable
{
    public const string Name = "recs_models";

    private const string Create = """
        CREATE TABLE IF NOT EXISTS recs_models (
            version INTEGER NOT NULL, dataset VARCHAR NOT NULL, algo VARCHAR NOT NULL, parameters JSON NOT NULL,
            data_from TIMESTAMP, data_to TIMESTAMP, users INTEGER NOT NULL, items INTEGER NOT NULL, interactions BIGINT NOT NULL,
            metrics JSON, created_at TIMESTAMPTZ NOT NULL, fit_seconds DOUBLE NOT NULL, path VARCHAR NOT NULL);
        """;

    /// <summary>The version the next stored model will get: one more than the largest so far.</summary>
    public static int NextVersion(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Execute(Create);
        return store.Scalar<int>("SELECT coalesce(max(version), 0) + 1 FROM recs_models");
    }

    /// <summary>Records a stored model.</summary>
    public static void Insert(DuckDbStore store, RecommendationModelRow row)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(row);
        store.Execute(Create);
        store.Execute(
            """
            INSERT INTO recs_models VALUES ($version, $dataset, $algo, $parameters, $data_from, $data_to, $users, $items, $interactions,
                                            $metrics, $created_at, $fit_seconds, $path)
            """,
            ("version", row.Version), ("dataset", row.Dataset), ("algo", row.Algorithm), ("parameters", row.Parameters),
            ("data_from", row.DataFrom), ("data_to", row.DataTo), ("users", row.Users), ("items", row.Items),
            ("interactions", row.Interactions), ("metrics", row.Metrics), ("created_at", row.CreatedAt),
            ("fit_seconds", row.FitSeconds), ("path", row.Path));
    }

    /// <summary>The model of <paramref name="version"/>, or the latest one (of <paramref name="dataset"/> when given); null when none.</summary>
    public static RecommendationModelRow? Find(DuckDbStore store, int? version = null, string? dataset = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        store.Execute(Create);
        var rows = store.Query(
            """
            SELECT version, dataset, algo, CAST(parameters AS VARCHAR) AS parameters, data_from, data_to, users, items, interactions,
                   CAST(metrics AS VARCHAR) AS metrics, created_at, fit_seconds, path
            FROM recs_models
            WHERE (CAST($version AS INTEGER) IS NULL OR version = $version) AND (CAST($dataset AS VARCHAR) IS NULL OR dataset = $dataset)
            ORDER BY version DESC LIMIT 1
            """,
            ("version", version), ("dataset", dataset));
        if (rows.Count == 0)
        {
            return null;
        }

        var r = rows[0];
        return new RecommendationModelRow(
            (int)r["version"]!, (string)r["dataset"]!, (string)r["algo"]!, (string)r["parameters"]!,
            r["data_from"] as DateTime?, r["data_to"] as DateTime?, (int)r["users"]!, (int)r["items"]!, (long)r["interactions"]!,
            r["metrics"] as string, ToOffset(r["created_at"]), (double)r["fit_seconds"]!, (string)r["path"]!);
    }

    private static DateTimeOffset ToOffset(object? value) => value switch
    {
        DateTimeOffset o => o,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        _ => throw new InvalidDataException($"recs_models.created_at has an unexpected value '{value}'."),
    };
}
