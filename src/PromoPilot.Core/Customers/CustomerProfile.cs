namespace PromoPilot.Core.Customers;

/// <summary>A customer as of a cut-off: RFM with scores and group, value, rhythm, affinities, price sensitivity, activity.</summary>
public sealed record CustomerProfile(
    int UserKey,
    double RecencyDays,
    int Frequency,
    decimal Monetary,
    decimal AverageOrderValue,
    double TenureDays,
    double? InterPurchaseDays,
    int RecencyScore,
    int FrequencyScore,
    int MonetaryScore,
    string RfmGroup,
    double DiscountShare,
    double DiscountDepth,
    int CouponRedemptions,
    long Views,
    long CartAdds,
    IReadOnlyList<ShareOf> TopCategories,
    IReadOnlyList<ShareOf> TopBrands)
{
    /// <summary>Names of the numeric features, in the order of <see cref="Features"/>.</summary>
    public static readonly IReadOnlyList<string> FeatureNames =
    [
        "recency_days", "frequency", "monetary", "aov", "tenure_days", "inter_purchase_days", "r_score", "f_score", "m_score",
        "discount_share", "discount_depth", "coupon_redemptions", "views", "cart_adds",
    ];

    /// <summary>The profile's numeric features by the names rules and segmentation use (inter-purchase time NaN when undefined).</summary>
    public IReadOnlyDictionary<string, double> Features()
    {
        double[] values =
        [
            RecencyDays, Frequency, (double)Monetary, (double)AverageOrderValue, TenureDays, InterPurchaseDays ?? double.NaN,
            RecencyScore, FrequencyScore, MonetaryScore, DiscountShare, DiscountDepth, CouponRedemptions, Views, CartAdds,
        ];
        return FeatureNames.Zip(values).ToDictionary(f => f.First, f => f.Second, StringComparer.Ordinal);
    }
}
