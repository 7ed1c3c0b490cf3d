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
    /// <summary>The profile's numeric features by the names rules and segmentation use.</summary>
    public IReadOnlyDictionary<string, double> Features() => new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["recency_days"] = RecencyDays,
        ["frequency"] = Frequency,
        ["monetary"] = (double)Monetary,
        ["aov"] = (double)AverageOrderValue,
        ["tenure_days"] = TenureDays,
        ["inter_purchase_days"] = InterPurchaseDays ?? double.NaN,
        ["r_score"] = RecencyScore,
        ["f_score"] = FrequencyScore,
        ["m_score"] = MonetaryScore,
        ["discount_share"] = DiscountShare,
        ["discount_depth"] = DiscountDepth,
        ["coupon_redemptions"] = CouponRedemptions,
        ["views"] = Views,
        ["cart_adds"] = CartAdds,
    };
}
