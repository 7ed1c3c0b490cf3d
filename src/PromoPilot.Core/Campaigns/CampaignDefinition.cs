using System.Globalization;

namespace PromoPilot.Core.Campaigns;

/// <summary>Where a campaign is in its life: <c>draft → forecast → approved → live → finished</c> (see docs/campaigns.md).</summary>
public enum CampaignStatus
{
    Draft,
    Forecast,
    Approved,
    Live,
    Paused,
    Finished,
}

/// <summary>What an offer gives. The pricing function (PromoPilot.Campaigns.Pricing) says exactly how each applies to a basket.</summary>
public enum OfferType
{
    /// <summary><see cref="OfferDefinition.Percent"/> off the lines in scope, at most <see cref="OfferDefinition.Cap"/>.</summary>
    PercentOff,

    /// <summary><see cref="OfferDefinition.Amount"/> off the lines in scope.</summary>
    AmountOff,

    /// <summary>Spend X save Y with tiers (<see cref="OfferDefinition.Tiers"/>).</summary>
    SpendThreshold,

    /// <summary>Buy <see cref="OfferDefinition.BuyQuantity"/> get <see cref="OfferDefinition.FreeQuantity"/> free.</summary>
    BuyXGetY,

    /// <summary>The items in scope together for <see cref="OfferDefinition.Price"/>.</summary>
    BundlePrice,

    /// <summary>Shipping waived (its cost is <see cref="OfferDefinition.Amount"/>).</summary>
    FreeShipping,

    /// <summary><see cref="OfferDefinition.GiftItem"/> free with a qualifying basket.</summary>
    GiftWithPurchase,

    /// <summary>Members pay <see cref="OfferDefinition.Price"/> per unit for the items in scope.</summary>
    MemberPrice,

    /// <summary><see cref="OfferDefinition.Price"/> per unit for the items in scope, within the campaign window, while <see cref="OfferDefinition.Stock"/> lasts.</summary>
    FlashSale,

    /// <summary>An introductory discount on a new product: <see cref="OfferDefinition.Percent"/> or <see cref="OfferDefinition.Amount"/> off it.</summary>
    LaunchOffer,
}

/// <summary>A spend-X-save-Y tier: spending at least <paramref name="Threshold"/> in scope saves <paramref name="Save"/>.</summary>
public sealed record OfferTier(decimal Threshold, decimal Save);

/// <summary>What an offer applies to: items, categories, brands; all null means the whole cart.</summary>
public sealed record OfferScope(IReadOnlyList<string>? Items = null, IReadOnlyList<string>? Categories = null, IReadOnlyList<string>? Brands = null)
{
    /// <summary>True when the offer applies to every line.</summary>
    public bool WholeCart => Items is null && Categories is null && Brands is null;
}

/// <summary>
/// One offer of a campaign: what it gives, on what, its stacking and its own limits. Only the fields of its
/// <see cref="Type"/> are read; <see cref="Problems"/> names every field that is missing or contradicts another.
/// </summary>
/// <param name="Id">Unique within the campaign.</param>
/// <param name="Type">What the offer gives.</param>
/// <param name="Name">Shown to shoppers and in reports.</param>
/// <param name="Percent">Share off in (0, 1] (percent off, launch offer).</param>
/// <param name="Cap">Most a percent-off gives per order; null = no cap.</param>
/// <param name="Amount">Amount off (amount off, launch offer), or the shipping cost waived (free shipping).</param>
/// <param name="Tiers">Spend-threshold tiers, thresholds and savings both strictly increasing.</param>
/// <param name="BuyQuantity">X of buy X get Y.</param>
/// <param name="FreeQuantity">Y of buy X get Y.</param>
/// <param name="Price">Bundle, member or flash-sale price.</param>
/// <param name="GiftItem">The free item of a gift with purchase.</param>
/// <param name="GiftValue">What the gift costs the merchant.</param>
/// <param name="Scope">What the offer applies to; null = whole cart.</param>
/// <param name="MinimumBasket">Applies only when the basket reaches this subtotal.</param>
/// <param name="Priority">Higher applies (and ranks, all else equal) first.</param>
/// <param name="ExclusiveGroup">At most one offer of a group applies to a basket.</param>
/// <param name="StopFurtherRules">Once this offer applies, no later one does.</param>
/// <param name="Stock">Units available (flash sale); null = unlimited.</param>
/// <param name="PerUserLimit">Redemptions of this offer per user; null = the campaign's.</param>
/// <param name="Budget">Money this offer may give away in total; null = only the campaign's budget.</param>
/// <param name="FeaturedItems">Items the offer features (shown beside it; recommendations rank them per shopper).</param>
/// <param name="ExpectedCost">What one redemption costs on average (the discount given), used for ranking, forecasts
/// and budget reservation; null = derived from the offer (amount, cap, tier, price gap) where it can be.</param>
/// <param name="Margin">Expected margin per incremental conversion (for ranking by profit); null = not known.</param>
public sealed record OfferDefinition(
    string Id,
    OfferType Type,
    string? Name = null,
    decimal? Percent = null,
    decimal? Cap = null,
    decimal? Amount = null,
    IReadOnlyList<OfferTier>? Tiers = null,
    int? BuyQuantity = null,
    int? FreeQuantity = null,
    decimal? Price = null,
    string? GiftItem = null,
    decimal? GiftValue = null,
    OfferScope? Scope = null,
    decimal MinimumBasket = 0,
    int Priority = 0,
    string? ExclusiveGroup = null,
    bool StopFurtherRules = false,
    int? Stock = null,
    int? PerUserLimit = null,
    decimal? Budget = null,
    IReadOnlyList<string>? FeaturedItems = null,
    decimal? ExpectedCost = null,
    decimal? Margin = null)
{
    /// <summary>
    /// What one redemption costs: <see cref="ExpectedCost"/> when given, else what the offer's own fields fix (amount,
    /// cap, the highest tier's saving, the gift's value); null when only the basket decides (uncapped percent, prices).
    /// </summary>
    public decimal? CostPerRedemption => ExpectedCost ?? Type switch
    {
        OfferType.AmountOff or OfferType.FreeShipping => Amount,
        OfferType.LaunchOffer when Amount is not null => Amount,
        OfferType.PercentOff or OfferType.LaunchOffer => Cap,
        OfferType.SpendThreshold => Tiers is { Count: > 0 } ? Tiers[^1].Save : null,
        OfferType.GiftWithPurchase => GiftValue,
        _ => null,
    };

    /// <summary>Every problem with the offer (empty when valid), each starting with the field's path.</summary>
    public IReadOnlyList<string> Problems(string path = "offer")
    {
        var problems = new List<string>();
        void Need(bool ok, string field, string reason)
        {
            if (!ok)
            {
                problems.Add($"{path}.{field}: {reason}");
            }
        }

        Need(!string.IsNullOrWhiteSpace(Id), "id", "missing");
        Need(MinimumBasket >= 0, "minimum_basket", $"{MinimumBasket} is negative");
        Need(Stock is null or >= 0, "stock", $"{Stock} is negative");
        Need(PerUserLimit is null or >= 1, "per_user_limit", $"{PerUserLimit} must be at least 1");
        Need(Budget is null or >= 0, "budget", $"{Budget} is negative");
        Need(ExpectedCost is null or >= 0, "expected_cost", $"{ExpectedCost} is negative");
        Need(Cap is null or >= 0, "cap", $"{Cap} is negative");
        switch (Type)
        {
            case OfferType.PercentOff:
                Need(Percent is > 0 and <= 1, "percent", $"must lie in (0, 1], not {Show(Percent)}");
                break;
            case OfferType.AmountOff:
            case OfferType.FreeShipping:
                Need(Amount is > 0, "amount", $"must be positive, not {Show(Amount)}");
                break;
            case OfferType.LaunchOffer:
                Need((Percent is > 0 and <= 1) ^ (Amount is > 0), "percent", "a launch offer needs exactly one of percent in (0, 1] or a positive amount");
                Need(Percent is null || Amount is null, "amount", "a launch offer gives a percent or an amount, not both");
                Need(Scope is { Items.Count: > 0 }, "scope.items", "a launch offer names the new items it applies to");
                break;
            case OfferType.SpendThreshold:
                Need(Tiers is { Count: > 0 }, "tiers", "at least one tier is needed");
                for (var t = 0; Tiers is not null && t < Tiers.Count; t++)
                {
                    Need(Tiers[t].Save > 0 && Tiers[t].Save <= Tiers[t].Threshold, $"tiers[{t}]", $"save {Tiers[t].Save} must be positive and at most the threshold {Tiers[t].Threshold}");
                    Need(t == 0 || (Tiers[t].Threshold > Tiers[t - 1].Threshold && Tiers[t].Save > Tiers[t - 1].Save), $"tiers[{t}]", "thresholds and savings must both increase (tiers not increasing)");
                }

                break;
            case OfferType.BuyXGetY:
                Need(BuyQuantity is >= 1, "buy_quantity", $"must be at least 1, not {Show(BuyQuantity)}");
                Need(FreeQuantity is >= 1, "free_quantity", $"must be at least 1, not {Show(FreeQuantity)}");
                break;
            case OfferType.BundlePrice:
                Need(Price is > 0, "price", $"must be positive, not {Show(Price)}");
                Need(Scope is { Items.Count: >= 2 }, "scope.items", "a bundle names at least two items");
                break;
            case OfferType.MemberPrice:
            case OfferType.FlashSale:
                Need(Price is > 0, "price", $"must be positive, not {Show(Price)}");
                Need(Scope is { WholeCart: false }, "scope", "a price applies to items, categories or brands, not the whole cart");
                break;
            case OfferType.GiftWithPurchase:
                Need(!string.IsNullOrWhiteSpace(GiftItem), "gift_item", "missing");
                Need(GiftValue is >= 0, "gift_value", $"must be given and not negative, not {Show(GiftValue)}");
                break;
        }

        return problems;
    }

    private static string Show<T>(T? value)
        where T : struct, IFormattable => value?.ToString(null, CultureInfo.InvariantCulture) ?? "missing";
}

/// <summary>A per-user frequency cap: at most <paramref name="Count"/> impressions in any <paramref name="WindowHours"/>.</summary>
public sealed record FrequencyCap(int Count, int WindowHours);

/// <summary>
/// A campaign: who it targets, when and where, its offers, limits and holdout. The same record is the campaign file
/// (<c>promopilot campaign create --file</c>), the <c>/v1/campaigns</c> body and what the decision engine serves; JSON
/// is snake_case (<see cref="CampaignJson"/>).
/// </summary>
/// <param name="Id">Stable id, unique in the store.</param>
/// <param name="Name">Readable name.</param>
/// <param name="Status">Where the campaign is in its life.</param>
/// <param name="Offers">At least one.</param>
/// <param name="Starts">First moment it is live; null = as soon as launched.</param>
/// <param name="Ends">It stops at this moment; null = until finished.</param>
/// <param name="Audience">Rule expression over profile fields (docs/rules.md); null = everyone.</param>
/// <param name="Segment">Named segment of the latest segmentation; null = any.</param>
/// <param name="Channels">Channels it runs on (web, app, email...); null = all.</param>
/// <param name="Placements">Placements it may fill (home_banner, cart...); null = all.</param>
/// <param name="Budget">Money the campaign may give away in total; null = unlimited.</param>
/// <param name="MaxRedemptions">Redemptions in total; null = unlimited.</param>
/// <param name="PerUserRedemptions">Redemptions per user over the campaign; null = unlimited.</param>
/// <param name="FrequencyCap">Impressions per user; null = uncapped.</param>
/// <param name="HoldoutFraction">Share of the targeted users kept as a randomized holdout, in [0, 1).</param>
/// <param name="FirstPurchaseOnly">Only users who have not bought before.</param>
/// <param name="Priority">Business priority: a ranking factor, higher first.</param>
/// <param name="Layer">Experiment layer for mutually exclusive campaigns; null = its own.</param>
/// <param name="Salt">Assignment salt; null = the id (changing it reshuffles the holdout).</param>
public sealed record CampaignDefinition(
    string Id,
    string Name,
    IReadOnlyList<OfferDefinition> Offers,
    CampaignStatus Status = CampaignStatus.Draft,
    DateTimeOffset? Starts = null,
    DateTimeOffset? Ends = null,
    string? Audience = null,
    string? Segment = null,
    IReadOnlyList<string>? Channels = null,
    IReadOnlyList<string>? Placements = null,
    decimal? Budget = null,
    int? MaxRedemptions = null,
    int? PerUserRedemptions = null,
    FrequencyCap? FrequencyCap = null,
    double HoldoutFraction = 0.1,
    bool FirstPurchaseOnly = false,
    int Priority = 0,
    string? Layer = null,
    string? Salt = null)
{
    /// <summary>
    /// Every problem with the campaign and its offers (empty when valid), each starting with the field's path. What
    /// needs the store (unknown segment, unknown items) or a rule schema is checked by the caller.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Need(bool ok, string field, string reason)
        {
            if (!ok)
            {
                problems.Add($"{field}: {reason}");
            }
        }

        Need(IsValidId(Id), "id", "must be 1-64 letters, digits, '-', '_' or '.'");
        Need(!string.IsNullOrWhiteSpace(Name), "name", "missing");
        Need(Starts is null || Ends is null || Ends > Starts, "ends", "the window ends before it starts");
        Need(Budget is null or >= 0, "budget", $"{Budget} is negative");
        Need(MaxRedemptions is null or >= 0, "max_redemptions", $"{MaxRedemptions} is negative");
        Need(PerUserRedemptions is null or >= 1, "per_user_redemptions", $"{PerUserRedemptions} must be at least 1");
        Need(FrequencyCap is null || (FrequencyCap.Count >= 1 && FrequencyCap.WindowHours >= 1), "frequency_cap", "count and window_hours must be at least 1");
        Need(HoldoutFraction is >= 0 and < 1, "holdout_fraction", $"{HoldoutFraction.ToString(CultureInfo.InvariantCulture)} must lie in [0, 1)");
        Need(Audience is null || !string.IsNullOrWhiteSpace(Audience), "audience", "empty rule (leave it out to target everyone)");
        Need(Offers is { Count: > 0 }, "offers", "at least one offer is needed");
        if (Offers is null)
        {
            return problems;
        }

        for (var i = 0; i < Offers.Count; i++)
        {
            if (Offers[i] is null)
            {
                problems.Add($"offers[{i}]: missing");
                continue;
            }

            problems.AddRange(Offers[i].Problems($"offers[{i}]"));
            Need(Offers[i].Budget is null || Budget is null || Offers[i].Budget <= Budget, $"offers[{i}].budget", $"{Offers[i].Budget} exceeds the campaign budget {Budget}");
        }

        foreach (var repeated in Offers.Where(o => o is not null).GroupBy(o => o.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"offers: id '{repeated.Key}' used by {repeated.Count()} offers");
        }

        return problems;
    }

    /// <summary>True when <paramref name="id"/> is 1-64 letters, digits, '-', '_' or '.'.</summary>
    public static bool IsValidId(string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>True when the campaign serves at <paramref name="now"/>: live and inside its window.</summary>
    public bool IsLiveAt(DateTimeOffset now) =>
        Status == CampaignStatus.Live && (Starts is null || now >= Starts) && (Ends is null || now < Ends);
}
