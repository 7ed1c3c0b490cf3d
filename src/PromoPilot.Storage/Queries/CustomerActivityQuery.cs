using DuckDB.NET.Data;
using PromoPilot.Core.Customers;

namespace PromoPilot.Storage.Queries;

/// <summary>Per-customer activity before a cut-off, aggregated in DuckDB (nothing on or after the cut-off is read).</summary>
public static class CustomerActivityQuery
{
    private const int TopN = 5;

    /// <summary>The moment just after the store's latest customer event: the default cut-off.</summary>
    public static DateTime? DefaultAsOf(DuckDbStore store, string? dataset = null)
    {
        var latest = store.Query($"SELECT max(e.ts) AS t FROM events e {DatasetScope.Join(dataset)} WHERE e.user_key IS NOT NULL", DatasetScope.Parameters(null, dataset))[0]["t"];
        return latest is DateTime t ? t.AddSeconds(1) : null;
    }

    public static IReadOnlyList<CustomerActivity> Load(DuckDbStore store, DateTime asOf, string? dataset = null)
    {
        var categories = TopShares(store, asOf, dataset, "split_part(i.category_path, ' > ', 1)");
        var brands = TopShares(store, asOf, dataset, "i.brand");
        using var command = store.Connection.CreateCommand();
        command.CommandText = $"""
            WITH ev AS (
                SELECT e.user_key, e.event_type, e.ts, coalesce(e.order_key, -1 - epoch_us(e.ts)) AS order_id,
                       e.quantity * e.unit_price AS amount, coalesce(e.discount, 0) AS discount
                FROM events e {DatasetScope.Join(dataset)}
                WHERE e.user_key IS NOT NULL AND e.ts < $as_of),
            purchases AS (
                SELECT user_key, min(ts) AS first_ts, max(ts) AS last_ts, count(DISTINCT order_id)::INTEGER AS orders,
                       count(DISTINCT ts::DATE)::INTEGER AS days, sum(amount) AS gross,
                       sum(CASE WHEN discount > 0 THEN amount ELSE 0 END) AS discounted, sum(discount) AS discount
                FROM ev WHERE event_type = 5 AND amount IS NOT NULL GROUP BY user_key),
            other AS (
                SELECT user_key,
                       coalesce(-sum(amount) FILTER (WHERE event_type = 6), 0) AS refunded,
                       count(*) FILTER (WHERE event_type = 1) AS views,
                       count(*) FILTER (WHERE event_type = 3) AS carts,
                       count(*) FILTER (WHERE event_type = 8)::INTEGER AS coupons
                FROM ev GROUP BY user_key)
            SELECT p.user_key, p.first_ts, p.last_ts, p.orders, p.days,
                   (p.gross - o.refunded)::DECIMAL(18,4), o.refunded::DECIMAL(18,4), p.discounted::DECIMAL(18,4), p.discount::DECIMAL(18,4),
                   o.coupons, o.views, o.carts
            FROM purchases p JOIN other o USING (user_key)
            ORDER BY p.user_key
            """;
        command.Parameters.Add(new DuckDBParameter("as_of", asOf));
        if (dataset is not null)
        {
            command.Parameters.Add(new DuckDBParameter("dataset", dataset));
        }

        var result = new List<CustomerActivity>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var user = reader.GetInt32(0);
            result.Add(new CustomerActivity(
                user, reader.GetDateTime(1), reader.GetDateTime(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetDecimal(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8),
                reader.GetInt32(9), reader.GetInt64(10), reader.GetInt64(11),
                categories.GetValueOrDefault(user, []), brands.GetValueOrDefault(user, [])));
        }

        return result;
    }

    private static Dictionary<int, List<ShareOf>> TopShares(DuckDbStore store, DateTime asOf, string? dataset, string nameExpression)
    {
        using var command = store.Connection.CreateCommand();
        command.CommandText = $"""
            WITH spend AS (
                SELECT e.user_key, {nameExpression} AS name, sum(e.quantity * e.unit_price) AS amount
                FROM events e JOIN items i ON i.item_key = e.item_key {DatasetScope.Join(dataset)}
                WHERE e.user_key IS NOT NULL AND e.event_type = 5 AND e.ts < $as_of AND {nameExpression} IS NOT NULL AND {nameExpression} <> ''
                GROUP BY ALL HAVING sum(e.quantity * e.unit_price) > 0),
            ranked AS (
                SELECT user_key, name, amount / sum(amount) OVER (PARTITION BY user_key) AS share,
                       row_number() OVER (PARTITION BY user_key ORDER BY amount DESC, name) AS rank
                FROM spend)
            SELECT user_key, name, share::DOUBLE AS share FROM ranked WHERE rank <= {TopN} ORDER BY user_key, rank
            """;
        foreach (var (name, value) in DatasetScope.Parameters(asOf, dataset))
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        // Streamed, with one string per distinct name: a million customers' top lists stay small.
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new Dictionary<int, List<ShareOf>>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var user = reader.GetInt32(0);
            var text = reader.GetString(1);
            if (!names.TryGetValue(text, out var name))
            {
                names[text] = name = text;
            }

            if (!result.TryGetValue(user, out var list))
            {
                result[user] = list = new List<ShareOf>(TopN);
            }

            list.Add(new ShareOf(name, reader.GetDouble(2)));
        }

        return result;
    }
}
