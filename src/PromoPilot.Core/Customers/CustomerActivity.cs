namespace PromoPilot.Core.Customers;

/// <summary>What one customer did before a cut-off: the raw aggregates a profile is computed from.</summary>
/// <remarks>Money is net of refunds; a day with several orders counts each order.</remarks>
public sealed record CustomerActivity(
    int UserKey,
    DateTime FirstPurchase,
    DateTime LastPurchase,
    int Orders,
    int PurchaseDays,
    decimal Revenue,
    decimal RefundedRevenue,
    decimal DiscountedSpend,
    decimal DiscountAmount,
    int CouponRedemptions,
    long Views,
    long CartAdds,
    IReadOnlyList<ShareOf> TopCategories,
    IReadOnlyList<ShareOf> TopBrands);

/// <summary>A name with its share (0..1) of a customer's spend.</summary>
public sealed record ShareOf(string Name, double Share);
