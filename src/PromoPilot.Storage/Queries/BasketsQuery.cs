using DuckDB.NET.Data;
using PromoPilot.Core.Domain;

namespace PromoPilot.Storage.Queries;

/// <summary>Purchase baskets read from the store: one basket of item keys per order, and the items' readable ids.</summary>
/// <param name="Baskets">Item keys per order, each item once, orders and items in key order.</param>
/// <param name="Items">The dataset's item_id and title of every item key that appears in a basket.</param>
public sealed record StoreBaskets(IReadOnlyList<int[]> Baskets, IReadOnlyDictionary<int, BasketItem> Items);

/// <summary>An item as the dataset names it.</summary>
public sealed record BasketItem(string ItemId, string? Title);

/// <summary>Market baskets for association rules: purchase events grouped by order, product items only.</summary>
public static class BasketsQuery
{
    /// <summary>
    /// Every order's purchased products: events of type purchase with an order, whose item is a product
    /// (<c>items.is_product</c>; postage, fees and similar lines are left out); only orders of
    /// <paramref name="dataset"/> when given.
    /// </summary>
    public static StoreBaskets Load(DuckDbStore store, string? dataset)
    {
        ArgumentNullException.ThrowIfNull(store);
        var baskets = new List<int[]>();
        var current = new List<int>();
        using (var command = store.Connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT DISTINCT e.order_key, e.item_key
                FROM events e
                JOIN items i ON i.item_key = e.item_key
                JOIN orders o ON o.order_key = e.order_key
                WHERE e.event_type = {(int)EventType.Purchase} AND i.is_product AND ($dataset IS NULL OR o.dataset = $dataset)
                ORDER BY e.order_key, e.item_key
                """;
            command.Parameters.Add(new DuckDBParameter("dataset", dataset));
            using var reader = command.ExecuteReader();
            long order = long.MinValue;
            while (reader.Read())
            {
                var key = reader.GetInt64(0);
                if (key != order && current.Count > 0)
                {
                    baskets.Add([.. current]);
                    current.Clear();
                }

                order = key;
                current.Add(reader.GetInt32(1));
            }
        }

        if (current.Count > 0)
        {
            baskets.Add([.. current]);
        }

        var items = new Dictionary<int, BasketItem>();
        using (var command = store.Connection.CreateCommand())
        {
            command.CommandText = $"""
                SELECT i.item_key, i.item_id, i.title
                FROM items i
                WHERE i.item_key IN (
                    SELECT e.item_key FROM events e JOIN orders o ON o.order_key = e.order_key
                    WHERE e.event_type = {(int)EventType.Purchase} AND ($dataset IS NULL OR o.dataset = $dataset))
                  AND i.is_product
                """;
            command.Parameters.Add(new DuckDBParameter("dataset", dataset));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                items[reader.GetInt32(0)] = new BasketItem(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            }
        }

        return new StoreBaskets(baskets, items);
    }
}
