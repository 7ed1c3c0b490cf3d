namespace PromoPilot.Campaigns.Pricing;

/// <summary>One line of a basket: an item of a category, its unit price and quantity.</summary>
public sealed record BasketLine(string Sku, string Category, decimal UnitPrice, int Quantity);

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
}

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
/// <param name="Skus">Items in scope; with <paramref name="Categories"/> both null the scope is the whole cart.</param>
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
    bool StopFurtherRules = false)
{
    /// <summary>True when the rule applies to every line.</summary>
    public bool WholeCart => Skus is null && Categories is null;

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
}
