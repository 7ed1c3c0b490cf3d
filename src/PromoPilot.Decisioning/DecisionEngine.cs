using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Decisioning;

/// <summary>
/// The decision pipeline (docs/decision-service.md): live campaigns for the placement → eligibility (window, channel,
/// audience rule, first purchase, holdout, minimum basket, membership, budget left) → scoring (expected incremental
/// profit from the effect model, business priority, affinity) → ranking → frequency caps → fallback → experiment
/// variants, with a reason trace. <see cref="Rank"/> is pure; <see cref="DecideAsync"/> adds the caps and sticky
/// assignments held in <see cref="IOnlineState"/>, so the CLI replays a logged request with in-process state.
/// </summary>
public sealed class DecisionEngine
{
    private static readonly IReadOnlyDictionary<string, double> NoFeatures = new Dictionary<string, double>();
    private const string FallbackCampaign = "fallback";
    private const string FrequencyCapCheck = "frequency_cap";
    private readonly Assigner[] _experiments;
    private readonly bool _needsOnlineFeatures;

    /// <exception cref="ArgumentException">The options are invalid (the message names each).</exception>
    public DecisionEngine(LiveCatalog catalog, LinearUpliftModel? model = null, IEnumerable<ExperimentDefinition>? experiments = null, DecisionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Options = options ?? new DecisionOptions();
        var problems = Options.Problems();
        if (problems.Count > 0)
        {
            throw new ArgumentException($"invalid decision options: {string.Join("; ", problems)}", nameof(options));
        }

        Catalog = catalog;
        Model = model;
        _experiments = [.. (experiments ?? []).Select(e => new Assigner(e))];
        _needsOnlineFeatures = catalog.NeedsOnlineFeatures || _experiments.Any(e => e.Definition.Targeting is not null);
    }

    public LiveCatalog Catalog { get; }

    public LinearUpliftModel? Model { get; }

    public DecisionOptions Options { get; }

    /// <summary>
    /// Ranks the offers for a request: every eligible offer with its score, best first, and the trace. Pure: the same
    /// inputs give the same answer.
    /// </summary>
    /// <param name="user">The shopper's snapshot; null for a shopper the store does not know.</param>
    /// <param name="online">Online feature deltas from the event API (views, cart_adds, purchases).</param>
    /// <param name="spend">What each campaign has spent (a recent snapshot: redemption enforces limits exactly).</param>
    public Ranking Rank(DecisionRequest request, UserSnapshot? user, IReadOnlyDictionary<string, double>? online, IReadOnlyDictionary<string, CampaignSpend>? spend, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        online ??= NoFeatures;
        var context = new DecisionRuleContext(user, request, online);
        var campaigns = Catalog.ForPlacement(request.Placement);
        var prediction = Model?.Predict(user?.Features ?? NoFeatures, withContributions: true);
        var orderValue = (double)(user?.AverageOrderValue(Options.DefaultOrderValue) ?? Options.DefaultOrderValue);
        var cartValue = request.CartValue;
        var eligible = new List<Candidate>();
        var rejected = request.Explain ? new List<TraceEntry>() : null;
        var rejections = new Dictionary<string, int>(StringComparer.Ordinal);
        var arms = new Dictionary<string, string>(StringComparer.Ordinal);
        var offersConsidered = 0;
        foreach (var campaign in campaigns)
        {
            var definition = campaign.Definition;
            offersConsidered += campaign.Offers.Length;
            var failed = CampaignRejection(campaign, request, user, context, online, spend, now);
            if (failed is { } check)
            {
                rejections[check.Key] = rejections.GetValueOrDefault(check.Key) + campaign.Offers.Length;
                if (check.Key == CompiledCampaign.HoldoutCheck)
                {
                    arms[definition.Id] = CampaignHoldout.Holdout;
                }

                if (rejected is not null)
                {
                    var reasons = campaign.ReasonsUntil(check);
                    foreach (var offer in campaign.Offers)
                    {
                        rejected.Add(new TraceEntry(definition.Id, offer.Id, "rejected", reasons, null));
                    }
                }

                continue;
            }

            arms[definition.Id] = CampaignHoldout.Treatment;
            foreach (var offer in campaign.Offers)
            {
                if (OfferRejection(offer, request, cartValue, spend) is { } offerCheck)
                {
                    rejections[offerCheck.Key] = rejections.GetValueOrDefault(offerCheck.Key) + 1;
                    rejected?.Add(new TraceEntry(definition.Id, offer.Id, "rejected", [.. campaign.Passed, offerCheck.Failed], null));
                    continue;
                }

                var score = Score(offer, user, prediction, orderValue);
                eligible.Add(new Candidate(offer, score, campaign.Passed));
            }
        }

        eligible.Sort((a, b) =>
        {
            var byScore = b.Score.Total.CompareTo(a.Score.Total);
            if (byScore != 0)
            {
                return byScore;
            }

            var byCampaign = string.CompareOrdinal(a.Offer.Campaign.Id, b.Offer.Campaign.Id);
            return byCampaign != 0 ? byCampaign : string.CompareOrdinal(a.Offer.Id, b.Offer.Id);
        });
        return new Ranking(eligible, (IReadOnlyList<TraceEntry>?)rejected ?? [], rejections, arms, campaigns.Length, offersConsidered, prediction);
    }

    /// <summary>
    /// Decides: ranks, then takes offers best first (one per campaign) while each campaign's frequency cap allows an
    /// impression, serves the fallback when none qualifies, assigns experiment variants (sticky in the online state).
    /// </summary>
    public async ValueTask<Decision> DecideAsync(
        string decisionId,
        DecisionRequest request,
        UserSnapshot? user,
        IOnlineState state,
        IReadOnlyDictionary<string, CampaignSpend>? spend,
        DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        // One round trip saved when no campaign or experiment rule reads the online features.
        var online = _needsOnlineFeatures
            ? await state.GetFeaturesAsync(request.UserId, cancellationToken).ConfigureAwait(false)
            : NoFeatures;
        var ranking = Rank(request, user, online, spend, now);
        var chosen = new List<(Candidate Candidate, List<string> Reasons)>();
        var capped = new List<TraceEntry>();
        var usedCampaigns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var candidate in ranking.Eligible)
        {
            if (chosen.Count >= request.Limit)
            {
                break;
            }

            var campaign = candidate.Offer.Campaign.Definition;
            if (!usedCampaigns.Add(campaign.Id))
            {
                continue;
            }

            var reasons = new List<string>(candidate.Reasons);
            if (campaign.FrequencyCap is { } cap)
            {
                var claim = new ImpressionClaim(request.UserId, campaign.Id, candidate.Offer.Id, cap.Count, TimeSpan.FromHours(cap.WindowHours));
                if (!await state.TryClaimImpressionAsync(claim, cancellationToken).ConfigureAwait(false))
                {
                    usedCampaigns.Remove(campaign.Id);
                    capped.Add(new TraceEntry(campaign.Id, candidate.Offer.Id, "rejected", [.. reasons, $"frequency_cap: {cap.Count} per {cap.WindowHours} h reached"], candidate.Score));
                    continue;
                }

                reasons.Add($"frequency_cap: {cap.Count} per {cap.WindowHours} h passed");
            }

            chosen.Add((candidate, reasons));
        }

        var offers = new List<OfferDecision>();
        var entries = new List<TraceEntry>();
        foreach (var (candidate, reasons) in chosen)
        {
            offers.Add(ToDecision(offers.Count + 1, candidate, user));
            entries.Add(new TraceEntry(candidate.Offer.Campaign.Id, candidate.Offer.Id, "selected", reasons, null)); // its score is on the offer
        }

        if (offers.Count == 0 && Options.Fallback is { } fallback)
        {
            offers.Add(new OfferDecision(1, FallbackCampaign, fallback.Id, Snake(fallback.Type), fallback.Name, fallback.CostPerRedemption, fallback.FeaturedItems ?? [], null, Fallback: true));
            entries.Add(new TraceEntry(FallbackCampaign, fallback.Id, "selected", ["fallback: no offer qualified"], null));
        }

        if (request.Explain)
        {
            var selected = chosen.Select(c => c.Candidate).ToHashSet();
            entries.AddRange(ranking.Eligible.Where(c => !selected.Contains(c)).Select(c => new TraceEntry(c.Offer.Campaign.Id, c.Offer.Id, "eligible", c.Reasons, c.Score)));
            entries.AddRange(capped);
            entries.AddRange(ranking.Rejected);
        }

        var rejections = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var (check, count) in ranking.Rejections)
        {
            rejections[check] = count;
        }

        if (capped.Count > 0)
        {
            rejections[FrequencyCapCheck] = rejections.GetValueOrDefault(FrequencyCapCheck) + capped.Count;
        }

        var variants = new Dictionary<string, string>(ranking.Arms, StringComparer.Ordinal);
        foreach (var experiment in _experiments)
        {
            var assignment = experiment.Definition.Targeting is null ? experiment.Assign(request.UserId) : experiment.Assign(request.UserId, new DecisionRuleContext(user, request, online));
            if (assignment.Variant is { } variant)
            {
                variants[assignment.ExperimentKey] = await state.GetOrAddAsync($"sticky:{assignment.ExperimentKey}:{request.UserId}", variant, TimeSpan.FromDays(90), cancellationToken).ConfigureAwait(false);
            }
        }

        var contributions = chosen.Count > 0 && ranking.Prediction is { } p
            ? p.Contributions.Where(c => c.Contribution != 0).OrderByDescending(c => Math.Abs(c.Contribution)).ThenBy(c => c.Feature, StringComparer.Ordinal).ToList()
            : [];
        var trace = new DecisionTrace(Model is null ? "none" : $"linear_uplift({Model.Values.Source})", Catalog.Version, ranking.CampaignsConsidered, ranking.OffersConsidered, rejections, entries, contributions);
        var items = user?.Recommendations.Take(Options.Items).ToList() ?? [];
        return new Decision(decisionId, request.UserId, request.Placement, now, offers, items, variants, user is not null, trace);
    }

    /// <summary>The first check the campaign fails for this request, or null when it may serve the shopper.</summary>
    private static CampaignCheck? CampaignRejection(
        CompiledCampaign campaign,
        DecisionRequest request,
        UserSnapshot? user,
        DecisionRuleContext context,
        IReadOnlyDictionary<string, double> online,
        IReadOnlyDictionary<string, CampaignSpend>? spend,
        DateTimeOffset now)
    {
        var definition = campaign.Definition;
        if (!definition.IsLiveAt(now))
        {
            return CompiledCampaign.Window;
        }

        if (campaign.Channels is { } channels && (request.Channel is null || !channels.Contains(request.Channel)))
        {
            return campaign.ChannelCheck;
        }

        if (definition.FirstPurchaseOnly && ((user?.HasPurchased ?? false) || online.GetValueOrDefault("purchases") > 0))
        {
            return campaign.FirstPurchaseCheck;
        }

        if (definition.Segment is { } segment && !string.Equals(user?.Segment, segment, StringComparison.Ordinal))
        {
            return campaign.SegmentCheck;
        }

        if (campaign.Audience is { } audience && !audience.Predicate(context))
        {
            return campaign.AudienceCheck;
        }

        if (spend is not null && spend.TryGetValue(definition.Id, out var spent))
        {
            if (campaign.BudgetCents is { } budget && spent.SpentCents >= budget)
            {
                return campaign.BudgetSpent;
            }

            if (definition.MaxRedemptions is { } max && spent.Redemptions >= max)
            {
                return campaign.RedemptionsReached;
            }
        }

        return CampaignHoldout.Arm(campaign.Holdout, request.UserId) == CampaignHoldout.Holdout ? campaign.HoldoutRejection : null;
    }

    /// <summary>The first check the offer fails, or null when it is eligible.</summary>
    private static CampaignCheck? OfferRejection(CompiledOffer offer, DecisionRequest request, decimal cartValue, IReadOnlyDictionary<string, CampaignSpend>? spend)
    {
        var definition = offer.Definition;
        if (definition.MinimumBasket > 0 && cartValue < definition.MinimumBasket)
        {
            return offer.MinimumBasketCheck;
        }

        if (definition.Type == OfferType.MemberPrice && !request.IsMember)
        {
            return CompiledOffer.MembersOnly;
        }

        if (definition.Stock == 0)
        {
            return CompiledOffer.NoStock;
        }

        if (spend is not null && offer.Campaign.BudgetCents is { } budget && definition.CostPerRedemption is { } cost
            && spend.TryGetValue(offer.Campaign.Id, out var spent) && budget - spent.SpentCents < CompiledCampaign.Cents(cost))
        {
            return offer.BudgetLeftCheck;
        }

        return null;
    }

    private ScoreComponents Score(CompiledOffer offer, UserSnapshot? user, EffectPrediction? prediction, double orderValue)
    {
        var definition = offer.Definition;
        var p0 = prediction?.BaselineProbability ?? 0.0;
        var uplift = prediction?.Uplift ?? 0.0;
        var margin = definition.Margin is { } m ? (double)m : orderValue * Options.DefaultMarginRate;
        var cost = definition.CostPerRedemption is { } c ? (double)c
            : definition.Percent is { } percent ? orderValue * (double)percent
            : 0.0;
        var incrementalMargin = uplift * margin;
        var expectedCost = (p0 + uplift) * cost;
        var profit = incrementalMargin - expectedCost;
        var priority = offer.Campaign.Definition.Priority + definition.Priority;
        var affinity = Affinity(offer, user);
        var total = (Options.ValueWeight * profit) + (Options.PriorityWeight * priority) + (Options.AffinityWeight * affinity);
        return new ScoreComponents(p0, uplift, incrementalMargin, expectedCost, profit, priority, affinity, total);
    }

    /// <summary>The larger of the shopper's spend share in the offer's categories and the share of its featured items among their recommendations.</summary>
    private static double Affinity(CompiledOffer offer, UserSnapshot? user)
    {
        if (user is null)
        {
            return 0.0;
        }

        var best = 0.0;
        foreach (var category in offer.Categories)
        {
            best = Math.Max(best, user.CategoryAffinity(category));
        }

        if (offer.FeaturedItems.Count > 0 && user.Recommendations.Count > 0)
        {
            var recommended = 0;
            foreach (var item in offer.FeaturedItems)
            {
                foreach (var r in user.Recommendations)
                {
                    if (string.Equals(r.ItemId, item, StringComparison.Ordinal))
                    {
                        recommended++;
                        break;
                    }
                }
            }

            best = Math.Max(best, (double)recommended / offer.FeaturedItems.Count);
        }

        return best;
    }

    private static OfferDecision ToDecision(int rank, Candidate candidate, UserSnapshot? user)
    {
        var offer = candidate.Offer;
        var featured = offer.FeaturedItems;
        if (user is { Recommendations.Count: > 0 } && featured.Count > 1)
        {
            // Items the shopper's recommendations rank first, in their order; the rest keep the campaign's order.
            var position = user.Recommendations.Select((r, i) => (r.ItemId, i)).GroupBy(p => p.ItemId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
            featured = [.. featured.Select((item, i) => (item, key: position.TryGetValue(item, out var p) ? p : int.MaxValue, i)).OrderBy(x => x.key).ThenBy(x => x.i).Select(x => x.item)];
        }

        var definition = offer.Definition;
        return new OfferDecision(rank, offer.Campaign.Id, offer.Id, Snake(definition.Type), definition.Name, definition.CostPerRedemption, featured, candidate.Score);
    }

    private static string Snake(OfferType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());

    /// <summary>An eligible offer with its score and the checks it passed.</summary>
    public sealed class Candidate
    {
        internal Candidate(CompiledOffer offer, ScoreComponents score, IReadOnlyList<string> reasons)
        {
            Offer = offer;
            Score = score;
            Reasons = reasons;
        }

        internal CompiledOffer Offer { get; }

        public string CampaignId => Offer.Campaign.Id;

        public string OfferId => Offer.Id;

        public ScoreComponents Score { get; }

        public IReadOnlyList<string> Reasons { get; }
    }

    /// <summary>The pure part of a decision: eligible offers best first, rejected ones with their reasons, campaign arms.</summary>
    /// <param name="Rejected">Every rejected offer with its reasons, only when the request asked to explain.</param>
    /// <param name="Rejections">Rejected offers by the check they failed.</param>
    public sealed record Ranking(
        IReadOnlyList<Candidate> Eligible,
        IReadOnlyList<TraceEntry> Rejected,
        IReadOnlyDictionary<string, int> Rejections,
        IReadOnlyDictionary<string, string> Arms,
        int CampaignsConsidered,
        int OffersConsidered,
        EffectPrediction? Prediction);
}
