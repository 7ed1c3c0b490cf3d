using PromoPilot.Storage;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The analytics store the dashboard reads (orders, profiles, CLV, segments, readouts): its own connection to the
/// embedded store file, opened on first use. In one process DuckDB shares the database between connections, so this
/// works while the serving store holds the same file. Calls are serialized (a DuckDB connection is not thread-safe).
/// </summary>
internal sealed class DashboardStore(string? path) : IDisposable
{
    private readonly Lock _gate = new();
    private DuckDbStore? _store;

    /// <summary>The store file; null when the server runs without one (then the pages say so).</summary>
    public string? Path => path;

    /// <summary>Runs <paramref name="read"/> on the store; the problem instead when there is no store or it cannot be opened.</summary>
    public (T? Value, string? Problem) Read<T>(Func<DuckDbStore, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        if (path is null)
        {
            return (default, "this server has no embedded store (--db) to read customers and orders from");
        }

        lock (_gate)
        {
            try
            {
                _store ??= DuckDbStore.Open(path);
                return (read(_store), null);
            }
            catch (Exception e) when (e is IOException or DuckDB.NET.Data.DuckDBException or InvalidCastException or InvalidOperationException)
            {
                return (default, $"the store {path} could not be read: {e.Message}");
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _store?.Dispose();
            _store = null;
        }
    }
}
