using DuckDB.NET.Data;
using PromoPilot.Core.Domain;

namespace PromoPilot.Storage.Queries;

/// <summary>
/// A user's events of one type with one item, aggregated: how many, and the first and last time (null when the
/// events carry no time).
/// </summary>
public sealed record StoreInteraction(string UserId, string ItemId, EventType Type, int Count, DateTime? First, DateTime? Last);

/// <summary>An item's catalog attributes as the store holds them.</summary>
public sealed record StoreItem(string ItemId, string? Title, string? CategoryPath, string? Brand, double? Price);

/// <summary>A dataset's recommendation-relevant events: how many, by how many users on how many items, and when.</summary>
public sealed record InteractionDataset(string Dataset, long Events, long Users, long Items, DateTime? First, DateTime? Last);

/// <summary>
/// What recommenders are trained on, read from the canonical tables: the user-item interactions of the event types
/// that express interest (view, click, add to cart, favorite, purchase, rating) by known users on products (items
/// flagged non-products, such as postage and fees, are left out), grouped per user, item and event type; the item
/// catalog; and one user's history. Users are named by users.user_id (the pseudonym), items by items.item_id.
/// </summary>
public static class RecommendationDataQuery
{
    private const string InterestTypes = "(1, 2, 3, 4, 5, 9)";

    /// <summary>Datasets holding interactions, largest first.</summary>
    public static IReadOnlyList<InteractionDataset> Datasets(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Query($"""
            SELECT l.dataset, count(*) AS events, count(DISTINCT e.user_key) AS users, count(DISTINCT e.item_key) AS items,
                   min(e.ts) AS first, max(e.ts) AS last
            FROM events e
            JOIN import_log l ON l.import_id = e.import_id
            LEFT JOIN items i ON i.item_key = e.item_key
            WHERE e.event_type IN {InterestTypes} AND e.user_key IS NOT NULL AND e.item_key IS NOT NULL AND coalesce(i.is_product, true)
            GROUP BY l.dataset ORDER BY events DESC, l.dataset
            """).Select(r => new InteractionDataset(
                (string)r["dataset"]!, (long)r["events"]!, (long)r["users"]!, (long)r["items"]!, r["first"] as DateTime?, r["last"] as DateTime?)).ToList();
    }

    /// <summary>
    /// The interactions of <paramref name="dataset"/> with a time before <paramref name="until"/> (all when null; events
    /// without a time are kept only when <paramref name="until"/> is null), ordered by user, item and type.
    /// </summary>
    public static IReadOnlyList<StoreInteraction> Interactions(DuckDbStore store, string dataset, DateTime? until = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataset);
        return Read(store, $"""
            SELECT u.user_id, i.item_id, e.event_type, count(*) AS n, min(e.ts) AS first, max(e.ts) AS last
            FROM events e
            JOIN import_log l ON l.import_id = e.import_id AND l.dataset = $dataset
            JOIN users u ON u.user_key = e.user_key
            JOIN items i ON i.item_key = e.item_key
            WHERE e.event_type IN {InterestTypes} AND coalesce(i.is_product, true) AND (CAST($until AS TIMESTAMP) IS NULL OR e.ts < $until)
            GROUP BY u.user_id, i.item_id, e.event_type
            ORDER BY u.user_id, i.item_id, e.event_type
            """, ("dataset", dataset), ("until", until));
    }

    /// <summary>One user's interactions in <paramref name="dataset"/> (every time), by user id (the pseudonym).</summary>
    public static IReadOnlyList<StoreInteraction> UserInteractions(DuckDbStore store, string dataset, string userId)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(userId);
        return Read(store, $"""
            SELECT u.user_id, i.item_id, e.event_type, count(*) AS n, min(e.ts) AS first, max(e.ts) AS last
            FROM users u
            JOIN events e ON e.user_key = u.user_key
            JOIN import_log l ON l.import_id = e.import_id AND l.dataset = $dataset
            JOIN items i ON i.item_key = e.item_key
            WHERE u.user_id = $user AND u.dataset = $dataset AND e.event_type IN {InterestTypes} AND coalesce(i.is_product, true)
            GROUP BY u.user_id, i.item_id, e.event_type
            ORDER BY i.item_id, e.event_type
            """, ("dataset", dataset), ("user", userId));
    }

    /// <summary>Whether <paramref name="userId"/> is a user of <paramref name="dataset"/>.</summary>
    public static bool UserExists(DuckDbStore store, string dataset, string userId)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Scalar<long>("SELECT count(*) FROM users WHERE dataset = $dataset AND user_id = $user", ("dataset", dataset), ("user", userId)) > 0;
    }

    /// <summary>The product items of <paramref name="dataset"/> with their title, category path, brand and price.</summary>
    public static IReadOnlyList<StoreItem> Items(DuckDbStore store, string dataset)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataset);
        var items = new List<StoreItem>();
        using var command = store.Connection.CreateCommand();
        command.CommandText = """
            SELECT item_id, any_value(title), any_value(category_path), any_value(brand), CAST(any_value(price) AS DOUBLE)
            FROM items WHERE dataset = $dataset AND coalesce(is_product, true)
            GROUP BY item_id ORDER BY item_id
            """;
        command.Parameters.Add(new DuckDBParameter("dataset", dataset));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(new StoreItem(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetDouble(4)));
        }

        return items;
    }

    private static List<StoreInteraction> Read(DuckDbStore store, string sql, params (string Name, object? Value)[] parameters)
    {
        var rows = new List<StoreInteraction>();
        using var command = store.Connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.Add(new DuckDBParameter(name, value));
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new StoreInteraction(
                reader.GetString(0),
                reader.GetString(1),
                (EventType)Convert.ToSByte(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                checked((int)reader.GetInt64(3)),
                reader.IsDBNull(4) ? null : reader.GetDateTime(4),
                reader.IsDBNull(5) ? null : reader.GetDateTime(5)));
        }

        return rows;
    }
}
