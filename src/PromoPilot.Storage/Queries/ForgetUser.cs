using System.Globalization;

namespace PromoPilot.Storage.Queries;

/// <summary>What a deletion request removed.</summary>
public sealed record ForgetResult(string Pseudonym, IReadOnlyList<int> UserKeys, IReadOnlyDictionary<string, long> RowsDeleted);

/// <summary>
/// Deletes every row about one customer: every table with a user_key column (found in the catalog, so tables
/// added later are covered), orders' lines, and quarantined rows that show the customer's pseudonym.
/// </summary>
public static class ForgetUser
{
    /// <param name="pseudonym">The keyed pseudonym of the raw id (the store never saw the raw id).</param>
    public static ForgetResult Run(DuckDbStore store, string pseudonym)
    {
        var keys = store.Query("SELECT user_key FROM users WHERE user_id = $id", ("id", pseudonym))
            .Select(r => Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture)).ToList();
        var deleted = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var tables = store.Query("""
            SELECT table_name FROM information_schema.columns
            WHERE column_name = 'user_key' AND table_schema = 'main'
              AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')
            ORDER BY table_name
            """).Select(r => (string)r["table_name"]!).ToList();
        store.Execute("BEGIN TRANSACTION");
        try
        {
            if (keys.Count > 0)
            {
                var list = string.Join(',', keys);
                // Lines of the customer's orders first (some carry no user_key of their own), then every keyed table.
                deleted["events (order lines)"] = Delete(store, $"DELETE FROM events WHERE user_key IS NULL AND order_key IN (SELECT order_key FROM orders WHERE user_key IN ({list}))");
                foreach (var table in tables)
                {
                    deleted[table] = Delete(store, $"DELETE FROM {table} WHERE user_key IN ({list})");
                }
            }

            deleted["quarantine"] = Delete(store, "DELETE FROM quarantine WHERE contains(raw, $p)", ("p", pseudonym));
            store.Execute("COMMIT");
        }
        catch
        {
            store.Execute("ROLLBACK");
            throw;
        }

        // Rewrite the file's blocks so deleted rows do not linger on disk.
        store.Execute("CHECKPOINT");
        return new ForgetResult(pseudonym, keys, deleted.Where(d => d.Value > 0).ToDictionary());
    }

    private static long Delete(DuckDbStore store, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDB.NET.Data.DuckDBParameter(name, value));
        }

        return command.ExecuteNonQuery();
    }
}
