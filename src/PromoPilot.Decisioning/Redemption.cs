using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;

namespace PromoPilot.Decisioning;

/// <summary>An offer a decision granted, as kept for its redemption.</summary>
public sealed record GrantedOffer(string CampaignId, string OfferId, decimal? CostPerRedemption);

/// <summary>What a decision granted, sealed into its decision id (<see cref="DecisionTokens"/>) so it can be redeemed later.</summary>
public sealed record DecisionRecord(string DecisionId, string UserId, DateTimeOffset DecidedAt, IReadOnlyList<GrantedOffer> Offers)
{
    public static DecisionRecord From(Decision decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var granted = new List<GrantedOffer>(decision.Offers.Count);
        foreach (var offer in decision.Offers)
        {
            if (!offer.Fallback)
            {
                granted.Add(new GrantedOffer(offer.CampaignId, offer.OfferId, offer.CostPerRedemption));
            }
        }

        return new DecisionRecord(decision.DecisionId, decision.UserId, decision.DecidedAt, granted);
    }

}

/// <summary>Turns a redeem call into a <see cref="RedemptionClaim"/> with every limit of the campaign and offer.</summary>
public static class Redemptions
{
    /// <summary>
    /// The claim for redeeming <paramref name="offerId"/> of a decision, charging <paramref name="amount"/> (the discount
    /// given) or, when null, the offer's cost per redemption.
    /// </summary>
    /// <exception cref="ArgumentException">The decision did not grant the offer, or the amount is missing, negative, or above the offer's most.</exception>
    public static RedemptionClaim Claim(DecisionRecord decision, string offerId, decimal? amount, string idempotencyKey, CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(campaign);
        var granted = decision.Offers.FirstOrDefault(o => o.OfferId == offerId && o.CampaignId == campaign.Id)
            ?? throw new ArgumentException($"decision {decision.DecisionId} did not grant offer '{offerId}' (granted: {string.Join(", ", decision.Offers.Select(o => o.OfferId))})", nameof(offerId));
        var offer = campaign.Offers.FirstOrDefault(o => o.Id == offerId)
            ?? throw new ArgumentException($"campaign '{campaign.Id}' no longer has offer '{offerId}'", nameof(offerId));
        var charged = amount ?? granted.CostPerRedemption
            ?? throw new ArgumentException($"amount: offer '{offerId}' has no fixed cost per redemption, so the redeem call must give the discount amount", nameof(amount));
        if (charged < 0 || charged > 10_000_000)
        {
            throw new ArgumentException($"amount: {charged} must lie in [0, 10000000]", nameof(amount));
        }

        if (MostPerRedemption(offer) is { } most && charged > most)
        {
            throw new ArgumentException($"amount: {charged} is more than offer '{offerId}' can give ({most})", nameof(amount));
        }

        return new RedemptionClaim(
            idempotencyKey,
            decision.UserId,
            campaign.Id,
            offerId,
            Cents(charged),
            campaign.Budget is { } b ? Cents(b) : null,
            campaign.MaxRedemptions,
            campaign.PerUserRedemptions,
            offer.Budget is { } ob ? Cents(ob) : null,
            offer.Stock,
            offer.PerUserLimit);
    }

    private static decimal? MostPerRedemption(OfferDefinition offer) => offer.Type switch
    {
        OfferType.AmountOff or OfferType.FreeShipping => offer.Amount,
        OfferType.PercentOff => offer.Cap,
        OfferType.SpendThreshold => offer.Tiers is { Count: > 0 } tiers ? tiers[^1].Save : null,
        OfferType.GiftWithPurchase => offer.GiftValue,
        _ => null,
    };

    private static long Cents(decimal amount) => (long)decimal.Round(amount * 100m, 0, MidpointRounding.AwayFromZero);
}
