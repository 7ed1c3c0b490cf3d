using Npgsql;
using NpgsqlTypes;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;

namespace PromoPilot.Storage.Serving;

/// <summary>
/// The durable store of the decision service on PostgreSQL (<c>promopilot serve --postgres "Host=...;Database=..."</c>),
/// shared by several servers. Updates check the expected version in the UPDATE's WHERE clause, so two servers never
/// both win; the audit entry is written in the same transaction. Accepted events are group-committed
/// (<see cref="EventGroupCommit"/>): each group is binary-COPied into a temporary table, then inserted with
/// <c>ON CONFLICT (event_id) DO NOTHING</c> in one transaction, and callers are answered after the commit
/// (synchronous_commit, PostgreSQL's default, has flushed the WAL by then).
/// </summary>
/// <remarks>The tables are created in the connection's schema (its search path) when missing.</remarks>
public sealed class PostgresServingStore : IServingStore
{
    private const string EventColumns = "event_id, user_id, type, occurred_at, received_at, item_id, quantity, price, order_id, decision_id, offer_id";

    private readonly NpgsqlDataSource _source;
    private readonly EventGroupCommit _events;
    private NpgsqlConnection? _writer;
    private int _disposed;

    private PostgresServingStore(NpgsqlDataSource source)
    {
        _source = source;
        _events = new EventGroupCommit(WriteEventsAsync);
    }

    /// <summary>
    /// Connects with <paramref name="connectionString"/> (for example
    /// <c>Host=127.0.0.1;Username=postgres;Password=postgres;Database=promopilot</c>) and creates the tables when missing.
    /// </summary>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    /// <exception cref="IOException">PostgreSQL cannot be reached or refuses the login.</exception>
    public static async Task<PostgresServingStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSource source;
        try
        {
            source = NpgsqlDataSource.Create(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            throw new ArgumentException($"not a PostgreSQL connection string: {e.Message}", nameof(connectionString), e);
        }

        try
        {
            await CreateTablesAsync(source, cancellationToken).ConfigureAwait(false);
            return new PostgresServingStore(source);
        }
        catch (Exception e)
        {
            await source.DisposeAsync().ConfigureAwait(false);
            if (e is NpgsqlException or System.Net.Sockets.SocketException)
            {
                throw new IOException($"cannot open the PostgreSQL store: {e.Message}", e);
            }

            throw;
        }
    }

    public async Task<IReadOnlyList<StoredCampaign>> LoadCampaignsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _source.CreateCommand("SELECT definition, version, updated_at FROM serving_campaigns ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var campaigns = new List<StoredCampaign>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            campaigns.Add(new StoredCampaign(ServingJson.ReadCampaign(reader.GetString(0)), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return campaigns;
    }

    public async Task<StoredCampaign> SaveCampaignAsync(CampaignDefinition campaign, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ServingJson.CheckCampaign(campaign, expectedVersion, audit);
        var version = await SaveVersionedAsync(
            "serving_campaigns", "id", campaign.Id, expectedVersion, audit, cancellationToken,
            ("status", ServingJson.StatusName(campaign.Status)), ("definition", ServingJson.WriteCampaign(campaign))).ConfigureAwait(false);
        return new StoredCampaign(campaign, version, audit.At);
    }

    public async Task<IReadOnlyList<StoredExperiment>> LoadExperimentsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _source.CreateCommand("SELECT experiment_key, definition, version, updated_at FROM serving_experiments ORDER BY experiment_key");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var experiments = new List<StoredExperiment>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            experiments.Add(new StoredExperiment(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return experiments;
    }

    public async Task<StoredExperiment> SaveExperimentAsync(string key, string definitionJson, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ServingJson.CheckExperiment(key, definitionJson, expectedVersion, audit);
        var version = await SaveVersionedAsync(
            "serving_experiments", "experiment_key", key, expectedVersion, audit, cancellationToken, ("definition", definitionJson)).ConfigureAwait(false);
        return new StoredExperiment(key, definitionJson, version, audit.At);
    }

    public async Task<IReadOnlyList<StoredApiKey>> LoadApiKeysAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _source.CreateCommand("SELECT id, name, role, secret_hash, created_at, revoked FROM serving_api_keys ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<StoredApiKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new StoredApiKey(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetBoolean(5)));
        }

        return keys;
    }

    public async Task SaveApiKeyAsync(StoredApiKey key, AuditEntry audit, CancellationToken cancellationToken = default)
    {
        ServingJson.CheckApiKey(key, audit);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand(
            """
            INSERT INTO serving_api_keys (id, name, role, secret_hash, created_at, revoked) VALUES (@id, @name, @role, @hash, @created, @revoked)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, secret_hash = excluded.secret_hash,
                created_at = excluded.created_at, revoked = excluded.revoked
            """,
            connection,
            transaction))
        {
            command.Parameters.AddWithValue("id", key.Id);
            command.Parameters.AddWithValue("name", key.Name);
            command.Parameters.AddWithValue("role", key.Role);
            command.Parameters.AddWithValue("hash", key.SecretHash);
            command.Parameters.AddWithValue("created", key.CreatedAt.ToUniversalTime());
            command.Parameters.AddWithValue("revoked", key.Revoked);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await AppendAuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AuditEntry>> LoadAuditAsync(int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var command = _source.CreateCommand("SELECT happened_at, actor, role, action, object_type, object_id, detail FROM serving_audit ORDER BY seq DESC LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry(
                reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
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
        await using var command = _source.CreateCommand("SELECT count(*) FROM served_events");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Writes every queued event, then closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _events.DisposeAsync().ConfigureAwait(false);
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        await _source.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task CreateTablesAsync(NpgsqlDataSource source, CancellationToken cancellationToken)
    {
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two servers starting at once would race on CREATE TABLE IF NOT EXISTS: serialize them.
        await using var command = new NpgsqlCommand(
            """
            SELECT pg_advisory_xact_lock(7305896142);
            CREATE TABLE IF NOT EXISTS serving_campaigns (
                id text PRIMARY KEY, version integer NOT NULL, status text NOT NULL, definition text NOT NULL, updated_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS serving_experiments (
                experiment_key text PRIMARY KEY, version integer NOT NULL, definition text NOT NULL, updated_at timestamptz NOT NULL);
            CREATE TABLE IF NOT EXISTS serving_audit (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, happened_at timestamptz NOT NULL, actor text NOT NULL, role text NOT NULL,
                action text NOT NULL, object_type text NOT NULL, object_id text NOT NULL, detail text);
            CREATE TABLE IF NOT EXISTS serving_api_keys (
                id text PRIMARY KEY, name text NOT NULL, role text NOT NULL, secret_hash text NOT NULL, created_at timestamptz NOT NULL,
                revoked boolean NOT NULL);
            CREATE TABLE IF NOT EXISTS served_events (
                event_id text PRIMARY KEY, user_id text NOT NULL, type text NOT NULL, occurred_at timestamptz NOT NULL,
                received_at timestamptz NOT NULL, item_id text, quantity integer, price numeric(18,4), order_id text, decision_id text,
                offer_id text);
            """,
            connection,
            transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Inserts (expected version 0, ON CONFLICT DO NOTHING) or updates (WHERE version = expected) one versioned row and
    /// appends the audit entry in one transaction; no row touched means a conflict, and nothing is written.
    /// </summary>
    private async Task<int> SaveVersionedAsync(
        string table, string keyColumn, string key, int expectedVersion, AuditEntry audit, CancellationToken cancellationToken,
        params (string Column, string Value)[] values)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var sql = expectedVersion == 0
            ? $"INSERT INTO {table} ({keyColumn}, version, updated_at, {string.Join(", ", values.Select(v => v.Column))}) " +
              $"VALUES (@key, 1, @at, {string.Join(", ", values.Select(v => "@" + v.Column))}) ON CONFLICT ({keyColumn}) DO NOTHING"
            : $"UPDATE {table} SET version = version + 1, updated_at = @at, {string.Join(", ", values.Select(v => $"{v.Column} = @{v.Column}"))} " +
              $"WHERE {keyColumn} = @key AND version = @expected";
        int changed;
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
        {
            command.Parameters.AddWithValue("key", key);
            command.Parameters.AddWithValue("at", audit.At.ToUniversalTime());
            command.Parameters.AddWithValue("expected", expectedVersion);
            foreach (var (column, value) in values)
            {
                command.Parameters.AddWithValue(column, value);
            }

            changed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (changed == 0)
        {
            await using var read = new NpgsqlCommand($"SELECT version FROM {table} WHERE {keyColumn} = @key", connection, transaction);
            read.Parameters.AddWithValue("key", key);
            var current = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            throw new VersionConflictException(ServingJson.ConflictMessage(table, key, expectedVersion, current is int version ? version : null));
        }

        await AppendAuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return expectedVersion + 1;
    }

    private static async Task AppendAuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, AuditEntry audit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO serving_audit (happened_at, actor, role, action, object_type, object_id, detail) VALUES (@at, @actor, @role, @action, @type, @id, @detail)",
            connection,
            transaction);
        command.Parameters.AddWithValue("at", audit.At.ToUniversalTime());
        command.Parameters.AddWithValue("actor", audit.Actor);
        command.Parameters.AddWithValue("role", audit.Role);
        command.Parameters.AddWithValue("action", audit.Action);
        command.Parameters.AddWithValue("type", audit.ObjectType);
        command.Parameters.AddWithValue("id", audit.ObjectId);
        command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Text) { Value = (object?)audit.DetailJson ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>COPYs the group into the writer's staging table, inserts the new ones, commits; returns the new ids.</summary>
    private async Task<HashSet<string>> WriteEventsAsync(IReadOnlyList<ServedEvent> events)
    {
        var connection = _writer ??= await OpenWriterAsync().ConfigureAwait(false);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (var import = await connection.BeginBinaryImportAsync($"COPY served_events_stage ({EventColumns}) FROM STDIN (FORMAT BINARY)").ConfigureAwait(false))
            {
                foreach (var e in events)
                {
                    await import.StartRowAsync().ConfigureAwait(false);
                    await import.WriteAsync(e.EventId, NpgsqlDbType.Text).ConfigureAwait(false);
                    await import.WriteAsync(e.UserId, NpgsqlDbType.Text).ConfigureAwait(false);
                    await import.WriteAsync(e.Type, NpgsqlDbType.Text).ConfigureAwait(false);
                    await import.WriteAsync(e.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await import.WriteAsync(e.ReceivedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz).ConfigureAwait(false);
                    await WriteOrNullAsync(import, e.ItemId, NpgsqlDbType.Text).ConfigureAwait(false);
                    await WriteOrNullAsync(import, e.Quantity, NpgsqlDbType.Integer).ConfigureAwait(false);
                    await WriteOrNullAsync(import, e.Price is { } price ? Math.Round(price, 4) : (decimal?)null, NpgsqlDbType.Numeric).ConfigureAwait(false);
                    await WriteOrNullAsync(import, e.OrderId, NpgsqlDbType.Text).ConfigureAwait(false);
                    await WriteOrNullAsync(import, e.DecisionId, NpgsqlDbType.Text).ConfigureAwait(false);
                    await WriteOrNullAsync(import, e.OfferId, NpgsqlDbType.Text).ConfigureAwait(false);
                }

                await import.CompleteAsync().ConfigureAwait(false);
            }

            var inserted = new HashSet<string>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand(
                $"INSERT INTO served_events ({EventColumns}) SELECT {EventColumns} FROM served_events_stage ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                connection,
                transaction))
            await using (var reader = await command.ExecuteReaderAsync().ConfigureAwait(false))
            {
                while (await reader.ReadAsync().ConfigureAwait(false))
                {
                    inserted.Add(reader.GetString(0));
                }
            }

            await transaction.CommitAsync().ConfigureAwait(false); // ON COMMIT DELETE ROWS empties the staging table
            return inserted;
        }
        catch
        {
            // The connection's state is unknown after a failure: start the next group on a fresh one.
            _writer = null;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<NpgsqlConnection> OpenWriterAsync()
    {
        var connection = await _source.OpenConnectionAsync().ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand(
                "CREATE TEMP TABLE IF NOT EXISTS served_events_stage (LIKE served_events INCLUDING DEFAULTS) ON COMMIT DELETE ROWS", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type)
        where T : class =>
        value is null ? import.WriteNullAsync() : import.WriteAsync(value, type);

    private static Task WriteOrNullAsync<T>(NpgsqlBinaryImporter import, T? value, NpgsqlDbType type)
        where T : struct =>
        value is { } v ? import.WriteAsync(v, type) : import.WriteNullAsync();
}
