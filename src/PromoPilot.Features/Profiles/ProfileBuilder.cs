using PromoPilot.Core.Customers;

namespace PromoPilot.Features.Profiles;

/// <summary>
/// Turns customers' activity before a cut-off into profiles: recency, frequency and monetary value with
/// quintile scores (1-5) and the named RFM groups, tenure, average order value, inter-purchase time,
/// price sensitivity, coupon use, activity and affinities.
/// </summary>
/// <remarks>
/// Scores: a customer's score is 1 + floor(5 x share of customers with a strictly worse value), so ties
/// share a score and scores do not depend on input order. Worse means longer recency, fewer orders, less
/// net spend. Groups come from the recency score R and FM = round((F + M) / 2), first match wins:
/// <list type="table">
/// <item><term>Champions</term><description>R &gt;= 4 and FM &gt;= 4</description></item>
/// <item><term>Loyal</term><description>R &gt;= 3 and FM &gt;= 3</description></item>
/// <item><term>New</term><description>R &gt;= 4 and one order</description></item>
/// <item><term>Potential loyalists</term><description>R &gt;= 4</description></item>
/// <item><term>Promising</term><description>R = 3</description></item>
/// <item><term>Can't lose them</term><description>R &lt;= 2 and FM &gt;= 4</description></item>
/// <item><term>At risk</term><description>R = 2 and FM &gt;= 2</description></item>
/// <item><term>Hibernating</term><description>R = 2, or R = 1 and FM &gt;= 2</description></item>
/// <item><term>Lost</term><description>everyone else (R = 1 and FM = 1)</description></item>
/// </list>
/// </remarks>
public static class ProfileBuilder
{
    public static readonly IReadOnlyList<string> RfmGroups =
        ["Champions", "Loyal", "New", "Potential loyalists", "Promising", "Can't lose them", "At risk", "Hibernating", "Lost"];

    /// <exception cref="ArgumentException">An activity from on or after the cut-off (it would leak the future).</exception>
    public static IReadOnlyList<CustomerProfile> Build(IReadOnlyList<CustomerActivity> activities, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(activities);
        foreach (var a in activities)
        {
            if (a.LastPurchase >= asOf || a.FirstPurchase > a.LastPurchase)
            {
                throw new ArgumentException($"customer {a.UserKey}: purchases {a.FirstPurchase:O}..{a.LastPurchase:O} are not all before the cut-off {asOf:O}.", nameof(activities));
            }
        }

        var recency = activities.Select(a => (asOf - a.LastPurchase).TotalDays).ToArray();
        var frequency = activities.Select(a => (double)a.Orders).ToArray();
        var monetary = activities.Select(a => (double)a.Revenue).ToArray();
        var r = Scores(recency, higherIsBetter: false);
        var f = Scores(frequency, higherIsBetter: true);
        var m = Scores(monetary, higherIsBetter: true);

        var profiles = new CustomerProfile[activities.Count];
        for (var i = 0; i < profiles.Length; i++)
        {
            var a = activities[i];
            var grossSpend = a.Revenue + a.RefundedRevenue;
            profiles[i] = new CustomerProfile(
                a.UserKey,
                recency[i],
                a.Orders,
                a.Revenue,
                a.Orders > 0 ? decimal.Round(a.Revenue / a.Orders, 4) : 0m,
                (asOf - a.FirstPurchase).TotalDays,
                a.PurchaseDays > 1 ? (a.LastPurchase - a.FirstPurchase).TotalDays / (a.PurchaseDays - 1) : null,
                r[i],
                f[i],
                m[i],
                Group(r[i], f[i], m[i], a.Orders),
                grossSpend > 0 ? (double)(a.DiscountedSpend / grossSpend) : 0,
                grossSpend + a.DiscountAmount > 0 ? (double)(a.DiscountAmount / (grossSpend + a.DiscountAmount)) : 0,
                a.CouponRedemptions,
                a.Views,
                a.CartAdds,
                a.TopCategories,
                a.TopBrands);
        }

        return profiles;
    }

    /// <summary>The named group of R, F and M scores (see the class remarks).</summary>
    public static string Group(int r, int f, int m, int orders)
    {
        var fm = (int)Math.Round((f + m) / 2.0, MidpointRounding.AwayFromZero);
        return (r, fm) switch
        {
            ( >= 4, >= 4) => "Champions",
            ( >= 3, >= 3) => "Loyal",
            ( >= 4, _) when orders == 1 => "New",
            ( >= 4, _) => "Potential loyalists",
            (3, _) => "Promising",
            ( <= 2, >= 4) => "Can't lose them",
            (2, >= 2) => "At risk",
            (2, _) or (1, >= 2) => "Hibernating",
            _ => "Lost",
        };
    }

    /// <summary>Quintile scores 1..5: 1 + floor(5 x share strictly worse); ties share a score.</summary>
    public static int[] Scores(IReadOnlyList<double> values, bool higherIsBetter)
    {
        var n = values.Count;
        var sorted = values.Select(v => higherIsBetter ? v : -v).Order().ToArray();
        var scores = new int[n];
        for (var i = 0; i < n; i++)
        {
            var worse = LowerBound(sorted, higherIsBetter ? values[i] : -values[i]);
            scores[i] = 1 + Math.Min(4, 5 * worse / n);
        }

        return scores;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
