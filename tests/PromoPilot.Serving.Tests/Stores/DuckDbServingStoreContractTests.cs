using DuckDB.NET.Data;
using PromoPilot.Core.Serving;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage.Serving;

namespace PromoPilot.Serving.Tests.Stores;

/// <summary>The contract on the embedded DuckDB store, in a file of a temporary folder.</summary>
public sealed class DuckDbServingStoreContractTests : ServingStoreContract
{
    private readonly TempFolder _folder = new();

    private string File => Path.Combine(_folder.Path, "serving.duckdb");

    protected override long EventCommits => ((DuckDbServingStore)Store).EventCommits;

    protected override Task CreateLocationAsync() => Task.CompletedTask;

    protected override Task DropLocationAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    protected override Task<IServingStore> OpenAsync() => Task.FromResult<IServingStore>(DuckDbServingStore.Open(File));

    protected override Task<IReadOnlyList<ServedEvent>> ReadEventsAsync()
    {
        // A second connection in this process shares DuckDB's database instance: it sees what was committed.
        using var connection = new DuckDBConnection($"Data Source={File}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT event_id, user_id, type, occurred_at, received_at, item_id, quantity, price, order_id, decision_id, offer_id FROM served_events";
        using var reader = command.ExecuteReader();
        var events = new List<ServedEvent>();
        while (reader.Read())
        {
            events.Add(new ServedEvent(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(3), DateTimeKind.Utc)),
                new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(4), DateTimeKind.Utc)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetDecimal(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return Task.FromResult<IReadOnlyList<ServedEvent>>(events);
    }
}
