using DuckDB.NET.Data;
using PromoPilot.Core.Storage;

namespace PromoPilot.Storage;

/// <summary>
/// The embedded analytics store: one DuckDB file (default ./promopilot.duckdb). One process opens it
/// for writing at a time (DuckDB's file lock).
/// </summary>
public sealed class DuckDbStore : IImportStore, IDisposable
{
    public const string DefaultPath = "promopilot.duckdb";

    private DuckDbStore(DuckDBConnection connection, string path)
    {
        Connection = connection;
        Path = path;
    }

    public string Path { get; }

    internal DuckDBConnection Connection { get; }

    /// <summary>Opens (creating when absent) the store at <paramref name="path"/>, or an in-memory one for ":memory:".</summary>
    /// <param name="path">The DuckDB file.</param>
    /// <param name="memoryLimit">DuckDB's memory limit such as "2GB"; null keeps DuckDB's default (80% of RAM).</param>
    /// <exception cref="ArgumentException"><paramref name="memoryLimit"/> is not a number with a unit (KB, MB, GB, TB).</exception>
    public static DuckDbStore Open(string path, string? memoryLimit = null)
    {
        if (memoryLimit is not null)
        {
            CheckMemoryLimit(memoryLimit); // before anything opens, so a bad value leaves nothing behind
        }

        var full = path == ":memory:" ? path : System.IO.Path.GetFullPath(path);
        if (full != ":memory:")
        {
            var directory = System.IO.Path.GetDirectoryName(full);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        var connection = new DuckDBConnection($"Data Source={full}");
        try
        {
            connection.Open();
        }
        catch (DuckDBException e)
        {
            connection.Dispose();
            throw new IOException($"{path}: cannot open the store: {e.Message}", e);
        }

        var store = new DuckDbStore(connection, full);
        if (memoryLimit is not null)
        {
            // DuckDB spills to disk past this; the default is 80% of the machine's memory.
            store.Execute($"SET memory_limit = '{memoryLimit.Trim()}'");
        }

        store.Execute(Schema.CreateStatements());
        if (store.Scalar<long>("SELECT count(*) FROM schema_version") == 0)
        {
            store.Execute($"INSERT INTO schema_version VALUES ({Schema.Version})");
        }

        return store;
    }

    private static void CheckMemoryLimit(string limit)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(limit, @"^\s*[0-9]+(\.[0-9]+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
        {
            throw new ArgumentException($"memory limit '{limit}' is not a size such as 512MB or 2GB", nameof(limit));
        }
    }

    public ImportSummary? FindImport(string contentKey)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = "SELECT import_id, kind, dataset, source, rows_read, rows_accepted, rows_quarantined, seconds, tables FROM import_log WHERE content_key = $key";
        command.Parameters.Add(new DuckDBParameter("key", contentKey));
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var tables = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, long>>(reader.GetString(8)) ?? [];
        return new ImportSummary(
            reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), reader.GetDouble(7), tables);
    }

    public IImportTransaction BeginImport(ImportHeader header) => new DuckDbImportTransaction(this, header);

    public void Dispose() => Connection.Dispose();

    internal void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        command.ExecuteNonQuery();
    }

    internal T Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        var result = command.ExecuteScalar();
        return result is null or DBNull ? default! : (T)Convert.ChangeType(result, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a query and returns its rows as name/value dictionaries (for reports; small results only).</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        using var reader = command.ExecuteReader();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(reader.FieldCount, StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
