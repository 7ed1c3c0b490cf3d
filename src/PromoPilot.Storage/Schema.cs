using System.Globalization;
using System.Text;
using PromoPilot.Core.Domain;

namespace PromoPilot.Storage;

/// <summary>The canonical tables of the embedded store. Keys are integer surrogates; text ids live in dimensions.</summary>
public static class Schema
{
    public const int Version = 1;

    /// <summary>Tables that hold canonical data, in data-flow order (what stats and export know).</summary>
    public static readonly IReadOnlyList<string> DataTables =
    [
        "users", "items", "stores", "campaigns", "offers", "orders", "events", "store_week_sales", "exposures", "responses",
    ];

    /// <summary>Bookkeeping tables and readable views that can also be exported.</summary>
    public static readonly IReadOnlyList<string> OtherTables = ["import_log", "quarantine", "event_log"];

    public static string CreateStatements()
    {
        var sql = new StringBuilder("""
            CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS import_log (
                import_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, dataset VARCHAR NOT NULL, source VARCHAR,
                content_key VARCHAR NOT NULL, started_at TIMESTAMPTZ, seconds DOUBLE,
                rows_read BIGINT, rows_accepted BIGINT, rows_quarantined BIGINT, tables JSON);
            CREATE TABLE IF NOT EXISTS quarantine (
                import_id INTEGER, file VARCHAR, line BIGINT, column_name VARCHAR, reason VARCHAR, raw VARCHAR);
            CREATE TABLE IF NOT EXISTS users (
                user_key INTEGER NOT NULL, dataset VARCHAR NOT NULL, user_id VARCHAR NOT NULL, attributes JSON, import_id INTEGER);
            CREATE TABLE IF NOT EXISTS items (
                item_key INTEGER NOT NULL, dataset VARCHAR NOT NULL, item_id VARCHAR NOT NULL, title VARCHAR, category_path VARCHAR,
                brand VARCHAR, price DECIMAL(18,4), cost DECIMAL(18,4), currency VARCHAR, is_product BOOLEAN, attributes JSON, import_id INTEGER);
            CREATE TABLE IF NOT EXISTS stores (
                store_key INTEGER NOT NULL, dataset VARCHAR NOT NULL, store_id VARCHAR NOT NULL, attributes JSON, import_id INTEGER);
            CREATE TABLE IF NOT EXISTS campaigns (
                campaign_key INTEGER NOT NULL, dataset VARCHAR NOT NULL, campaign_id VARCHAR NOT NULL, name VARCHAR, campaign_type VARCHAR,
                starts_at TIMESTAMP, ends_at TIMESTAMP, attributes JSON, import_id INTEGER);
            CREATE TABLE IF NOT EXISTS offers (
                offer_key INTEGER NOT NULL, dataset VARCHAR NOT NULL, offer_id VARCHAR NOT NULL, campaign_key INTEGER, item_key INTEGER,
                offer_type VARCHAR, attributes JSON, import_id INTEGER);
            CREATE TABLE IF NOT EXISTS orders (
                order_key BIGINT NOT NULL, dataset VARCHAR NOT NULL, order_id VARCHAR NOT NULL, user_key INTEGER, ordered_at TIMESTAMP,
                currency VARCHAR, store_key INTEGER, channel TINYINT, is_refund BOOLEAN, refund_of_order_key BIGINT, import_id INTEGER);
            CREATE TABLE IF NOT EXISTS events (
                event_type TINYINT NOT NULL, user_key INTEGER, item_key INTEGER, ts TIMESTAMP, quantity DOUBLE,
                unit_price DECIMAL(18,4), discount DECIMAL(18,4), value DOUBLE, order_key BIGINT, campaign_key INTEGER,
                offer_key INTEGER, store_key INTEGER, channel TINYINT, import_id INTEGER NOT NULL, source_line BIGINT);
            CREATE TABLE IF NOT EXISTS store_week_sales (
                store_key INTEGER NOT NULL, item_key INTEGER NOT NULL, week INTEGER NOT NULL, units DOUBLE,
                unit_price DECIMAL(18,10), deal BOOLEAN, feature BOOLEAN, attributes JSON, import_id INTEGER NOT NULL, source_line BIGINT);
            CREATE TABLE IF NOT EXISTS exposures (
                campaign_key INTEGER NOT NULL, user_key INTEGER, arm VARCHAR NOT NULL, is_control BOOLEAN, exposed_at TIMESTAMP,
                visited BOOLEAN, converted BOOLEAN, revenue DECIMAL(18,4), outcomes JSON, import_id INTEGER NOT NULL, source_line BIGINT);
            CREATE TABLE IF NOT EXISTS responses (
                campaign_key INTEGER, user_key INTEGER, offer_type VARCHAR, accepted BOOLEAN, context JSON,
                import_id INTEGER NOT NULL, source_line BIGINT);
            CREATE TABLE IF NOT EXISTS event_types (event_type TINYINT PRIMARY KEY, name VARCHAR NOT NULL);
            CREATE TABLE IF NOT EXISTS channels (channel TINYINT PRIMARY KEY, name VARCHAR NOT NULL);

            """);
        foreach (var type in Enum.GetValues<EventType>())
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT OR REPLACE INTO event_types VALUES ({(int)type}, '{type.Name()}');\n");
        }

        foreach (var channel in Enum.GetValues<Channel>())
        {
            sql.Append(CultureInfo.InvariantCulture, $"INSERT OR REPLACE INTO channels VALUES ({(int)channel}, '{channel.Name()}');\n");
        }

        sql.Append("""
            CREATE OR REPLACE VIEW event_log AS
            SELECT l.dataset, t.name AS event_type, u.user_id, i.item_id, e.ts, e.quantity, e.unit_price, e.discount, e.value,
                   o.order_id, c.campaign_id, f.offer_id, s.store_id, ch.name AS channel, e.import_id, e.source_line
            FROM events e
            JOIN import_log l ON l.import_id = e.import_id
            JOIN event_types t ON t.event_type = e.event_type
            LEFT JOIN channels ch ON ch.channel = e.channel
            LEFT JOIN users u ON u.user_key = e.user_key
            LEFT JOIN items i ON i.item_key = e.item_key
            LEFT JOIN orders o ON o.order_key = e.order_key
            LEFT JOIN campaigns c ON c.campaign_key = e.campaign_key
            LEFT JOIN offers f ON f.offer_key = e.offer_key
            LEFT JOIN stores s ON s.store_key = e.store_key;
            """);
        return sql.ToString();
    }
}
