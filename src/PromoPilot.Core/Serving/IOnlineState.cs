namespace PromoPilot.Core.Serving;

/// <summary>An impression to count against caps: the offer the engine wants to show one user.</summary>
/// <param name="UserId">The shopper.</param>
/// <param name="CampaignId">The offer's campaign.</param>
/// <param name="OfferId">The offer.</param>
/// <param name="CapCount">Impressions of the campaign allowed per user per window; null = uncapped.</param>
/// <param name="CapWindow">The cap's window (the counter expires this long after its first impression).</param>
public readonly record struct ImpressionClaim(string UserId, string CampaignId, string OfferId, int? CapCount, TimeSpan CapWindow);

/// <summary>
/// A redemption to grant atomically against every limit at once. Money is in whole cents so counters stay exact.
/// </summary>
/// <param name="IdempotencyKey">Repeating a redemption with the same key returns the first answer and spends nothing more.</param>
/// <param name="UserId">The shopper.</param>
/// <param name="CampaignId">The campaign whose budget pays.</param>
/// <param name="OfferId">The offer redeemed.</param>
/// <param name="AmountCents">The discount given, in cents (at least 0).</param>
/// <param name="CampaignBudgetCents">The campaign's budget in cents; null = unlimited.</param>
/// <param name="CampaignMaxRedemptions">Redemptions allowed in total; null = unlimited.</param>
/// <param name="PerUserRedemptions">Redemptions of the campaign allowed per user; null = unlimited.</param>
/// <param name="OfferBudgetCents">The offer's own budget in cents; null = none.</param>
/// <param name="OfferStock">Units of the offer available (one per redemption); null = unlimited.</param>
/// <param name="OfferPerUserLimit">Redemptions of the offer per user; null = unlimited.</param>
public sealed record RedemptionClaim(
    string IdempotencyKey,
    string UserId,
    string CampaignId,
    string OfferId,
    long AmountCents,
    long? CampaignBudgetCents,
    long? CampaignMaxRedemptions,
    long? PerUserRedemptions,
    long? OfferBudgetCents,
    long? OfferStock,
    long? OfferPerUserLimit);

/// <summary>What became of a redemption claim.</summary>
public enum RedemptionStatus
{
    Granted,
    CampaignBudgetExhausted,
    CampaignRedemptionLimit,
    UserLimit,
    OfferBudgetExhausted,
    OutOfStock,
    OfferUserLimit,
}

/// <summary>The answer to a redemption claim; <paramref name="Replayed"/> when it repeats an earlier answer for the same key.</summary>
public readonly record struct RedemptionOutcome(RedemptionStatus Status, long AmountCents, bool Replayed);

/// <summary>What a campaign has spent so far.</summary>
public readonly record struct CampaignSpend(long SpentCents, long Redemptions);

/// <summary>
/// The fast, shared state of the decision service: counters, caps, idempotency keys, online feature deltas and sticky
/// assignments. In-process by default; Redis when several servers share the load (every operation then is one atomic
/// script, so limits hold exactly across servers).
/// </summary>
public interface IOnlineState
{
    /// <summary>
    /// Counts an impression when the user's campaign cap allows it; false (and nothing counted) when the cap is reached.
    /// </summary>
    ValueTask<bool> TryClaimImpressionAsync(ImpressionClaim claim, CancellationToken cancellationToken = default);

    /// <summary>Grants a redemption if every limit allows it, atomically; replays the first answer for a repeated key.</summary>
    ValueTask<RedemptionOutcome> RedeemAsync(RedemptionClaim claim, CancellationToken cancellationToken = default);

    /// <summary>What the campaign has spent; zeros when nothing yet.</summary>
    ValueTask<CampaignSpend> GetSpendAsync(string campaignId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores <paramref name="value"/> under <paramref name="key"/> unless a value is there already; returns the value
    /// that is stored afterwards (the earlier one for a repeated key). Used for decisions and their idempotency keys.
    /// </summary>
    ValueTask<string> GetOrAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The value stored under <paramref name="key"/>, or null when none (or expired).</summary>
    ValueTask<string?> GetAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="deltas"/> to the user's online features (views, cart adds, purchases since the profile build).</summary>
    ValueTask AddFeaturesAsync(string userId, IReadOnlyList<KeyValuePair<string, double>> deltas, CancellationToken cancellationToken = default);

    /// <summary>The user's online feature deltas; empty when none.</summary>
    ValueTask<IReadOnlyDictionary<string, double>> GetFeaturesAsync(string userId, CancellationToken cancellationToken = default);
}
