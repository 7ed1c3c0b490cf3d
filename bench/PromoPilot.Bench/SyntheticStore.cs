using System.Globalization;
using PromoPilot.Storage;

/// <summary>
/// Writes a synthetic store straight into DuckDB (no CSV, no import: seconds instead of minutes), for the customer
/// feature benchmarks. Deterministic: every random draw is a hash of a row number and a salt, so the store does not
/// depend on DuckDB's thread count.
/// <para>
/// Purchases follow the BG/NBD story, so the CLV fit has a finite maximum as on real data: each customer's first
/// purchase day is uniform over the first 600 of 730 days; transactions then arrive at a log-normal rate
/// λ (median one per 60 days) and after each transaction the customer drops out with probability p
/// (Kumaraswamy(0.8, 2.5), mean ≈ 0.27). A transaction is one order of one to three purchase lines whose items'
/// prices scatter (log-normal, σ 0.3) around the customer's own price level (log-normal, median 12), so mean spend
/// differs between customers as the Gamma-Gamma model assumes. The rest of
/// the events (to the requested total) are views and cart adds (7:2) of skewed customers over the two years.
/// 20,000 items in 20 categories and 50 brands.
/// </para>
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

        // u(x, salt): a uniform in (0, 1) from a 52-bit slice of DuckDB's 64-bit hash.
        store.Query($"""
            CREATE OR REPLACE MACRO u(x, salt) AS ((hash(x * 1000003 + salt) >> 12)::DOUBLE + 0.5) / 4503599627370496.0;
            INSERT INTO import_log VALUES (1, 'synthetic', 'synthetic', 'generated', 'synthetic-{c}-{n}', TIMESTAMPTZ '2025-01-01 00:00:00+00', 0, {n}, {n}, 0, NULL);
            INSERT INTO users SELECT i, 'synthetic', 'u_' || i, NULL, 1 FROM range(1, {c} + 1) t(i);
            INSERT INTO items SELECT i, 'synthetic', 'sku' || i, NULL, 'Cat' || (i % 20) || ' > Sub' || (i % 100), 'Brand' || (i % 50),
                                     ((i % 500) / 10.0 + 0.99)::DECIMAL(18,4), NULL, 'EUR', true, NULL, 1 FROM range(1, 20001) t(i);
            CREATE TEMP TABLE customer AS
            SELECT i AS user_key, first_day,
                   exp(ln(1 / 60.0) + sqrt(-2 * ln(u(i, 1))) * cos(2 * pi() * u(i, 2))) AS rate,
                   least(200, 1 + floor(ln(u(i, 4)) / ln(1 - dropout)))::INTEGER AS lifetime_transactions,
                   least(45.0, exp(ln(12.0) + 0.6 * sqrt(-2 * ln(u(i, 10))) * cos(2 * pi() * u(i, 11)))) AS price_level
            FROM (SELECT i, 600 * u(i, 3) AS first_day,
                         least(0.999, greatest(0.001, pow(1 - pow(1 - u(i, 5), 1 / 2.5), 1 / 0.8))) AS dropout
                  FROM range(1, {c} + 1) t(i));
            CREATE TEMP TABLE txn AS
            SELECT row_number() OVER () AS order_key, user_key, day
            FROM (SELECT user_key, first_day + sum(CASE WHEN k = 0 THEN 0 ELSE -ln(u(user_key * 256 + k, 6)) / rate END)
                                    OVER (PARTITION BY user_key ORDER BY k) AS day
                  FROM (SELECT user_key, first_day, rate, unnest(range(lifetime_transactions)) AS k FROM customer))
            WHERE day < 730;
            INSERT INTO orders SELECT order_key, 'synthetic', 'o' || order_key, user_key,
                                      TIMESTAMP '2023-01-01' + to_seconds((day * 86400)::BIGINT), 'EUR', NULL, 1, false, NULL, 1
            FROM txn;
            INSERT INTO events
            SELECT 5, user_key, item_key, ts, 1 + (hash(order_key * 4 + line) % 3), ((item_key % 500) / 10.0 + 0.99)::DECIMAL(18,4),
                   NULL, NULL, order_key, NULL, NULL, NULL, 1, 1, order_key * 4 + line
            FROM (SELECT order_key, user_key, TIMESTAMP '2023-01-01' + to_seconds((day * 86400)::BIGINT) AS ts,
                         unnest(range(1 + (hash(order_key) % 3)::INTEGER)) AS line,
                         1 + 500 * (hash(order_key * 4 + 17) % 40)::INTEGER
                           + least(499, greatest(0, round(10 * (price_level * exp(0.3 * sqrt(-2 * ln(u(order_key, 8))) * cos(2 * pi() * u(order_key, 9))) - 0.99))))::INTEGER
                           AS item_key
                  FROM txn JOIN customer USING (user_key));
            INSERT INTO events
            SELECT CASE WHEN u(i, 7) < 7 / 9.0 THEN 1 ELSE 3 END,
                   1 + (hash(i * 7 + 1) % {c})::INTEGER, 1 + (hash(i * 13 + 2) % 20000)::INTEGER,
                   TIMESTAMP '2023-01-01' + to_seconds((hash(i * 31 + 3) % (730 * 86400))::BIGINT),
                   1, ((hash(i * 13 + 2) % 20000 % 500) / 10.0 + 0.99)::DECIMAL(18,4), NULL, NULL, NULL, NULL, NULL, NULL, 1, 1,
                   i + 4 * (SELECT max(order_key) FROM txn) + 4
            FROM range(1, greatest(1, {n} - (SELECT count(*) FROM events)) + 1) t(i);
            CHECKPOINT;
            SELECT 1;
            """);
        return events;
    }
}
