namespace PromoPilot.Campaigns.Pricing;

/// <summary>One line of a basket: an item of a category (and brand, when known), its unit price and quantity.</summary>
public sealed record BasketLine(string Sku, string Category, decimal UnitPrice, int Quantity, string? Brand = null);

/// <summary>
/// What the caller knows about the shopper and the order beyond its lines. The caller's counters (stock, per-user
/// limits, budgets) decide how much a limited offer may still give; pricing only applies what they allow.
/// </summary>
/// <param name="IsMember">The shopper is a member: <see cref="PromotionKind.MemberPrice"/> applies only then.</param>
/// <param name="ShippingFee">The order's shipping fee, which <see cref="PromotionKind.FreeShipping"/> waives (up to the rule's
/// amount); null = the fee is the rule's amount.</param>
/// <param name="Floor">The least the basket may cost after discounts (e.g. 0.01 so no order is free); a basket whose
/// subtotal is below it gets no line discount. Default 0.</param>
/// <param name="UnitLimits">Per rule id, how many units a price rule (<see cref="PromotionKind.FlashSale"/>,
/// <see cref="PromotionKind.MemberPrice"/>) may still discount (the smaller of stock left and the shopper's per-user
/// limit left); rules not named are unlimited.</param>
public sealed record PricingContext(bool IsMember = false, decimal? ShippingFee = null, decimal Floor = 0, IReadOnlyDictionary<string, int>? UnitLimits = null)
{
    /// <summary>A non-member, no shipping fee known, floor 0, no unit limits.</summary>
    public static PricingContext Default { get; } = new();
}

/// <summary>What a promotion rule does to the lines it applies to.</summary>
public enum PromotionKind
{
    /// <summary><see cref="PromotionRule.Percent"/> off the lines in scope, at most <see cref="PromotionRule.Cap"/> in total ("10% off up to 50").</summary>
    PercentOff,

    /// <summary><see cref="PromotionRule.Amount"/> off the lines in scope (never more than they cost).</summary>
    AmountOff,

    /// <summary>Spend X save Y with tiers (满减): the highest tier whose threshold the lines in scope reach.</summary>
    SpendThreshold,

    /// <summary>Buy <see cref="PromotionRule.BuyQuantity"/> get <see cref="PromotionRule.FreeQuantity"/> free: in every group of
    /// X + Y units in scope, the cheapest Y are free.</summary>
    BuyXGetY,

    /// <summary>One unit of each item of <see cref="PromotionRule.Skus"/> together cost <see cref="PromotionRule.Price"/>: the
    /// basket holds as many bundles as its scarcest bundle item; each saves what its units still cost minus the price (never negative).</summary>
    BundlePrice,

    /// <summary>The order's shipping fee (<see cref="PricingContext.ShippingFee"/>) is waived, at most <see cref="PromotionRule.Amount"/>;
    /// an order-level benefit, not a line discount.</summary>
    FreeShipping,

    /// <summary><see cref="PromotionRule.GiftItem"/> (worth <see cref="PromotionRule.GiftValue"/> to the merchant) is added free when a
    /// line is in scope; an order-level benefit, not a line discount.</summary>
    GiftWithPurchase,

    /// <summary>Members (<see cref="PricingContext.IsMember"/>) pay <see cref="PromotionRule.Price"/> per unit in scope (never more than
    /// the unit still costs); non-members get nothing.</summary>
    MemberPrice,

    /// <summary><see cref="PromotionRule.Price"/> per unit in scope for at most the units the caller's counters allow
    /// (<see cref="PricingContext.UnitLimits"/>), the units saving most first.</summary>
    FlashSale,
}

/// <summary>What an order-level benefit is.</summary>
public enum BenefitKind
{
    /// <summary>The shipping fee waived.</summary>
    FreeShipping,

    /// <summary>A free gift item.</summary>
    Gift,
}

/// <summary>A benefit one rule gave the order as a whole (not a line discount): its kind, what it is worth, the gift item.</summary>
public sealed record OrderBenefit(string RuleId, BenefitKind Kind, decimal Value, string? Item = null);

/// <summary>A spend-X-save-Y tier: spending at least <paramref name="Threshold"/> on the lines in scope saves <paramref name="Save"/>.</summary>
public sealed record ThresholdTier(decimal Threshold, decimal Save);

/// <summary>
/// A promotion rule: what it gives, on which lines (items, categories, or the whole cart), and how it stacks.
/// Rules apply in order of <see cref="Priority"/> (higher first, then <see cref="Id"/>), each on what the lines still
/// cost after the rules before it, so no line ever goes below zero.
/// </summary>
/// <param name="Id">Unique rule id, reported with every discount it gives.</param>
/// <param name="Kind">What the rule does.</param>
/// <param name="Priority">Higher applies first.</param>
/// <param name="Skus">Items in scope; a line is in scope when its item, category or brand is listed, and with
/// <paramref name="Skus"/>, <paramref name="Categories"/> and <paramref name="Brands"/> all null the scope is the whole cart.</param>
/// <param name="Categories">Categories in scope.</param>
/// <param name="Percent">For <see cref="PromotionKind.PercentOff"/>: the share off, in (0, 1].</param>
/// <param name="Cap">For <see cref="PromotionKind.PercentOff"/>: the most it gives; null = no cap.</param>
/// <param name="Amount">For <see cref="PromotionKind.AmountOff"/>: the amount off.</param>
/// <param name="Tiers">For <see cref="PromotionKind.SpendThreshold"/>: thresholds and savings, both strictly increasing.</param>
/// <param name="BuyQuantity">For <see cref="PromotionKind.BuyXGetY"/>: X.</param>
/// <param name="FreeQuantity">For <see cref="PromotionKind.BuyXGetY"/>: Y.</param>
/// <param name="MinimumBasket">The rule applies only when the whole basket costs at least this (before discounts).</param>
/// <param name="ExclusiveGroup">At most one rule of a group gives a discount (the first, by priority, that gives one).</param>
/// <param name="StopFurtherRules">Once this rule gives a discount, no later rule applies.</param>
/// <param name="Brands">Brands in scope.</param>
/// <param name="Price">For <see cref="PromotionKind.BundlePrice"/> the bundle's price; for <see cref="PromotionKind.MemberPrice"/> and
/// <see cref="PromotionKind.FlashSale"/> the price per unit.</param>
/// <param name="GiftItem">For <see cref="PromotionKind.GiftWithPurchase"/>: the free item.</param>
/// <param name="GiftValue">For <see cref="PromotionKind.GiftWithPurchase"/>: what the gift costs the merchant.</param>
public sealed record PromotionRule(
    string Id,
    PromotionKind Kind,
    int Priority = 0,
    IReadOnlySet<string>? Skus = null,
    IReadOnlySet<string>? Categories = null,
    decimal Percent = 0,
    decimal? Cap = null,
    decimal Amount = 0,
    IReadOnlyList<ThresholdTier>? Tiers = null,
    int BuyQuantity = 0,
    int FreeQuantity = 0,
    decimal MinimumBasket = 0,
    string? ExclusiveGroup = null,
    bool StopFurtherRules = false,
    IReadOnlySet<string>? Brands = null,
    decimal Price = 0,
    string? GiftItem = null,
    decimal GiftValue = 0)
{
    /// <summary>True when the rule applies to every line.</summary>
    public bool WholeCart => Skus is null && Categories is null && Brands is null;

    /// <summary>Every problem with the rule (empty when it is valid), each naming the field.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("id: missing");
        }

        if (MinimumBasket < 0)
        {
            problems.Add($"{Id}: minimum_basket {MinimumBasket} is negative");
        }

        switch (Kind)
        {
            case PromotionKind.PercentOff when !(Percent > 0 && Percent <= 1):
                problems.Add($"{Id}: percent {Percent} must lie in (0, 1]");
                break;
            case PromotionKind.PercentOff when Cap is < 0:
                problems.Add($"{Id}: cap {Cap} is negative");
                break;
            case PromotionKind.AmountOff when Amount <= 0:
                problems.Add($"{Id}: amount {Amount} must be positive");
                break;
            case PromotionKind.SpendThreshold when Tiers is null || Tiers.Count == 0:
                problems.Add($"{Id}: tiers: at least one tier is needed");
                break;
            case PromotionKind.SpendThreshold:
                for (var t = 0; t < Tiers!.Count; t++)
                {
                    if (Tiers[t].Save <= 0 || Tiers[t].Save > Tiers[t].Threshold)
                    {
                        problems.Add($"{Id}: tiers[{t}]: save {Tiers[t].Save} must be positive and at most the threshold {Tiers[t].Threshold}");
                    }

                    if (t > 0 && (Tiers[t].Threshold <= Tiers[t - 1].Threshold || Tiers[t].Save <= Tiers[t - 1].Save))
                    {
                        problems.Add($"{Id}: tiers[{t}]: thresholds and savings must both increase (tiers not increasing)");
                    }
                }

                break;
            case PromotionKind.BuyXGetY when BuyQuantity < 1 || FreeQuantity < 1:
                problems.Add($"{Id}: buy_quantity and free_quantity must be at least 1");
                break;
            case PromotionKind.FreeShipping when Amount <= 0:
                problems.Add($"{Id}: amount {Amount} (the most shipping waived) must be positive");
                break;
            case PromotionKind.GiftWithPurchase when string.IsNullOrWhiteSpace(GiftItem) || GiftValue < 0:
                problems.Add($"{Id}: a gift needs a gift_item and a gift_value of at least 0");
                break;
        }

        if ((Kind is PromotionKind.BundlePrice or PromotionKind.MemberPrice or PromotionKind.FlashSale) && !(Price > 0))
        {
            problems.Add($"{Id}: price {Price} must be positive");
        }

        if (Kind == PromotionKind.BundlePrice && (Skus is not { Count: >= 2 } || Categories is not null || Brands is not null))
        {
            problems.Add($"{Id}: a bundle names at least two items and no categories or brands");
        }

        if ((Kind is PromotionKind.MemberPrice or PromotionKind.FlashSale) && WholeCart)
        {
            problems.Add($"{Id}: a price applies to items, categories or brands, not the whole cart");
        }

        return problems;
    }
}

/// <summary>The discount one rule gave one line.</summary>
public sealed record LineDiscount(int Line, string RuleId, decimal Amount);

/// <summary>A priced basket: every line's discount with the rule that gave it.</summary>
/// <param name="Subtotal">What the lines cost before discounts.</param>
/// <param name="TotalDiscount">Sum of <paramref name="Discounts"/>; never more than <paramref name="Subtotal"/>.</param>
/// <param name="Discounts">Per line (index into the basket) and rule.</param>
/// <param name="AppliedRules">Rules that gave a discount, in the order they applied.</param>
public sealed record PricingResult(decimal Subtotal, decimal TotalDiscount, IReadOnlyList<LineDiscount> Discounts, IReadOnlyList<string> AppliedRules)
{
    /// <summary>What the basket costs after discounts.</summary>
    public decimal Total => Subtotal - TotalDiscount;

    /// <summary>Order-level benefits (free shipping, gifts), in the order their rules applied.</summary>
    public IReadOnlyList<OrderBenefit> Benefits { get; init; } = [];
}
