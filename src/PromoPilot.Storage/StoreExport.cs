namespace PromoPilot.Storage;

/// <summary>Writes a table of the store to Parquet or CSV with DuckDB's COPY.</summary>
public static class StoreExport
{
    public static IReadOnlyList<string> ExportableTables => [.. Schema.DataTables, .. Schema.OtherTables];

    /// <returns>The number of rows written.</returns>
    public static long Export(DuckDbStore store, string table, string format, string path)
    {
        if (!ExportableTables.Contains(table, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown table '{table}'. Exportable: {string.Join(", ", ExportableTables)}.");
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
