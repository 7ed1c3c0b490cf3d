using PromoPilot.Core.Customers;

namespace PromoPilot.Features.Segments;

/// <summary>Which profile features customer segmentation clusters on, and how a profile becomes a feature row.</summary>
/// <remarks>
/// Inter-purchase time is left out: it is undefined for one-time buyers (most customers in retail data), and
/// imputing it would make them look like average repeat buyers. Constant features (no views in purchase-only
/// data, no CLV yet) are dropped by <see cref="Segmenter"/> and listed in its notes.
/// </remarks>
public static class ProfileSegmentation
{
    public static readonly IReadOnlyList<string> FeatureNames =
    [
        "recency_days", "frequency", "monetary", "aov", "tenure_days", "discount_share", "discount_depth",
        "coupon_redemptions", "views", "cart_adds", "clv",
    ];

    /// <param name="clv">CLV by customer (promopilot clv); customers without one get 0.</param>
    public static FeatureTable Table(IReadOnlyList<CustomerProfile> profiles, IReadOnlyDictionary<int, double> clv)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(clv);
        var rows = profiles.Select(p =>
        {
            var features = p.Features();
            var value = clv.GetValueOrDefault(p.UserKey);
            var values = FeatureNames.Select(n => n == "clv" ? value : features[n]).ToArray();
            return new FeatureRow(p.UserKey, values, (double)p.Monetary, value);
        }).ToList();
        return new FeatureTable(FeatureNames, rows);
    }
}
