using System.Globalization;

namespace PromoPilot.Storage.Queries;

/// <summary>One arm's purchases in one week: revenue (purchases less refunds) and orders of the arm's users.</summary>
public sealed record ArmWeek(string Arm, DateTime Week, double Revenue, long Orders);

/// <summary>One customer's point on the segmentation's display plane (first two principal components).</summary>
public sealed record SegmentPoint(double X, double Y, string Segment);

/// <summary>The dashboard's campaign-results and customer-map reads: purchases over time by campaign arm, segment points.</summary>
public static class CampaignResultsQuery
{
    /// <summary>
    /// Weekly revenue and orders of each arm's users (events of type purchase and refund, every week the store holds:
    /// the weeks before the launch show whether the arms were alike, those after it the effect). Empty when the
    /// exposures name no users or those users have no purchases.
    /// </summary>
    public static IReadOnlyList<ArmWeek> WeeklyByArm(DuckDbStore store, int campaignKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.Query("""
            WITH arms AS (SELECT user_key, any_value(arm) AS arm FROM exposures WHERE campaign_key = $key AND user_key IS NOT NULL GROUP BY user_key)
            SELECT a.arm, date_trunc('week', e.ts) AS week,
                   coalesce(sum(CASE WHEN e.event_type = 5 THEN abs(coalesce(e.value, e.quantity * CAST(e.unit_price AS DOUBLE)))
                                     ELSE -abs(coalesce(e.value, e.quantity * CAST(e.unit_price AS DOUBLE))) END), 0) AS revenue,
                   count(DISTINCT e.order_key) FILTER (WHERE e.event_type = 5) AS orders
            FROM events e JOIN arms a ON a.user_key = e.user_key
            WHERE e.event_type IN (5, 6) AND e.ts IS NOT NULL
            GROUP BY ALL ORDER BY week, arm
            """, ("key", campaignKey))
            .Select(r => new ArmWeek((string)r["arm"]!, (DateTime)r["week"]!, Convert.ToDouble(r["revenue"], CultureInfo.InvariantCulture), Convert.ToInt64(r["orders"], CultureInfo.InvariantCulture)))];
    }

    /// <summary>When the campaign started (its launch for campaigns launched in PromoPilot); null when not recorded.</summary>
    public static DateTime? Start(DuckDbStore store, int campaignKey)
    {
        ArgumentNullException.ThrowIfNull(store);
        var rows = store.Query("SELECT min(starts_at) AS s FROM campaigns WHERE campaign_key = $key", ("key", campaignKey));
        return rows.Count > 0 && rows[0]["s"] is DateTime s ? s : null;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> customers of the latest segmentation run with display coordinates, a fixed
    /// pseudo-random sample (by a hash of the user key) so the picture is the same on every request.
    /// </summary>
    public static IReadOnlyList<SegmentPoint> SegmentPoints(DuckDbStore store, int limit)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.Scalar<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'customer_segments'") == 0)
        {
            return [];
        }

        return [.. store.Query("""
            SELECT x, y, coalesce(segment_name, 'segment ' || segment_id) AS segment
            FROM customer_segments
            WHERE run_id = (SELECT max(run_id) FROM customer_segments) AND x IS NOT NULL AND y IS NOT NULL AND isfinite(x) AND isfinite(y)
            ORDER BY hash(user_key), user_key LIMIT $limit
            """, ("limit", limit))
            .Select(r => new SegmentPoint((double)r["x"]!, (double)r["y"]!, (string)r["segment"]!))];
    }

    /// <summary>Rows in the events table: changes whenever events are imported or appended, so a page may keep what it derived from them until then.</summary>
    public static long EventCount(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Scalar<long>("SELECT count(*) FROM events");
    }
}
