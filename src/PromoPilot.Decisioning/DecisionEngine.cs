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
    private static readonly string FallbackCampaign = "fallback";
    private readonly Assigner[] _experiments;

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
        var rejected = new List<TraceEntry>();
        var arms = new Dictionary<string, string>(StringComparer.Ordinal);
        var offersConsidered = 0;
        foreach (var campaign in campaigns)
        {
            var definition = campaign.Definition;
            offersConsidered += campaign.Offers.Length;
            var reason = CampaignRejection(campaign, request, user, context, online, spend, now, out var passed);
            if (reason is not null)
            {
                passed.Add(reason);
                foreach (var offer in campaign.Offers)
                {
                    rejected.Add(new TraceEntry(definition.Id, offer.Id, "rejected", passed, null));
                }

                if (reason.StartsWith("holdout", StringComparison.Ordinal))
                {
                    arms[definition.Id] = CampaignHoldout.Holdout;
                }

                continue;
            }

            arms[definition.Id] = CampaignHoldout.Treatment;
            foreach (var offer in campaign.Offers)
            {
                var offerReason = OfferRejection(offer, request, cartValue, spend);
                if (offerReason is not null)
                {
                    rejected.Add(new TraceEntry(definition.Id, offer.Id, "rejected", [.. passed, offerReason], null));
                    continue;
                }

                var score = Score(offer, user, prediction, orderValue);
                eligible.Add(new Candidate(offer, score, passed));
            }
        }

        eligible.Sort((a, b) =>
        {
            var byScore = b.Score.Total.CompareTo(a.Score.Total);
            return byScore != 0 ? byScore : string.CompareOrdinal(a.Offer.Campaign.Id + "/" + a.Offer.Id, b.Offer.Campaign.Id + "/" + b.Offer.Id);
        });
        return new Ranking(eligible, rejected, arms, campaigns.Length, offersConsidered, prediction);
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
        var online = await state.GetFeaturesAsync(request.UserId, cancellationToken).ConfigureAwait(false);
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
            entries.Add(new TraceEntry(candidate.Offer.Campaign.Id, candidate.Offer.Id, "selected", reasons, candidate.Score));
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

        var rejections = ranking.Rejected.Concat(capped)
            .GroupBy(r => ReasonKey(r.Reasons[^1]), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

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

    private static string? CampaignRejection(
        CompiledCampaign campaign,
        DecisionRequest request,
        UserSnapshot? user,
        DecisionRuleContext context,
        IReadOnlyDictionary<string, double> online,
        IReadOnlyDictionary<string, CampaignSpend>? spend,
        DateTimeOffset now,
        out List<string> passed)
    {
        var definition = campaign.Definition;
        passed = [];
        if (!definition.IsLiveAt(now))
        {
            return $"window: not live at {now:O}";
        }

        if (campaign.Channels is { } channels)
        {
            if (request.Channel is null || !channels.Contains(request.Channel))
            {
                return $"channel: {request.Channel ?? "none"} not in [{string.Join(", ", definition.Channels!)}]";
            }

            passed.Add($"channel: {request.Channel} passed");
        }

        if (definition.FirstPurchaseOnly)
        {
            if ((user?.HasPurchased ?? false) || online.GetValueOrDefault("purchases") > 0)
            {
                return "first_purchase: the shopper has bought before";
            }

            passed.Add("first_purchase: passed");
        }

        if (definition.Segment is { } segment)
        {
            if (!string.Equals(user?.Segment, segment, StringComparison.Ordinal))
            {
                return $"segment: {user?.Segment ?? "none"} is not {segment}";
            }

            passed.Add($"segment: {segment} passed");
        }

        if (campaign.Audience is { } audience)
        {
            if (!audience.Predicate(context))
            {
                return $"audience: {audience.Text} failed";
            }

            passed.Add($"audience: {audience.Text} passed");
        }

        if (spend is not null && spend.TryGetValue(definition.Id, out var spent))
        {
            if (campaign.BudgetCents is { } budget && spent.SpentCents >= budget)
            {
                return "budget: campaign budget spent";
            }

            if (definition.MaxRedemptions is { } max && spent.Redemptions >= max)
            {
                return "redemptions: campaign redemption limit reached";
            }
        }

        if (CampaignHoldout.Arm(campaign.Holdout, request.UserId) == CampaignHoldout.Holdout)
        {
            return $"holdout: the shopper is in the campaign's {definition.HoldoutFraction:P0} holdout";
        }

        passed.Add("holdout: treatment");
        return null;
    }

    private static string? OfferRejection(CompiledOffer offer, DecisionRequest request, decimal cartValue, IReadOnlyDictionary<string, CampaignSpend>? spend)
    {
        var definition = offer.Definition;
        if (definition.MinimumBasket > 0 && cartValue < definition.MinimumBasket)
        {
            return $"minimum_basket: cart {cartValue} below {definition.MinimumBasket}";
        }

        if (definition.Type == OfferType.MemberPrice && !request.IsMember)
        {
            return "membership: member price for members only";
        }

        if (definition.Stock == 0)
        {
            return "stock: none left";
        }

        if (spend is not null && offer.Campaign.BudgetCents is { } budget && definition.CostPerRedemption is { } cost
            && spend.TryGetValue(offer.Campaign.Id, out var spent) && budget - spent.SpentCents < CompiledCampaign.Cents(cost))
        {
            return $"budget: less than one redemption ({cost}) left";
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

    private static string ReasonKey(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? reason[..colon] : reason;
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
    public sealed record Ranking(
        IReadOnlyList<Candidate> Eligible,
        IReadOnlyList<TraceEntry> Rejected,
        IReadOnlyDictionary<string, string> Arms,
        int CampaignsConsidered,
        int OffersConsidered,
        EffectPrediction? Prediction);
}
