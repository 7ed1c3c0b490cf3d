using System.Globalization;

namespace PromoPilot.Features.Segments;

/// <summary>
/// Names segments from their profile: the mean standardized value (z) of well-known features.
/// <para>Features are recognized by name (case-insensitive):</para>
/// <list type="table">
/// <listheader><term>role</term><description>names</description></listheader>
/// <item><term>recency</term><description>recency_days, recency, days_since_last_order, days_since_last_purchase</description></item>
/// <item><term>frequency</term><description>frequency, orders, order_count, n_orders, purchase_count</description></item>
/// <item><term>monetary</term><description>monetary, monetary_value, revenue, total_revenue, spend, total_spend</description></item>
/// <item><term>clv</term><description>clv, predicted_clv, expected_clv</description></item>
/// <item><term>tenure</term><description>tenure_days, tenure, customer_age_days</description></item>
/// <item><term>discount</term><description>discount_share, price_sensitivity, promo_share, discount_rate, coupon_share</description></item>
/// <item><term>aov</term><description>aov, avg_order_value, average_order_value</description></item>
/// <item><term>alive</term><description>p_alive, probability_alive (low means at risk); churn_risk (high means at risk)</description></item>
/// </list>
/// <para>With t the threshold (default 0.5): stale = recency z &gt;= t, or alive z &lt;= -t, or churn_risk z &gt;= t;
/// valuable = monetary or clv z &gt;= t; frequent = frequency z &gt;= t; infrequent = frequency z &lt;= -t;
/// recent joiner = tenure z &lt;= -t; discount-driven = discount z &gt;= t; big basket = aov z &gt;= t.
/// The first matching rule names the segment:</para>
/// <list type="number">
/// <item>stale and (valuable or frequent): "at risk"</item>
/// <item>stale: "lapsed"</item>
/// <item>valuable and frequent: "high-value loyal"</item>
/// <item>recent joiner: "new"</item>
/// <item>discount-driven: "bargain hunters"</item>
/// <item>valuable or big basket: "big spenders"</item>
/// <item>frequent: "loyal"</item>
/// <item>infrequent: "occasional"</item>
/// </list>
/// <para>No rule matching: the (up to) two features with the largest |z| at or above t, as "high frequency, low recency_days";
/// none that far from the mean: "average". A name already taken by an earlier segment gets " 2", " 3", ...</para>
/// </summary>
public static class SegmentNamer
{
    private static readonly string[] RecencyNames = ["recency_days", "recency", "days_since_last_order", "days_since_last_purchase"];
    private static readonly string[] FrequencyNames = ["frequency", "orders", "order_count", "n_orders", "purchase_count"];
    private static readonly string[] MonetaryNames = ["monetary", "monetary_value", "revenue", "total_revenue", "spend", "total_spend"];
    private static readonly string[] ClvNames = ["clv", "predicted_clv", "expected_clv"];
    private static readonly string[] TenureNames = ["tenure_days", "tenure", "customer_age_days"];
    private static readonly string[] DiscountNames = ["discount_share", "price_sensitivity", "promo_share", "discount_rate", "coupon_share"];
    private static readonly string[] AovNames = ["aov", "avg_order_value", "average_order_value"];
    private static readonly string[] AliveNames = ["p_alive", "probability_alive"];
    private static readonly string[] ChurnNames = ["churn_risk"];

    /// <summary>Names for segments given in order (earlier segments keep the bare name when two match the same rule).</summary>
    /// <param name="featureNames">Feature names, in the order of each z-means array.</param>
    /// <param name="zMeans">Per segment, the mean z of each feature.</param>
    /// <param name="threshold">|z| from which a feature counts as high or low; positive.</param>
    /// <exception cref="ArgumentException">An array's length differs from the feature count, or the threshold is not positive.</exception>
    public static IReadOnlyList<string> Name(IReadOnlyList<string> featureNames, IReadOnlyList<double[]> zMeans, double threshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(zMeans);
        if (!(threshold > 0) || !double.IsFinite(threshold))
        {
            throw new ArgumentException($"The threshold must be a positive number; it is {threshold}.", nameof(threshold));
        }

        var names = new List<string>(zMeans.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        for (var s = 0; s < zMeans.Count; s++)
        {
            var z = zMeans[s];
            if (z is null || z.Length != featureNames.Count)
            {
                throw new ArgumentException($"Segment {s} has {z?.Length ?? 0} z-means; there are {featureNames.Count} features.", nameof(zMeans));
            }

            var name = NameOne(featureNames, z, threshold);
            var candidate = name;
            for (var suffix = 2; !used.Add(candidate); suffix++)
            {
                candidate = string.Create(CultureInfo.InvariantCulture, $"{name} {suffix}");
            }

            names.Add(candidate);
        }

        return names;
    }

    private static string NameOne(IReadOnlyList<string> featureNames, double[] z, double t)
    {
        bool High(string[] aliases) => Find(featureNames, z, aliases) is { } v && v >= t;
        bool Low(string[] aliases) => Find(featureNames, z, aliases) is { } v && v <= -t;

        var stale = High(RecencyNames) || Low(AliveNames) || High(ChurnNames);
        var valuable = High(MonetaryNames) || High(ClvNames);
        var frequent = High(FrequencyNames);

        if (stale && (valuable || frequent))
        {
            return "at risk";
        }

        if (stale)
        {
            return "lapsed";
        }

        if (valuable && frequent)
        {
            return "high-value loyal";
        }

        if (Low(TenureNames))
        {
            return "new";
        }

        if (High(DiscountNames))
        {
            return "bargain hunters";
        }

        if (valuable || High(AovNames))
        {
            return "big spenders";
        }

        if (frequent)
        {
            return "loyal";
        }

        if (Low(FrequencyNames))
        {
            return "occasional";
        }

        return Describe(featureNames, z, t);
    }

    private static double? Find(IReadOnlyList<string> featureNames, double[] z, string[] aliases)
    {
        foreach (var alias in aliases)
        {
            for (var j = 0; j < featureNames.Count; j++)
            {
                if (string.Equals(featureNames[j], alias, StringComparison.OrdinalIgnoreCase))
                {
                    return z[j];
                }
            }
        }

        return null;
    }

    private static string Describe(IReadOnlyList<string> featureNames, double[] z, double t)
    {
        var top = Enumerable.Range(0, z.Length)
            .Where(j => Math.Abs(z[j]) >= t)
            .OrderByDescending(j => Math.Abs(z[j]))
            .ThenBy(j => j)
            .Take(2)
            .Select(j => (z[j] > 0 ? "high " : "low ") + featureNames[j])
            .ToList();
        return top.Count == 0 ? "average" : string.Join(", ", top);
    }
}
