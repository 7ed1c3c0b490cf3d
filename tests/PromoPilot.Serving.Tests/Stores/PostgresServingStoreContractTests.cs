using Npgsql;
using PromoPilot.Core.Serving;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage.Serving;

namespace PromoPilot.Serving.Tests.Stores;

/// <summary>The contract on PostgreSQL, each test in a schema of its own (the connection's search path).</summary>
[NeedsServer(TestServers.PostgresVariable)]
public sealed class PostgresServingStoreContractTests : ServingStoreContract
{
    private readonly string _schema = $"t_{Guid.NewGuid():N}";

    private string ConnectionString => $"{TestServers.Postgres};Search Path={_schema}";

    protected override long EventCommits => ((PostgresServingStore)Store).EventCommits;

    protected override async Task CreateLocationAsync() => await AdminAsync($"CREATE SCHEMA {_schema}");

    protected override async Task DropLocationAsync() => await AdminAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");

    protected override async Task<IServingStore> OpenAsync() => await PostgresServingStore.OpenAsync(ConnectionString);

    protected override async Task<IReadOnlyList<ServedEvent>> ReadEventsAsync()
    {
        await using var source = NpgsqlDataSource.Create(ConnectionString);
        await using var command = source.CreateCommand(
            "SELECT event_id, user_id, type, occurred_at, received_at, item_id, quantity, price, order_id, decision_id, offer_id FROM served_events");
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<ServedEvent>();
        while (await reader.ReadAsync())
        {
            events.Add(new ServedEvent(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return events;
    }

    private static async Task AdminAsync(string sql)
    {
        await using var source = NpgsqlDataSource.Create(TestServers.Postgres!);
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
