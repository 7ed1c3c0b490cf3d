namespace PromoPilot.Storage;

/// <summary>Row counts, date ranges and data quality of the store.</summary>
public sealed record StoreStats(
    string Db,
    IReadOnlyList<TableStats> Tables,
    IReadOnlyList<ImportStats> Imports,
    QualityStats Quality);

public sealed record TableStats(string Name, long Rows, DateTime? From, DateTime? To);

public sealed record ImportStats(
    int ImportId, string Kind, string Dataset, string Source, DateTime StartedAt, double Seconds,
    long RowsRead, long RowsAccepted, long RowsQuarantined, bool Reconciled);

public sealed record QualityStats(
    long RowsRead,
    long RowsAccepted,
    long RowsQuarantined,
    bool Reconciled,
    IReadOnlyList<ReasonCount> QuarantineReasons,
    long AnonymousEvents,
    long NonProductItems,
    long RefundOrders,
    long RefundOrdersLinked);

public sealed record ReasonCount(string Dataset, string File, string? Column, string Reason, long Rows);

public static class StoreStatsQuery
{
    /// <summary>The time column each table is ranged on, if it has one.</summary>
    private static readonly Dictionary<string, string> TimeColumns = new(StringComparer.Ordinal)
    {
        ["events"] = "ts",
        ["orders"] = "ordered_at",
        ["exposures"] = "exposed_at",
        ["campaigns"] = "starts_at",
    };

    public static StoreStats Compute(DuckDbStore store)
    {
        var tables = new List<TableStats>();
        foreach (var table in Schema.DataTables.Append("quarantine"))
        {
            var rows = store.Scalar<long>($"SELECT count(*) FROM {table}");
            DateTime? from = null, to = null;
            if (TimeColumns.TryGetValue(table, out var column) && rows > 0)
            {
                var range = store.Query($"SELECT min({column}) AS lo, max({column}) AS hi FROM {table}")[0];
                from = range["lo"] as DateTime?;
                to = range["hi"] as DateTime?;
            }

            tables.Add(new TableStats(table, rows, from, to));
        }

        var imports = store.Query("SELECT * FROM import_log ORDER BY import_id").Select(r => new ImportStats(
            Convert.ToInt32(r["import_id"], System.Globalization.CultureInfo.InvariantCulture),
            (string)r["kind"]!, (string)r["dataset"]!, (string?)r["source"] ?? "",
            r["started_at"] switch { DateTimeOffset o => o.UtcDateTime, DateTime d => d, _ => default },
            (double)r["seconds"]!, (long)r["rows_read"]!, (long)r["rows_accepted"]!, (long)r["rows_quarantined"]!,
            (long)r["rows_read"]! == (long)r["rows_accepted"]! + (long)r["rows_quarantined"]!)).ToList();

        var reasons = store.Query("""
            SELECT l.dataset, q.file, q.column_name, q.reason, count(*) AS n
            FROM quarantine q JOIN import_log l USING (import_id)
            GROUP BY ALL ORDER BY n DESC, l.dataset, q.file, q.reason LIMIT 20
            """).Select(r => new ReasonCount((string)r["dataset"]!, (string)r["file"]!, (string?)r["column_name"], (string)r["reason"]!, (long)r["n"]!)).ToList();

        var quality = new QualityStats(
            imports.Sum(i => i.RowsRead),
            imports.Sum(i => i.RowsAccepted),
            imports.Sum(i => i.RowsQuarantined),
            imports.All(i => i.Reconciled) && store.Scalar<long>("SELECT count(*) FROM quarantine") == imports.Sum(i => i.RowsQuarantined),
            reasons,
            store.Scalar<long>("SELECT count(*) FROM events WHERE user_key IS NULL"),
            store.Scalar<long>("SELECT count(*) FROM items WHERE NOT is_product"),
            store.Scalar<long>("SELECT count(*) FROM orders WHERE is_refund"),
            store.Scalar<long>("SELECT count(*) FROM orders WHERE is_refund AND refund_of_order_key IS NOT NULL"));
        return new StoreStats(store.Path, tables, imports, quality);
    }
}
