using DuckDB.NET.Data;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;

namespace PromoPilot.Storage.Serving;

/// <summary>
/// The embedded durable store of the decision service (the default of <c>promopilot serve</c>): its tables live in the
/// same DuckDB file the CLI uses (<see cref="DuckDbStore"/>), so <c>promopilot</c> commands read served events after
/// the server stops. Accepted events are group-committed (<see cref="EventGroupCommit"/>): concurrent batches share one
/// transaction, and each caller is answered only after that transaction has committed, when DuckDB has written and
/// synced its write-ahead log.
/// </summary>
/// <remarks>
/// One connection serves every call, one at a time (a gate): DuckDB allows one writing process per file, and in that
/// process writes on one connection never conflict. Times are stored as UTC timestamps (microseconds); prices as
/// DECIMAL(18,4).
/// </remarks>
public sealed class DuckDbServingStore : IServingStore
{
    private const string EventColumns = "event_id, user_id, type, occurred_at, received_at, item_id, quantity, price, order_id, decision_id, offer_id";

    private readonly DuckDbStore _store;
    private readonly DuckDBConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EventGroupCommit _events;
    private int _disposed;

    private DuckDbServingStore(DuckDbStore store)
    {
        _store = store;
        _connection = store.Connection;
        CreateTables();
        _events = new EventGroupCommit(WriteEvents);
    }

    /// <summary>The DuckDB file.</summary>
    public string Path => _store.Path;

    /// <summary>
    /// Opens (creating when absent) the store file at <paramref name="path"/> (default ./promopilot.duckdb, as the CLI)
    /// and creates the serving tables when missing.
    /// </summary>
    /// <exception cref="IOException">The file cannot be opened (for example another process holds it).</exception>
    public static DuckDbServingStore Open(string path = DuckDbStore.DefaultPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var store = DuckDbStore.Open(path);
        try
        {
            return new DuckDbServingStore(store);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    public async Task<IReadOnlyList<StoredCampaign>> LoadCampaignsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("SELECT definition, version, updated_at FROM serving_campaigns ORDER BY id");
            using var reader = command.ExecuteReader();
            var campaigns = new List<StoredCampaign>();
            while (reader.Read())
            {
                campaigns.Add(new StoredCampaign(ServingJson.ReadCampaign(reader.GetString(0)), reader.GetInt32(1), Utc(reader.GetDateTime(2))));
            }

            return campaigns;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<StoredCampaign> SaveCampaignAsync(CampaignDefinition campaign, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ServingJson.CheckCampaign(campaign, expectedVersion, audit);
        var json = ServingJson.WriteCampaign(campaign);
        var version = await SaveVersionedAsync(
            "serving_campaigns", "id", campaign.Id, expectedVersion, audit, cancellationToken,
            ("status", ServingJson.StatusName(campaign.Status)), ("definition", json)).ConfigureAwait(false);
        return new StoredCampaign(campaign, version, audit.At);
    }

    public async Task<IReadOnlyList<StoredExperiment>> LoadExperimentsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("SELECT experiment_key, definition, version, updated_at FROM serving_experiments ORDER BY experiment_key");
            using var reader = command.ExecuteReader();
            var experiments = new List<StoredExperiment>();
            while (reader.Read())
            {
                experiments.Add(new StoredExperiment(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), Utc(reader.GetDateTime(3))));
            }

            return experiments;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<StoredExperiment> SaveExperimentAsync(string key, string definitionJson, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ServingJson.CheckExperiment(key, definitionJson, expectedVersion, audit);
        var version = await SaveVersionedAsync(
            "serving_experiments", "experiment_key", key, expectedVersion, audit, cancellationToken,
            ("definition", definitionJson)).ConfigureAwait(false);
        return new StoredExperiment(key, definitionJson, version, audit.At);
    }

    public async Task<IReadOnlyList<StoredApiKey>> LoadApiKeysAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("SELECT id, name, role, secret_hash, created_at, revoked FROM serving_api_keys ORDER BY id");
            using var reader = command.ExecuteReader();
            var keys = new List<StoredApiKey>();
            while (reader.Read())
            {
                keys.Add(new StoredApiKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Utc(reader.GetDateTime(4)), reader.GetBoolean(5)));
            }

            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task SaveApiKeyAsync(StoredApiKey key, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ServingJson.CheckApiKey(key, audit);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            InTransaction(() =>
            {
                Execute(
                    """
                    INSERT INTO serving_api_keys (id, name, role, secret_hash, created_at, revoked) VALUES ($id, $name, $role, $hash, $created, $revoked)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, secret_hash = excluded.secret_hash,
                        created_at = excluded.created_at, revoked = excluded.revoked
                    """,
                    ("id", key.Id), ("name", key.Name), ("role", key.Role), ("hash", key.SecretHash), ("created", key.CreatedAt.UtcDateTime), ("revoked", key.Revoked));
                AppendAudit(audit);
                return 0;
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> LoadAuditAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command(
                "SELECT happened_at, actor, role, action, object_type, object_id, detail FROM serving_audit ORDER BY seq DESC LIMIT $limit",
                ("limit", (long)limit));
            using var reader = command.ExecuteReader();
            var entries = new List<AuditEntry>();
            while (reader.Read())
            {
                entries.Add(new AuditEntry(
                    Utc(reader.GetDateTime(0)), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.IsDBNull(6) ? null : reader.GetString(6)));
            }

            return entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Event transactions committed so far (for tests and benchmarks: fewer than the batches when callers shared commits).</summary>
    internal long EventCommits => _events.Commits;

    public Task<EventAppendResult> AppendEventsAsync(IReadOnlyList<ServedEvent> events, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _events.AppendAsync(events, cancellationToken);
    }

    public async Task<long> CountEventsAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var command = Command("SELECT count(*) FROM served_events");
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes every queued event, then closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _events.DisposeAsync().ConfigureAwait(false);
        await _gate.WaitAsync().ConfigureAwait(false);
        _store.Dispose();
        _gate.Dispose();
    }

    private void CreateTables() => Execute(
        """
        CREATE TABLE IF NOT EXISTS serving_campaigns (
            id VARCHAR PRIMARY KEY, version INTEGER NOT NULL, status VARCHAR NOT NULL, definition VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL);
        CREATE TABLE IF NOT EXISTS serving_experiments (
            experiment_key VARCHAR PRIMARY KEY, version INTEGER NOT NULL, definition VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS serving_audit_seq;
        CREATE TABLE IF NOT EXISTS serving_audit (
            seq BIGINT PRIMARY KEY DEFAULT nextval('serving_audit_seq'), happened_at TIMESTAMP NOT NULL, actor VARCHAR NOT NULL,
            role VARCHAR NOT NULL, action VARCHAR NOT NULL, object_type VARCHAR NOT NULL, object_id VARCHAR NOT NULL, detail VARCHAR);
        CREATE TABLE IF NOT EXISTS serving_api_keys (
            id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, role VARCHAR NOT NULL, secret_hash VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL, revoked BOOLEAN NOT NULL);
        CREATE TABLE IF NOT EXISTS served_events (
            event_id VARCHAR PRIMARY KEY, user_id VARCHAR NOT NULL, type VARCHAR NOT NULL, occurred_at TIMESTAMP NOT NULL,
            received_at TIMESTAMP NOT NULL, item_id VARCHAR, quantity INTEGER, price DECIMAL(18,4), order_id VARCHAR,
            decision_id VARCHAR, offer_id VARCHAR);
        CREATE TEMP TABLE IF NOT EXISTS served_events_stage AS SELECT * FROM served_events LIMIT 0;
        """);

    /// <summary>
    /// Inserts (expected version 0) or updates (expected = current) one versioned row and appends the audit entry, in
    /// one transaction; returns the new version.
    /// </summary>
    private async Task<int> SaveVersionedAsync(
        string table, string keyColumn, string key, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken,
        params (string Column, string Value)[] values)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return InTransaction(() =>
            {
                int? current;
                using (var read = Command($"SELECT version FROM {table} WHERE {keyColumn} = $key", ("key", key)))
                {
                    var found = read.ExecuteScalar();
                    current = found is null or DBNull ? null : Convert.ToInt32(found, System.Globalization.CultureInfo.InvariantCulture);
                }

                if ((current ?? 0) != expectedVersion)
                {
                    throw new VersionConflictException(ServingJson.ConflictMessage(table, key, expectedVersion, current));
                }

                var parameters = new List<(string, object?)> { ("key", key), ("at", audit.At.UtcDateTime), ("expected", expectedVersion) };
                parameters.AddRange(values.Select(v => (v.Column, (object?)v.Value)));
                if (current is null)
                {
                    var columns = string.Join(", ", values.Select(v => v.Column));
                    var names = string.Join(", ", values.Select(v => "$" + v.Column));
                    Execute($"INSERT INTO {table} ({keyColumn}, version, updated_at, {columns}) VALUES ($key, 1, $at, {names})", [.. parameters]);
                }
                else
                {
                    var set = string.Join(", ", values.Select(v => $"{v.Column} = ${v.Column}"));
                    Execute($"UPDATE {table} SET version = version + 1, updated_at = $at, {set} WHERE {keyColumn} = $key AND version = $expected", [.. parameters]);
                }

                AppendAudit(audit);
                return expectedVersion + 1;
            });
        }
        finally
        {
            _gate.Release();
        }
    }

    private void AppendAudit(AuditEntry audit) => Execute(
        "INSERT INTO serving_audit (happened_at, actor, role, action, object_type, object_id, detail) VALUES ($at, $actor, $role, $action, $type, $id, $detail)",
        ("at", audit.At.UtcDateTime), ("actor", audit.Actor), ("role", audit.Role), ("action", audit.Action), ("type", audit.ObjectType),
        ("id", audit.ObjectId), ("detail", audit.DetailJson));

    /// <summary>Stages the group's events in a temporary table, then inserts the new ones in one committed transaction.</summary>
    private Task<HashSet<string>> WriteEvents(IReadOnlyList<ServedEvent> events)
    {
        _gate.Wait();
        try
        {
            // One transaction from the staging to the insert: one commit, one WAL sync per group.
            var inserted = InTransaction(() =>
            {
                Execute("DELETE FROM served_events_stage");
                using (var appender = _connection.CreateAppender("served_events_stage"))
                {
                    foreach (var e in events)
                    {
                        appender.CreateRow()
                            .AppendValue(e.EventId)
                            .AppendValue(e.UserId)
                            .AppendValue(e.Type)
                            .AppendValue(e.OccurredAt.UtcDateTime)
                            .AppendValue(e.ReceivedAt.UtcDateTime)
                            .AppendValue(e.ItemId)
                            .AppendValue(e.Quantity)
                            .AppendValue(e.Price is { } price ? Math.Round(price, 4) : null)
                            .AppendValue(e.OrderId)
                            .AppendValue(e.DecisionId)
                            .AppendValue(e.OfferId)
                            .EndRow();
                    }
                }

                using var command = Command($"INSERT INTO served_events ({EventColumns}) SELECT {EventColumns} FROM served_events_stage ON CONFLICT DO NOTHING RETURNING event_id");
                using var reader = command.ExecuteReader();
                var ids = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read())
                {
                    ids.Add(reader.GetString(0));
                }

                return ids;
            });
            return Task.FromResult(inserted);
        }
        finally
        {
            _gate.Release();
        }
    }

    private T InTransaction<T>(Func<T> work)
    {
        Execute("BEGIN TRANSACTION");
        T result;
        try
        {
            result = work();
        }
        catch
        {
            try
            {
                Execute("ROLLBACK");
            }
            catch (DuckDBException)
            {
                // The transaction is gone already; the original error is what matters.
            }

            throw;
        }

        Execute("COMMIT");
        return result;
    }

    private DuckDBCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value ?? DBNull.Value));
        }

        return command;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.ExecuteNonQuery();
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
