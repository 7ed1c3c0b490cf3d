using System.Globalization;
using PromoPilot.Core.Customers;

namespace PromoPilot.Storage.Queries;

/// <summary>The per-customer repeat-purchase summaries of one dataset, with the periods they cover.</summary>
/// <param name="Dataset">The dataset the orders came from.</param>
/// <param name="CalibrationEnd">The last day of the calibration period (inclusive).</param>
/// <param name="AsOf">The last day of data used (the end of the holdout period when there is one).</param>
/// <param name="HoldoutDays">Length of the holdout period in days; 0 when there is none.</param>
/// <param name="Customers">One row per customer whose first purchase is on or before <paramref name="CalibrationEnd"/>.</param>
public sealed record RepeatPurchaseData(
    string Dataset,
    DateTime CalibrationEnd,
    DateTime AsOf,
    int HoldoutDays,
    IReadOnlyList<CustomerRepeatPurchases> Customers);

/// <summary>
/// Builds BG/NBD / Gamma-Gamma summaries (x, t_x, T in weeks, zbar) from the store's orders, the way Fader, Hardie
/// &amp; Lee prepare CDNOW: one transaction per customer and distinct day.
/// </summary>
/// <remarks>
/// <para>Transactions are the days on which a known user (user_key not null) has a non-refund order with at least one
/// purchase event. A day's value is the sum over its purchase events of value, or quantity × unit price when value is
/// absent, leaving out lines of items marked as non-products (postage, fees). x is the number of transaction days
/// after the first one up to the calibration end, t_x and T the days from the first transaction to the last one and to
/// the calibration end, divided by 7; zbar is the mean value of the repeat transaction days (the first one left out).</para>
/// <para>With a holdout of N days the calibration period ends N days before the as-of day, and x_holdout counts the
/// transaction days in the N days after it (t* = N/7 weeks). Customers whose first purchase is after the calibration
/// end are not in the cohort.</para>
/// </remarks>
public static class RepeatPurchaseQuery
{
    private const string Transactions = """
        SELECT o.user_key, CAST(o.ordered_at AS DATE) AS day,
               sum(CASE WHEN coalesce(i.is_product, true)
                        THEN coalesce(e.value, e.quantity * CAST(e.unit_price AS DOUBLE), 0) ELSE 0 END) AS spend
        FROM orders o
        JOIN events e ON e.order_key = o.order_key AND e.event_type = 5
        LEFT JOIN items i ON i.item_key = e.item_key
        WHERE o.user_key IS NOT NULL AND NOT coalesce(o.is_refund, false) AND o.ordered_at IS NOT NULL
        """;

    /// <summary>Datasets with purchase orders of known users, with their first and last purchase day.</summary>
    public static IReadOnlyList<(string Dataset, DateTime First, DateTime Last)> Datasets(DuckDbStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return store.Query($"""
            SELECT o.dataset, min(o.ordered_at) AS first, max(o.ordered_at) AS last
            FROM orders o
            WHERE o.user_key IS NOT NULL AND NOT coalesce(o.is_refund, false) AND o.ordered_at IS NOT NULL
              AND EXISTS (SELECT 1 FROM events e WHERE e.order_key = o.order_key AND e.event_type = 5)
            GROUP BY o.dataset ORDER BY o.dataset
            """).Select(r => ((string)r["dataset"]!, ((DateTime)r["first"]!).Date, ((DateTime)r["last"]!).Date)).ToList();
    }

    /// <summary>The summaries of <paramref name="dataset"/> as of <paramref name="asOf"/> (a day, inclusive).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="holdoutDays"/> is negative.</exception>
    public static RepeatPurchaseData Load(DuckDbStore store, string dataset, DateTime asOf, int holdoutDays = 0)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataset);
        if (holdoutDays < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutDays), holdoutDays, "the holdout must be 0 or more days");
        }

        var asOfDay = asOf.Date;
        var calibrationEnd = asOfDay.AddDays(-holdoutDays);
        var rows = store.Query($"""
            WITH tx AS (
                {Transactions} AND o.dataset = $dataset AND CAST(o.ordered_at AS DATE) <= CAST($as_of AS DATE)
                GROUP BY 1, 2
            ),
            firsts AS (
                SELECT user_key, min(day) AS first_day FROM tx GROUP BY 1 HAVING min(day) <= CAST($cal_end AS DATE)
            )
            SELECT f.user_key,
                   count(*) FILTER (WHERE t.day <= CAST($cal_end AS DATE)) - 1 AS x,
                   max(t.day) FILTER (WHERE t.day <= CAST($cal_end AS DATE)) - f.first_day AS recency_days,
                   CAST($cal_end AS DATE) - f.first_day AS age_days,
                   coalesce(sum(t.spend) FILTER (WHERE t.day > f.first_day AND t.day <= CAST($cal_end AS DATE)), 0) AS repeat_spend,
                   count(*) FILTER (WHERE t.day > CAST($cal_end AS DATE)) AS x_holdout
            FROM firsts f JOIN tx t USING (user_key)
            GROUP BY f.user_key, f.first_day
            ORDER BY f.user_key
            """, ("dataset", dataset), ("as_of", asOfDay), ("cal_end", calibrationEnd));

        var customers = new List<CustomerRepeatPurchases>(rows.Count);
        double? holdoutWeeks = holdoutDays > 0 ? holdoutDays / 7.0 : null;
        foreach (var r in rows)
        {
            var x = Convert.ToInt32(r["x"], CultureInfo.InvariantCulture);
            var recency = Convert.ToDouble(r["recency_days"], CultureInfo.InvariantCulture) / 7;
            var age = Convert.ToDouble(r["age_days"], CultureInfo.InvariantCulture) / 7;
            var zbar = x > 0 ? Convert.ToDouble(r["repeat_spend"], CultureInfo.InvariantCulture) / x : 0;
            int? holdout = holdoutDays > 0 ? Convert.ToInt32(r["x_holdout"], CultureInfo.InvariantCulture) : null;
            customers.Add(new CustomerRepeatPurchases(
                Convert.ToInt32(r["user_key"], CultureInfo.InvariantCulture),
                new RepeatPurchaseSummary(x, recency, age, zbar, holdout, holdoutWeeks)));
        }

        return new RepeatPurchaseData(dataset, calibrationEnd, asOfDay, holdoutDays, customers);
    }
}
