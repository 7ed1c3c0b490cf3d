using System.Text;
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
    // The model's prediction for a shopper the store does not know (no features): the same for all of them.
    private readonly ShopperEffect? _coldStartEffect;
    private readonly string _modelName;

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
        _coldStartEffect = model is null ? null : new ShopperEffect(model, NoFeatures);
        _modelName = model is null ? "none" : $"linear_uplift({model.Values.Source})";
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
        var evaluation = Evaluate(request, user, online ?? NoFeatures, spend, now, everyOffer: true);
        var eligible = evaluation.Eligible!;
        eligible.Sort(BestFirst);
        return new Ranking(eligible, (IReadOnlyList<TraceEntry>?)evaluation.Rejected ?? [], evaluation.Rejections, evaluation.Variants(), evaluation.Campaigns.Length, evaluation.OffersConsidered, evaluation.Effect?.Prediction);
    }

    /// <summary>Higher score first; ties by campaign id, then offer id.</summary>
    private static int BestFirst(Candidate a, Candidate b)
    {
        var byScore = b.Score.Total.CompareTo(a.Score.Total);
        if (byScore != 0)
        {
            return byScore;
        }

        var byCampaign = string.CompareOrdinal(a.Offer.Campaign.Id, b.Offer.Campaign.Id);
        return byCampaign != 0 ? byCampaign : string.CompareOrdinal(a.Offer.Id, b.Offer.Id);
    }

    /// <summary>
    /// Runs every check and scores every eligible offer. Keeps the best offer of each campaign (a decision takes at
    /// most one per campaign); with <paramref name="everyOffer"/> also every eligible offer with its score components
    /// and, when the request asks to explain, every rejected offer with its reasons.
    /// </summary>
    private Evaluation Evaluate(DecisionRequest request, UserSnapshot? user, IReadOnlyDictionary<string, double> online, IReadOnlyDictionary<string, CampaignSpend>? spend, DateTimeOffset now, bool everyOffer)
    {
        var context = new DecisionRuleContext(user, request, online);
        var campaigns = Catalog.ForPlacement(request.Placement);
        var effect = Model is null ? null : user is null ? _coldStartEffect : user.EffectOf(Model);
        var prediction = effect?.Prediction;
        var orderValue = (double)(user?.AverageOrderValue(Options.DefaultOrderValue) ?? Options.DefaultOrderValue);
        var evaluation = new Evaluation(campaigns, effect, orderValue, everyOffer, everyOffer && request.Explain);
        var cartValue = request.CartValue;
        // The user id's bytes once for every campaign's holdout test (ids are at most 256 characters).
        var userBytes = request.UserId.Length <= 256 ? stackalloc byte[768] : new byte[Encoding.UTF8.GetMaxByteCount(request.UserId.Length)];
        userBytes = userBytes[..Encoding.UTF8.GetBytes(request.UserId, userBytes)];
        for (var index = 0; index < campaigns.Length; index++)
        {
            var campaign = campaigns[index];
            evaluation.OffersConsidered += campaign.Offers.Length;
            CampaignSpend? spent = spend is not null && spend.TryGetValue(campaign.Id, out var found) ? found : null;
            var failed = CampaignRejection(campaign, request, user, context, online, spent, now, userBytes);
            if (failed is { } check)
            {
                evaluation.Reject(check.Key, campaign.Offers.Length);
                if (check.Key == CompiledCampaign.HoldoutCheck)
                {
                    evaluation.Arms[index] = CampaignHoldout.Holdout;
                }

                if (evaluation.Rejected is { } rejected)
                {
                    var reasons = campaign.ReasonsUntil(check);
                    foreach (var offer in campaign.Offers)
                    {
                        rejected.Add(new TraceEntry(campaign.Id, offer.Id, "rejected", reasons, null));
                    }
                }

                continue;
            }

            evaluation.Arms[index] = CampaignHoldout.Treatment;
            foreach (var offer in campaign.Offers)
            {
                if (OfferRejection(offer, request, cartValue, spent) is { } offerCheck)
                {
                    evaluation.Reject(offerCheck.Key, 1);
                    evaluation.Rejected?.Add(new TraceEntry(campaign.Id, offer.Id, "rejected", [.. campaign.Passed, offerCheck.Failed], null));
                    continue;
                }

                var score = Score(offer, user, prediction, orderValue);
                var best = evaluation.BestOffers[index];
                if (best is null || score.Total > evaluation.BestTotals[index] || (score.Total == evaluation.BestTotals[index] && string.CompareOrdinal(offer.Id, best.Id) < 0))
                {
                    evaluation.BestOffers[index] = offer;
                    evaluation.BestTotals[index] = score.Total;
                }

                evaluation.Eligible?.Add(new Candidate(offer, score.ToComponents(), campaign.Passed));
            }
        }

        return evaluation;
    }

    /// <summary>
    /// Decides: takes campaigns by their best offer's score (one offer per campaign) while each campaign's frequency
    /// cap allows an impression, serves the fallback when none qualifies, assigns experiment variants (sticky in the
    /// online state). Only a request that asks to explain scores every offer into the trace.
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
        var evaluation = Evaluate(request, user, online, spend, now, everyOffer: request.Explain);
        var order = evaluation.CampaignsByBestScore();
        var capacity = Math.Max(Math.Min(request.Limit, order.Length), 1);
        var offers = new List<OfferDecision>(capacity);
        var entries = new List<TraceEntry>(capacity);
        List<TraceEntry>? capped = null;
        var prediction = evaluation.Effect?.Prediction;
        foreach (var index in order)
        {
            if (offers.Count >= request.Limit)
            {
                break;
            }

            var offer = evaluation.BestOffers[index]!;
            var campaign = offer.Campaign;
            // The score is made again for the few offers kept rather than kept for every campaign's best.
            var score = Score(offer, user, prediction, evaluation.OrderValue).ToComponents();
            IReadOnlyList<string> reasons = campaign.Passed;
            if (campaign.Definition.FrequencyCap is { } cap)
            {
                var claim = new ImpressionClaim(request.UserId, campaign.Id, offer.Id, cap.Count, TimeSpan.FromHours(cap.WindowHours));
                if (!await state.TryClaimImpressionAsync(claim, cancellationToken).ConfigureAwait(false))
                {
                    (capped ??= []).Add(new TraceEntry(campaign.Id, offer.Id, "rejected", campaign.CapReachedReasons!, score));
                    continue;
                }

                reasons = campaign.CapPassedReasons!;
            }

            offers.Add(ToDecision(offers.Count + 1, offer, score, user));
            entries.Add(new TraceEntry(campaign.Id, offer.Id, "selected", reasons, null)); // its score is on the offer
        }

        var selected = offers.Count;
        if (offers.Count == 0 && Options.Fallback is { } fallback)
        {
            offers.Add(new OfferDecision(1, FallbackCampaign, fallback.Id, Snake(fallback.Type), fallback.Name, fallback.CostPerRedemption, fallback.FeaturedItems ?? [], null, Fallback: true));
            entries.Add(new TraceEntry(FallbackCampaign, fallback.Id, "selected", ["fallback: no offer qualified"], null));
        }

        if (request.Explain)
        {
            evaluation.Eligible!.Sort(BestFirst);
            foreach (var candidate in evaluation.Eligible)
            {
                // One offer per campaign is selected, so the campaign and offer ids name it.
                if (!offers.Exists(o => !o.Fallback && o.CampaignId == candidate.CampaignId && o.OfferId == candidate.OfferId))
                {
                    entries.Add(new TraceEntry(candidate.CampaignId, candidate.OfferId, "eligible", candidate.Reasons, candidate.Score));
                }
            }

            entries.AddRange(capped ?? []);
            entries.AddRange(evaluation.Rejected!);
        }

        var rejections = evaluation.Rejections;
        if (capped is not null)
        {
            rejections[FrequencyCapCheck] = rejections.GetValueOrDefault(FrequencyCapCheck) + capped.Count;
        }

        var variants = evaluation.Variants();
        foreach (var experiment in _experiments)
        {
            var assignment = experiment.Definition.Targeting is null ? experiment.Assign(request.UserId) : experiment.Assign(request.UserId, new DecisionRuleContext(user, request, online));
            if (assignment.Variant is { } variant)
            {
                variants.Set(assignment.ExperimentKey, await state.GetOrAddAsync($"sticky:{assignment.ExperimentKey}:{request.UserId}", variant, TimeSpan.FromDays(90), cancellationToken).ConfigureAwait(false));
            }
        }

        var contributions = selected > 0 && evaluation.Effect is { } effect ? effect.Largest : [];
        var trace = new DecisionTrace(Model is null ? "none" : _modelName, Catalog.Version, evaluation.Campaigns.Length, evaluation.OffersConsidered, rejections, entries, contributions);
        var items = user is null ? [] : user.Recommendations.Count <= Options.Items ? user.Recommendations : user.Recommendations.Take(Options.Items).ToList();
        return new Decision(decisionId, request.UserId, request.Placement, now, offers, items, variants, user is not null, trace);
    }

    /// <summary>The first check the campaign fails for this request, or null when it may serve the shopper.</summary>
    private static CampaignCheck? CampaignRejection(
        CompiledCampaign campaign,
        DecisionRequest request,
        UserSnapshot? user,
        DecisionRuleContext context,
        IReadOnlyDictionary<string, double> online,
        CampaignSpend? spent,
        DateTimeOffset now,
        ReadOnlySpan<byte> userBytes)
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

        if (spent is { } campaignSpend)
        {
            if (campaign.BudgetCents is { } budget && campaignSpend.SpentCents >= budget)
            {
                return campaign.BudgetSpent;
            }

            if (definition.MaxRedemptions is { } max && campaignSpend.Redemptions >= max)
            {
                return campaign.RedemptionsReached;
            }
        }

        return campaign.Holdout.HoldsOut(userBytes) ? campaign.HoldoutRejection : null;
    }

    /// <summary>The first check the offer fails, or null when it is eligible.</summary>
    private static CampaignCheck? OfferRejection(CompiledOffer offer, DecisionRequest request, decimal cartValue, CampaignSpend? spent)
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

        if (spent is { } campaignSpend && offer.Campaign.BudgetCents is { } budget && offer.CostCents is { } cost && budget - campaignSpend.SpentCents < cost)
        {
            return offer.BudgetLeftCheck;
        }

        return null;
    }

    private ScoreParts Score(CompiledOffer offer, UserSnapshot? user, EffectPrediction? prediction, double orderValue)
    {
        var p0 = prediction?.BaselineProbability ?? 0.0;
        var uplift = prediction?.Uplift ?? 0.0;
        var margin = offer.Margin ?? orderValue * Options.DefaultMarginRate;
        var cost = offer.Cost ?? (offer.Percent is { } percent ? orderValue * percent : 0.0);
        var incrementalMargin = uplift * margin;
        var expectedCost = (p0 + uplift) * cost;
        var profit = incrementalMargin - expectedCost;
        var priority = offer.Priority;
        var affinity = Affinity(offer, user);
        var total = (Options.ValueWeight * profit) + (Options.PriorityWeight * priority) + (Options.AffinityWeight * affinity);
        return new ScoreParts(p0, uplift, incrementalMargin, expectedCost, profit, priority, affinity, total);
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

        var recommendations = user.Recommendations;
        if (offer.FeaturedItems.Length > 0 && recommendations.Count > 0)
        {
            var recommended = 0;
            foreach (var item in offer.FeaturedItems)
            {
                for (var r = 0; r < recommendations.Count; r++)
                {
                    if (string.Equals(recommendations[r].ItemId, item, StringComparison.Ordinal))
                    {
                        recommended++;
                        break;
                    }
                }
            }

            best = Math.Max(best, (double)recommended / offer.FeaturedItems.Length);
        }

        return best;
    }

    private static OfferDecision ToDecision(int rank, CompiledOffer offer, ScoreComponents score, UserSnapshot? user)
    {
        IReadOnlyList<string> featured = offer.FeaturedItems;
        if (user is { Recommendations.Count: > 0 } && featured.Count > 1)
        {
            // Items the shopper's recommendations rank first, in their order; the rest keep the campaign's order.
            var position = user.Recommendations.Select((r, i) => (r.ItemId, i)).GroupBy(p => p.ItemId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
            featured = [.. featured.Select((item, i) => (item, key: position.TryGetValue(item, out var p) ? p : int.MaxValue, i)).OrderBy(x => x.key).ThenBy(x => x.i).Select(x => x.item)];
        }

        var definition = offer.Definition;
        return new OfferDecision(rank, offer.Campaign.Id, offer.Id, offer.TypeName, definition.Name, definition.CostPerRedemption, featured, score);
    }

    /// <summary>An offer type as decisions name it (snake_case).</summary>
    internal static string Snake(OfferType type) => JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString());

    /// <summary><see cref="ScoreComponents"/> before they are kept: a decision scores every offer but keeps few.</summary>
    private readonly record struct ScoreParts(double P0, double Uplift, double IncrementalMargin, double ExpectedCost, double Profit, double Priority, double Affinity, double Total)
    {
        public ScoreComponents ToComponents() => new(P0, Uplift, IncrementalMargin, ExpectedCost, Profit, Priority, Affinity, Total);
    }

    /// <summary>What <see cref="Evaluate"/> found for one request.</summary>
    private sealed class Evaluation(CompiledCampaign[] campaigns, ShopperEffect? effect, double orderValue, bool everyOffer, bool explain)
    {
        public CompiledCampaign[] Campaigns { get; } = campaigns;

        public ShopperEffect? Effect { get; } = effect;

        /// <summary>The order value scoring assumed for the shopper.</summary>
        public double OrderValue { get; } = orderValue;

        /// <summary>Per campaign (by index): its best eligible offer, null when none is.</summary>
        public CompiledOffer?[] BestOffers { get; } = new CompiledOffer?[campaigns.Length];

        /// <summary>Per campaign: the score total of its best eligible offer.</summary>
        public double[] BestTotals { get; } = new double[campaigns.Length];

        /// <summary>Per campaign: treatment, holdout, or null when a check before the holdout rejected it.</summary>
        public string?[] Arms { get; } = new string?[campaigns.Length];

        /// <summary>Rejected offers by check, in key order as the trace lists them.</summary>
        public SortedList<string, int> Rejections { get; } = new(StringComparer.Ordinal);

        public int OffersConsidered { get; set; }

        /// <summary>Every eligible offer, scored; only when asked for.</summary>
        public List<Candidate>? Eligible { get; } = everyOffer ? [] : null;

        /// <summary>Every rejected offer with its reasons; only when explaining.</summary>
        public List<TraceEntry>? Rejected { get; } = explain ? [] : null;

        public void Reject(string check, int offers) => Rejections[check] = Rejections.GetValueOrDefault(check) + offers;

        /// <summary>Indexes of the campaigns with an eligible offer, by their best score, then campaign id.</summary>
        public int[] CampaignsByBestScore()
        {
            var count = 0;
            foreach (var best in BestOffers)
            {
                count += best is null ? 0 : 1;
            }

            // Insertion sort: a few campaigns per placement, and no comparison delegate to allocate.
            var order = new int[count];
            count = 0;
            for (var i = 0; i < BestOffers.Length; i++)
            {
                if (BestOffers[i] is null)
                {
                    continue;
                }

                var at = count++;
                while (at > 0 && Before(i, order[at - 1]))
                {
                    order[at] = order[at - 1];
                    at--;
                }

                order[at] = i;
            }

            return order;
        }

        /// <summary>The arms as the decision's variants (experiments are added to it).</summary>
        public DecisionVariants Variants() => new(Campaigns, Arms);

        private bool Before(int a, int b) => BestTotals[a] != BestTotals[b]
            ? BestTotals[a] > BestTotals[b]
            : string.CompareOrdinal(Campaigns[a].Id, Campaigns[b].Id) < 0;
    }

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
