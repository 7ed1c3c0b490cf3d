using System.Globalization;
using PromoPilot.Core.Customers;

namespace PromoPilot.Storage.Queries;

/// <summary>Aggregates behind funnels, cohort retention and repeat intervals, before a cut-off.</summary>
public static class BehaviourQuery
{
    public static IReadOnlyList<EventTypeSetCount> EventTypeSets(DuckDbStore store, DateTime asOf, string? dataset = null) =>
        [.. store.Query($"""
            SELECT mask, count(*) AS customers FROM (
                SELECT e.user_key, bit_or(1 << e.event_type::INTEGER) AS mask
                FROM events e {DatasetScope.Join(dataset)} WHERE e.user_key IS NOT NULL AND e.ts < $as_of GROUP BY e.user_key)
            GROUP BY mask ORDER BY mask
            """, DatasetScope.Parameters(asOf, dataset))
            .Select(r => new EventTypeSetCount(Convert.ToInt32(r["mask"], CultureInfo.InvariantCulture), (long)r["customers"]!))];

    public static IReadOnlyList<CohortActivity> Cohorts(DuckDbStore store, DateTime asOf, string? dataset = null) =>
        [.. store.Query($"""
            WITH months AS (
                SELECT DISTINCT e.user_key, date_trunc('month', e.ts)::DATE AS month
                FROM events e {DatasetScope.Join(dataset)} WHERE e.user_key IS NOT NULL AND e.event_type = 5 AND e.ts < $as_of),
            firsts AS (SELECT user_key, min(month) AS cohort FROM months GROUP BY user_key)
            SELECT f.cohort, date_diff('month', f.cohort, m.month)::INTEGER AS k, count(*) AS customers
            FROM months m JOIN firsts f USING (user_key) GROUP BY ALL ORDER BY 1, 2
            """, DatasetScope.Parameters(asOf, dataset))
            .Select(r => new CohortActivity(r["cohort"] is DateOnly d ? d : DateOnly.FromDateTime((DateTime)r["cohort"]!), (int)r["k"]!, (long)r["customers"]!))];

    /// <summary>Days between each customer's consecutive purchase days.</summary>
    public static IReadOnlyList<int> RepeatGaps(DuckDbStore store, DateTime asOf, string? dataset = null) =>
        [.. store.Query($"""
            WITH days AS (
                SELECT DISTINCT e.user_key, e.ts::DATE AS day
                FROM events e {DatasetScope.Join(dataset)} WHERE e.user_key IS NOT NULL AND e.event_type = 5 AND e.ts < $as_of)
            SELECT gap FROM (SELECT date_diff('day', lag(day) OVER (PARTITION BY user_key ORDER BY day), day)::INTEGER AS gap FROM days)
            WHERE gap IS NOT NULL
            """, DatasetScope.Parameters(asOf, dataset))
            .Select(r => (int)r["gap"]!)];
}
