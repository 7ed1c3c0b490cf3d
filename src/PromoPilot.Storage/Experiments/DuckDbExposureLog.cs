using System.Text.Json;
using DuckDB.NET.Data;
using PromoPilot.Core.Experiments;

namespace PromoPilot.Storage.Experiments;

/// <summary>
/// Exposures in the store's experiment_exposures table, appended in batches of <see cref="BatchSize"/> (and on
/// <see cref="Flush"/> or disposal). Timestamps are stored as UTC; attributes as a JSON object. Not thread-safe:
/// one log per writer.
/// </summary>
public sealed class DuckDbExposureLog : IExposureLog, IDisposable
{
    public const string Table = "experiment_exposures";

    private const string Create = """
        CREATE TABLE IF NOT EXISTS experiment_exposures (
            experiment_key VARCHAR NOT NULL, unit_id VARCHAR NOT NULL, variant VARCHAR NOT NULL,
            exposed_at TIMESTAMP NOT NULL, attributes JSON);
        """;

    private readonly DuckDbStore _store;
    private readonly List<ExperimentExposure> _pending = [];

    /// <param name="store">The store; the table is created when absent.</param>
    /// <param name="batchSize">Exposures buffered before they are appended (default 10,000).</param>
    public DuckDbExposureLog(DuckDbStore store, int batchSize = 10_000)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        _store = store;
        BatchSize = batchSize;
        _store.Execute(Create);
    }

    public int BatchSize { get; }

    public void Append(ExperimentExposure exposure)
    {
        ArgumentNullException.ThrowIfNull(exposure);
        _pending.Add(exposure);
        if (_pending.Count >= BatchSize)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        using (var appender = _store.Connection.CreateAppender(Table))
        {
            foreach (var e in _pending)
            {
                appender.CreateRow()
                    .AppendValue(e.ExperimentKey)
                    .AppendValue(e.UnitId)
                    .AppendValue(e.Variant)
                    .AppendValue(e.Timestamp.UtcDateTime)
                    .AppendValue(e.Attributes is null ? null : JsonSerializer.Serialize(e.Attributes))
                    .EndRow();
            }
        }

        _pending.Clear();
    }

    /// <summary>
    /// Each unit's first exposure (earliest timestamp; on a tie, the one appended first), so a unit logged on every
    /// page view counts once, in the variant it first saw. Flushes pending exposures first.
    /// </summary>
    public IReadOnlyList<ExperimentExposure> FirstExposures(string experimentKey)
    {
        ArgumentNullException.ThrowIfNull(experimentKey);
        Flush();
        using var command = _store.Connection.CreateCommand();
        command.CommandText = """
            SELECT experiment_key, unit_id, variant, exposed_at, attributes FROM experiment_exposures
            WHERE experiment_key = $key
            QUALIFY row_number() OVER (PARTITION BY unit_id ORDER BY exposed_at, rowid) = 1
            ORDER BY exposed_at, unit_id
            """;
        command.Parameters.Add(new DuckDBParameter("key", experimentKey));
        using var reader = command.ExecuteReader();
        var exposures = new List<ExperimentExposure>();
        while (reader.Read())
        {
            var attributes = reader.IsDBNull(4) ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4));
            exposures.Add(new ExperimentExposure(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)), attributes));
        }

        return exposures;
    }

    public void Dispose() => Flush();
}
