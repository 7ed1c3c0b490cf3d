using System.Globalization;

namespace PromoPilot.Storage.Queries;

/// <summary>Sales of one month: revenue net of refunds and orders placed.</summary>
public sealed record MonthlySales(DateTime Month, double Revenue, long Orders);

/// <summary>What the store sold: revenue net of refunds, orders, paying customers, and the series by month.</summary>
public sealed record SalesSummary(double Revenue, double Refunds, long Orders, long Customers, DateTime? From, DateTime? To, IReadOnlyList<MonthlySales> Months);

/// <summary>One cell of the recency × frequency grid: customers with these quintile scores and their mean spend.</summary>
public sealed record RfmCell(int RecencyScore, int FrequencyScore, long Customers, double MeanMonetary);

/// <summary>The RFM grid and where it came from ("profiles vN" or "orders" when no profiles were built).</summary>
public sealed record RfmGrid(string Source, IReadOnlyList<RfmCell> Cells);

/// <summary>A segment of the latest segmentation run and its size.</summary>
public sealed record SegmentSize(int SegmentId, string Name, long Customers);

/// <summary>One metric of an imported campaign's readout beside its forecast (forecast null when none was made).</summary>
public sealed record CampaignReadoutRow(
    int CampaignKey, string CampaignId, string? Name, string Metric, string Arm, long TreatedUnits, long ControlUnits,
    double Incremental, double? Low, double? High, double Level, string Status, double? Forecast, double? ForecastLow, double? ForecastHigh);

/// <summary>A campaign imported with the data (past campaigns, such as the Hillstrom e-mail test), with its exposures.</summary>
public sealed record ImportedCampaign(int CampaignKey, string Dataset, string CampaignId, string? Name, string? Type, long Exposed, long Control);

/// <summary>The read-only queries behind the web dashboard. Every query tolerates tables that were never built.</summary>
public static class DashboardQueries
{
    /// <summary>Revenue (purchases less refunds, quantity × unit price unless a value is stored), orders and monthly series.</summary>
    public static SalesSummary Sales(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var total = store.Query("""
            SELECT coalesce(sum(CASE WHEN event_type = 5 THEN abs(coalesce(value, quantity * CAST(unit_price AS DOUBLE))) END), 0) AS gross,
                   coalesce(sum(CASE WHEN event_type = 6 THEN abs(coalesce(value, quantity * CAST(unit_price AS DOUBLE))) END), 0) AS refunds,
                   count(DISTINCT CASE WHEN event_type = 5 THEN user_key END) AS customers,
                   min(CASE WHEN event_type = 5 THEN ts END) AS lo, max(CASE WHEN event_type = 5 THEN ts END) AS hi
            FROM events WHERE event_type IN (5, 6)
            """)[0];
        var orders = store.Scalar<long>("SELECT count(*) FROM orders WHERE NOT coalesce(is_refund, false)");
        var months = store.Query("""
            WITH revenue AS (
                SELECT date_trunc('month', ts) AS month,
                       sum(CASE WHEN event_type = 5 THEN 1 ELSE -1 END * abs(coalesce(value, quantity * CAST(unit_price AS DOUBLE)))) AS revenue
                FROM events WHERE event_type IN (5, 6) AND ts IS NOT NULL GROUP BY 1),
            placed AS (
                SELECT date_trunc('month', ordered_at) AS month, count(*) AS orders
                FROM orders WHERE NOT coalesce(is_refund, false) AND ordered_at IS NOT NULL GROUP BY 1)
            SELECT coalesce(r.month, p.month) AS month, coalesce(r.revenue, 0) AS revenue, coalesce(p.orders, 0) AS orders
            FROM revenue r FULL OUTER JOIN placed p ON r.month = p.month ORDER BY 1
            """).Select(r => new MonthlySales((DateTime)r["month"]!, Double(r["revenue"]), Long(r["orders"]))).ToList();
        var gross = Double(total["gross"]);
        var refunds = Double(total["refunds"]);
        return new SalesSummary(gross - refunds, refunds, orders, Long(total["customers"]), total["lo"] as DateTime?, total["hi"] as DateTime?, months);
    }

    /// <summary>
    /// Customers by recency score × frequency score (1-5, 5 = most recent / most frequent): from the latest customer
    /// profiles when built (<c>promopilot profile build</c>), else quintiles computed here from purchases.
    /// </summary>
    public static RfmGrid Rfm(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (TableExists(store, "customer_profiles") && store.Scalar<long>("SELECT count(*) FROM customer_profiles") > 0)
        {
            var version = store.Scalar<int>("SELECT max(version) FROM customer_profiles");
            var cells = store.Query("""
                SELECT r_score, f_score, count(*) AS n, avg(CAST(monetary AS DOUBLE)) AS m
                FROM customer_profiles WHERE version = $v AND r_score IS NOT NULL AND f_score IS NOT NULL AND frequency > 0
                GROUP BY ALL ORDER BY 1, 2
                """, ("v", version));
            return new RfmGrid($"profiles v{version}", cells.Select(Cell).ToList());
        }

        var computed = store.Query("""
            WITH customers AS (
                SELECT user_key, max(ts) AS last, count(DISTINCT order_key) AS orders,
                       sum(abs(coalesce(value, quantity * CAST(unit_price AS DOUBLE)))) AS spend
                FROM events WHERE event_type = 5 AND user_key IS NOT NULL GROUP BY user_key),
            scored AS (
                SELECT ntile(5) OVER (ORDER BY last) AS r_score, ntile(5) OVER (ORDER BY orders, user_key) AS f_score, spend
                FROM customers)
            SELECT r_score, f_score, count(*) AS n, avg(spend) AS m FROM scored GROUP BY ALL ORDER BY 1, 2
            """);
        return new RfmGrid("orders", computed.Select(Cell).ToList());
    }

    /// <summary>The predicted CLV of every customer with one (<c>promopilot clv --db</c>); empty when never computed.</summary>
    public static IReadOnlyList<double> ClvValues(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return TableExists(store, CustomerClvTable.Name)
            ? store.Query("SELECT clv FROM customer_clv WHERE clv IS NOT NULL AND isfinite(clv) ORDER BY clv").Select(r => Double(r["clv"])).ToList()
            : [];
    }

    /// <summary>Segment sizes of the latest segmentation run (<c>promopilot segment</c>); empty when none.</summary>
    public static IReadOnlyList<SegmentSize> Segments(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!TableExists(store, "customer_segments"))
        {
            return [];
        }

        return store.Query("""
            SELECT segment_id, coalesce(any_value(segment_name), 'segment ' || segment_id) AS name, count(*) AS n
            FROM customer_segments WHERE run_id = (SELECT max(run_id) FROM customer_segments)
            GROUP BY segment_id ORDER BY n DESC, segment_id
            """).Select(r => new SegmentSize(Convert.ToInt32(r["segment_id"], CultureInfo.InvariantCulture), (string)r["name"]!, Long(r["n"]))).ToList();
    }

    /// <summary>Campaigns imported with the data and how many customers each exposed (treated and control).</summary>
    public static IReadOnlyList<ImportedCampaign> ImportedCampaigns(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Query("""
            SELECT c.campaign_key, c.dataset, c.campaign_id, c.name, c.campaign_type,
                   count(e.campaign_key) FILTER (WHERE NOT coalesce(e.is_control, false)) AS exposed,
                   count(e.campaign_key) FILTER (WHERE e.is_control) AS control
            FROM campaigns c LEFT JOIN exposures e ON e.campaign_key = c.campaign_key
            GROUP BY ALL ORDER BY c.campaign_key LIMIT 200
            """).Select(r => new ImportedCampaign(
                Convert.ToInt32(r["campaign_key"], CultureInfo.InvariantCulture), (string)r["dataset"]!, (string)r["campaign_id"]!,
                r["name"] as string, r["campaign_type"] as string, Long(r["exposed"]), Long(r["control"]))).ToList();
    }

    /// <summary>Every stored readout row (<c>promopilot campaign readout</c>) with the forecast it was compared with.</summary>
    public static IReadOnlyList<CampaignReadoutRow> Readouts(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!TableExists(store, "campaign_readouts"))
        {
            return [];
        }

        return store.Query("""
            SELECT r.campaign_key, coalesce(c.campaign_id, CAST(r.campaign_key AS VARCHAR)) AS campaign_id, c.name, r.metric, r.arm,
                   r.treated_units, r.control_units, r.incremental, r.ci_low, r.ci_high, r.level, r.status,
                   r.forecast, r.forecast_ci_low, r.forecast_ci_high
            FROM campaign_readouts r LEFT JOIN (SELECT campaign_key, any_value(campaign_id) AS campaign_id, any_value(name) AS name FROM campaigns GROUP BY 1) c
              ON c.campaign_key = r.campaign_key
            ORDER BY r.campaign_key, r.metric, r.arm LIMIT 500
            """).Select(r => new CampaignReadoutRow(
                Convert.ToInt32(r["campaign_key"], CultureInfo.InvariantCulture), (string)r["campaign_id"]!, r["name"] as string,
                (string)r["metric"]!, (string)r["arm"]!, Long(r["treated_units"]), Long(r["control_units"]), Double(r["incremental"]),
                NullableDouble(r["ci_low"]), NullableDouble(r["ci_high"]), Double(r["level"]), (string)r["status"]!,
                NullableDouble(r["forecast"]), NullableDouble(r["forecast_ci_low"]), NullableDouble(r["forecast_ci_high"]))).ToList();
    }

    private static bool TableExists(DuckDbStore store, string table) =>
        store.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = $t", ("t", table)) > 0;

    private static RfmCell Cell(IReadOnlyDictionary<string, object?> r) =>
        new(Convert.ToInt32(r["r_score"], CultureInfo.InvariantCulture), Convert.ToInt32(r["f_score"], CultureInfo.InvariantCulture), Long(r["n"]), Double(r["m"]));

    private static double Double(object? value) => value is null or DBNull ? 0 : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static double? NullableDouble(object? value) => value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static long Long(object? value) => value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
