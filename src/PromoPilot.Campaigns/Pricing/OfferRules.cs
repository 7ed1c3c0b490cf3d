using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Pricing;

/// <summary>
/// The one mapping from the shared campaign model (<see cref="OfferDefinition"/>, <see cref="CampaignDefinition"/>) to
/// the pricing engine's <see cref="PromotionRule"/>s. Every offer type maps to one rule with the offer's id, scope
/// (items, categories, brands), minimum basket, exclusive group and "stop further rules".
/// </summary>
/// <remarks>
/// <para>A launch offer is a percent-off (with its cap) or an amount-off on its new items. A bundle's scope is its items
/// only. Limits that need counters (budgets, stock, redemption and per-user limits, the campaign window) are not
/// pricing's: the caller checks them and passes what is left of a flash sale's or member price's units in
/// <see cref="PricingContext.UnitLimits"/>.</para>
/// <para>Across campaigns (<see cref="FromCampaigns"/>) a rule's id is <c>campaign/offer</c> and rules order by the
/// campaign's priority, then the offer's: the rule priority is the dense rank of (campaign priority, offer priority).</para>
/// </remarks>
public static class OfferRules
{
    /// <summary>The rule for one offer, with <paramref name="id"/> (default: the offer's id) and <paramref name="priority"/> (default: the offer's).</summary>
    /// <exception cref="ArgumentException">The offer has problems (<see cref="OfferDefinition.Problems"/>, listed in the message).</exception>
    public static PromotionRule FromOffer(OfferDefinition offer, string? id = null, int? priority = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (offer.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"invalid offer '{offer.Id}': {string.Join("; ", problems)}", nameof(offer));
        }

        var scope = offer.Scope;
        var rule = new PromotionRule(
            id ?? offer.Id,
            Kind(offer),
            priority ?? offer.Priority,
            Skus: Set(scope?.Items),
            Categories: offer.Type == OfferType.BundlePrice ? null : Set(scope?.Categories),
            Brands: offer.Type == OfferType.BundlePrice ? null : Set(scope?.Brands),
            MinimumBasket: offer.MinimumBasket,
            ExclusiveGroup: offer.ExclusiveGroup,
            StopFurtherRules: offer.StopFurtherRules);
        return offer.Type switch
        {
            OfferType.PercentOff => rule with { Percent = offer.Percent!.Value, Cap = offer.Cap },
            OfferType.LaunchOffer when offer.Percent is { } percent => rule with { Percent = percent, Cap = offer.Cap },
            OfferType.AmountOff or OfferType.LaunchOffer or OfferType.FreeShipping => rule with { Amount = offer.Amount!.Value },
            OfferType.SpendThreshold => rule with { Tiers = [.. offer.Tiers!.Select(t => new ThresholdTier(t.Threshold, t.Save))] },
            OfferType.BuyXGetY => rule with { BuyQuantity = offer.BuyQuantity!.Value, FreeQuantity = offer.FreeQuantity!.Value },
            OfferType.BundlePrice or OfferType.MemberPrice or OfferType.FlashSale => rule with { Price = offer.Price!.Value },
            OfferType.GiftWithPurchase => rule with { GiftItem = offer.GiftItem, GiftValue = offer.GiftValue!.Value },
            _ => throw new ArgumentException($"offer '{offer.Id}': type {offer.Type} has no pricing rule", nameof(offer)),
        };
    }

    /// <summary>The rules of one campaign's offers (ids and priorities as in the campaign).</summary>
    /// <exception cref="ArgumentException">The campaign has problems (listed in the message).</exception>
    public static IReadOnlyList<PromotionRule> FromCampaign(CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (campaign.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException($"invalid campaign '{campaign.Id}': {string.Join("; ", problems)}", nameof(campaign));
        }

        return [.. campaign.Offers.Select(o => FromOffer(o))];
    }

    /// <summary>The rules of several campaigns' offers: ids <c>campaign/offer</c>, ordered by campaign priority, then offer priority.</summary>
    /// <exception cref="ArgumentException">A campaign has problems, or two campaigns share an id.</exception>
    public static IReadOnlyList<PromotionRule> FromCampaigns(IEnumerable<CampaignDefinition> campaigns)
    {
        ArgumentNullException.ThrowIfNull(campaigns);
        var list = campaigns.ToList();
        var problems = list.SelectMany(c => c.Problems().Select(p => $"{c.Id}: {p}")).ToList();
        problems.AddRange(list.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"campaign id '{g.Key}' used {g.Count()} times"));
        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid campaigns: {string.Join("; ", problems)}", nameof(campaigns));
        }

        var ranks = list.SelectMany(c => c.Offers.Select(o => (c.Priority, o.Priority))).Distinct().Order().Select((p, rank) => (p, rank)).ToDictionary(x => x.p, x => x.rank);
        return [.. list.SelectMany(c => c.Offers.Select(o => FromOffer(o, $"{c.Id}/{o.Id}", ranks[(c.Priority, o.Priority)])))];
    }

    /// <summary>The engine's kind for an offer type (a launch offer is a percent-off or an amount-off).</summary>
    public static PromotionKind Kind(OfferDefinition offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return offer.Type switch
        {
            OfferType.PercentOff => PromotionKind.PercentOff,
            OfferType.AmountOff => PromotionKind.AmountOff,
            OfferType.SpendThreshold => PromotionKind.SpendThreshold,
            OfferType.BuyXGetY => PromotionKind.BuyXGetY,
            OfferType.BundlePrice => PromotionKind.BundlePrice,
            OfferType.FreeShipping => PromotionKind.FreeShipping,
            OfferType.GiftWithPurchase => PromotionKind.GiftWithPurchase,
            OfferType.MemberPrice => PromotionKind.MemberPrice,
            OfferType.FlashSale => PromotionKind.FlashSale,
            OfferType.LaunchOffer => offer.Percent is not null ? PromotionKind.PercentOff : PromotionKind.AmountOff,
            _ => throw new ArgumentException($"offer '{offer.Id}': unknown type {offer.Type}", nameof(offer)),
        };
    }

    private static HashSet<string>? Set(IReadOnlyList<string>? values) => values is null ? null : new HashSet<string>(values, StringComparer.Ordinal);
}
