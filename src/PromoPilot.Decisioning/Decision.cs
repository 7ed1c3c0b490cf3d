using PromoPilot.Decisioning.Scoring;

namespace PromoPilot.Decisioning;

/// <summary>
/// How an offer's score was made: the model's conversion chances, the money terms, and the switchable factors.
/// <c>Total = ValueWeight × IncrementalProfit + PriorityWeight × Priority + AffinityWeight × Affinity</c>.
/// </summary>
/// <param name="BaselineProbability">P(convert) without the offer.</param>
/// <param name="Uplift">P(convert | offer) − P(convert | no offer).</param>
/// <param name="IncrementalMargin">Uplift × margin per conversion.</param>
/// <param name="ExpectedCost">P(convert | offer) × cost per redemption: discounts to shoppers who would have bought anyway count.</param>
/// <param name="IncrementalProfit">IncrementalMargin − ExpectedCost.</param>
/// <param name="Priority">Campaign plus offer priority.</param>
/// <param name="Affinity">The shopper's affinity to the offer's categories and featured items, in [0, 1].</param>
/// <param name="Total">The ranking score.</param>
public sealed record ScoreComponents(
    double BaselineProbability,
    double Uplift,
    double IncrementalMargin,
    double ExpectedCost,
    double IncrementalProfit,
    double Priority,
    double Affinity,
    double Total);

/// <summary>An offer chosen for the shopper.</summary>
/// <param name="Rank">1 = best.</param>
/// <param name="CampaignId">Its campaign.</param>
/// <param name="OfferId">The offer.</param>
/// <param name="Type">Its type, snake_case.</param>
/// <param name="Name">Its name.</param>
/// <param name="CostPerRedemption">What a redemption is charged to the budget when the redeem call names no amount.</param>
/// <param name="FeaturedItems">Items to show with it, ranked for the shopper.</param>
/// <param name="Score">How it ranked.</param>
/// <param name="Fallback">True for the fallback offer served when nothing qualified.</param>
public sealed record OfferDecision(
    int Rank,
    string CampaignId,
    string OfferId,
    string Type,
    string? Name,
    decimal? CostPerRedemption,
    IReadOnlyList<string> FeaturedItems,
    ScoreComponents? Score,
    bool Fallback = false);

/// <summary>One campaign or offer the engine looked at, and what became of it.</summary>
/// <param name="Outcome">selected, eligible (ranked below the chosen ones), or rejected.</param>
/// <param name="Reasons">Rules passed and failed, in order ("audience: recency_days &lt; 90 passed", "frequency_cap: 3 per 24 h reached").</param>
public sealed record TraceEntry(string CampaignId, string? OfferId, string Outcome, IReadOnlyList<string> Reasons, ScoreComponents? Score);

/// <summary>Why the decision came out as it did.</summary>
/// <param name="Model">The effect model that scored, or "none".</param>
/// <param name="CatalogVersion">The campaign catalog the decision used.</param>
/// <param name="CampaignsConsidered">Live campaigns for the placement.</param>
/// <param name="OffersConsidered">Their offers.</param>
/// <param name="Rejections">Rejected offers by reason.</param>
/// <param name="Entries">Selected offers always; every offer when the request asked to explain.</param>
/// <param name="Contributions">Feature contributions to the uplift of the top offer (log-odds), largest first.</param>
public sealed record DecisionTrace(
    string Model,
    long CatalogVersion,
    int CampaignsConsidered,
    int OffersConsidered,
    IReadOnlyDictionary<string, int> Rejections,
    IReadOnlyList<TraceEntry> Entries,
    IReadOnlyList<FeatureContribution> Contributions);

/// <summary>The answer to a <see cref="DecisionRequest"/>.</summary>
/// <param name="DecisionId">Unique; redeem with it.</param>
/// <param name="Offers">Ranked offers (the fallback alone when nothing qualified; empty when there is no fallback).</param>
/// <param name="Items">Recommended items for the shopper.</param>
/// <param name="Variants">Arm per campaign considered (treatment or holdout) and variant per experiment.</param>
/// <param name="KnownUser">False when the store has no profile for the shopper (cold start).</param>
public sealed record Decision(
    string DecisionId,
    string UserId,
    string Placement,
    DateTimeOffset DecidedAt,
    IReadOnlyList<OfferDecision> Offers,
    IReadOnlyList<ScoredItem> Items,
    IReadOnlyDictionary<string, string> Variants,
    bool KnownUser,
    DecisionTrace Trace);
