using System.Globalization;
using PromoPilot.Storage;

/// <summary>
/// Writes a synthetic store straight into DuckDB (no CSV, no import: seconds instead of minutes), for the customer
/// feature benchmarks. Deterministic: every value is a hash of the row number. Customers have skewed activity
/// (user = hash of the event number over the customer range), events are 70 % views, 20 % cart adds, 10 %
/// purchases (one order per purchase line) over two years, 20,000 items in 20 categories and 50 brands.
/// </summary>
internal static class SyntheticStore
{
    public static long Run(string path, long customers, long events)
    {
        foreach (var file in new[] { path, path + ".wal" })
        {
            File.Delete(file);
        }

        using var store = DuckDbStore.Open(path);
        string c = customers.ToString(CultureInfo.InvariantCulture), n = events.ToString(CultureInfo.InvariantCulture);
        store.Query($"""
            INSERT INTO import_log VALUES (1, 'synthetic', 'synthetic', 'generated', 'synthetic-{c}-{n}', TIMESTAMPTZ '2025-01-01 00:00:00+00', 0, {n}, {n}, 0, NULL);
            INSERT INTO users SELECT i, 'synthetic', 'u_' || i, NULL, 1 FROM range(1, {c} + 1) t(i);
            INSERT INTO items SELECT i, 'synthetic', 'sku' || i, NULL, 'Cat' || (i % 20) || ' > Sub' || (i % 100), 'Brand' || (i % 50),
                                     ((i % 500) / 10.0 + 0.99)::DECIMAL(18,4), NULL, 'EUR', true, NULL, 1 FROM range(1, 20001) t(i);
            INSERT INTO events
            SELECT CASE WHEN kind < 700 THEN 1 WHEN kind < 900 THEN 3 ELSE 5 END, user_key, item_key, ts,
                   1 + (i % 3), ((item_key % 500) / 10.0 + 0.99)::DECIMAL(18,4), NULL, NULL,
                   CASE WHEN kind >= 900 THEN i END, NULL, NULL, NULL, 1, 1, i
            FROM (SELECT i, hash(i) % 1000 AS kind,
                         1 + (hash(i * 7 + 1) % {c})::INTEGER AS user_key,
                         1 + (hash(i * 13 + 2) % 20000)::INTEGER AS item_key,
                         TIMESTAMP '2023-01-01' + to_seconds((hash(i * 31 + 3) % (730 * 86400))::BIGINT) AS ts
                  FROM range(1, {n} + 1) t(i));
            INSERT INTO orders SELECT order_key, 'synthetic', 'o' || order_key, user_key, ts, 'EUR', NULL, 1, false, NULL, 1
            FROM events WHERE order_key IS NOT NULL;
            CHECKPOINT;
            SELECT 1;
            """);
        return events;
    }
}
