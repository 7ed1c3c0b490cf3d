namespace PromoPilot.Storage;

/// <summary>Writes a table of the store to Parquet or CSV with DuckDB's COPY.</summary>
public static class StoreExport
{
    /// <summary>The canonical tables; feature tables (customer_profiles, customer_segments, association_rules...) can be exported once they exist.</summary>
    public static IReadOnlyList<string> ExportableTables => [.. Schema.DataTables, .. Schema.OtherTables];

    /// <summary>Every table and view in the store now, canonical or written by a feature.</summary>
    public static IReadOnlyList<string> ExistingTables(DuckDbStore store) =>
        [.. store.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name").Select(r => (string)r["table_name"]!)];

    /// <returns>The number of rows written.</returns>
    public static long Export(DuckDbStore store, string table, string format, string path)
    {
        var existing = ExistingTables(store);
        if (!existing.Contains(table, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown table '{table}'. Exportable: {string.Join(", ", existing)}.");
        }

        var copyFormat = format.ToLowerInvariant() switch
        {
            "parquet" => "FORMAT parquet, COMPRESSION zstd",
            "csv" => "FORMAT csv, HEADER true",
            _ => throw new ArgumentException($"Unknown format '{format}': use parquet or csv."),
        };
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        store.Execute($"COPY (SELECT * FROM {table}) TO '{full.Replace("'", "''", StringComparison.Ordinal)}' ({copyFormat})");
        return store.Scalar<long>($"SELECT count(*) FROM {table}");
    }
}
