using System.Globalization;
using PromoPilot.Campaigns.Design;
using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Campaigns.Optimization;
using PromoPilot.Campaigns.Workflow;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Customers;
using PromoPilot.Measurement.Experiments.Assignment;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Server.Campaigns;

/// <summary>Settings of <see cref="CampaignPlanning.ForecastEffect"/> (the options of <c>promopilot campaign forecast</c>).</summary>
public sealed record EffectForecastSettings
{
    /// <summary>The randomized campaign to train the uplift model on; null = the only imported one with exposures.</summary>
    public string? Training { get; init; }

    /// <summary>The offer whose cost is forecast; null = the campaign's first.</summary>
    public string? Offer { get; init; }

    /// <summary>Gross margin as a share of order value. Default 0.3.</summary>
    public double Margin { get; init; } = 0.3;

    /// <summary>Bootstrap refits of the uplift model behind the intervals, in [0, 200] (0 = readout noise only). Default 10.</summary>
    public int Replicates { get; init; } = 10;

    /// <summary>Nominal coverage of the intervals. Default 0.9.</summary>
    public double Level { get; init; } = 0.9;

    /// <summary>Seed of the model, the bootstrap and the Monte Carlo draws. Default 0.</summary>
    public int Seed { get; init; }
}

/// <summary>A campaign's effect forecast and what it was made from.</summary>
/// <param name="Forecast">Reach, redemptions, incremental conversions, revenue and margin, cost and ROI with intervals.</param>
/// <param name="Model">What predicted the uplift, in words (stored beside the forecast).</param>
/// <param name="Training">The randomized campaign the uplift model was trained on.</param>
/// <param name="TrainingRows">Its exposures used.</param>
/// <param name="CostedOffer">The offer whose cost was forecast.</param>
/// <param name="Audience">The targeted profiles.</param>
public sealed record PlannedEffect(EffectForecast Forecast, string Model, CampaignInfo Training, int TrainingRows, OfferDefinition CostedOffer, TargetedAudience Audience);

/// <summary>What a forecast reads from the store: the campaign, the offer costed, the randomized campaign and its rows, the targeted profiles.</summary>
public sealed record EffectData(
    CampaignDefinition Campaign, OfferDefinition CostedOffer, CampaignInfo Training,
    IReadOnlyList<(bool IsControl, bool Converted, double Revenue, double[] Features)> Rows, TargetedAudience Audience);

/// <summary>Users and expected spend one offer gets in a targeting plan.</summary>
public sealed record OfferAllocation(string OfferId, long Users, double Spend);

/// <summary>The budget-optimal targeting of a campaign (what <c>promopilot campaign optimize</c> prints).</summary>
/// <param name="Budget">Money the plan may spend on discounts.</param>
/// <param name="Targeted">Profiles the campaign targets.</param>
/// <param name="Users">Targeted profiles the response model could value.</param>
/// <param name="Offers">Offers in the problem.</param>
/// <param name="Objective">Expected incremental profit of the plan.</param>
/// <param name="Spend">Expected spend of the plan.</param>
/// <param name="Bound">An upper bound on any plan's objective.</param>
/// <param name="BoundSource">Where the bound comes from (the LP relaxation, or the Lagrangian dual on large problems).</param>
/// <param name="GreedyObjective">The greedy heuristic's objective, for comparison.</param>
/// <param name="UsersTargeted">Users the plan gives an offer.</param>
/// <param name="IncrementalConversions">Expected incremental conversions of the plan.</param>
/// <param name="IncrementalRevenue">Expected incremental revenue of the plan.</param>
/// <param name="Allocations">Users and spend per offer.</param>
/// <param name="Skipped">Offers the response model cannot value, with the reason.</param>
/// <param name="Margin">The margin the value model used.</param>
/// <param name="ProfileVersion">The profile version targeted.</param>
public sealed record TargetingSummary(
    double Budget, int Targeted, int Users, int Offers, double Objective, double Spend, double Bound, string BoundSource, double GreedyObjective,
    long UsersTargeted, double IncrementalConversions, double IncrementalRevenue, IReadOnlyList<OfferAllocation> Allocations, IReadOnlyList<SkippedOffer> Skipped,
    double Margin, int ProfileVersion)
{
    /// <summary>(bound − objective) / bound, 0 when the bound is not positive.</summary>
    public double Gap => Bound > 0 ? Math.Max(0, (Bound - Objective) / Bound) : 0;

    /// <summary>The users the plan gives an offer, by user key, with the offer and its expected cost and profit (what <c>--save</c> stores).</summary>
    public IReadOnlyList<CampaignTargetRow> Chosen { get; init; } = [];
}

/// <summary>
/// The campaign planning steps the CLI (<c>promopilot campaign forecast | optimize | launch</c>) and the dashboard's
/// campaign designer share: the effect forecast from an uplift model trained on the store's randomized exposures
/// (<see cref="CampaignEffectForecaster"/>), the budget-optimal targeting (<see cref="BudgetOptimizer"/>), and the
/// launch's holdout assignment (<see cref="CampaignHoldout"/>). Storing and the workflow steps stay with the callers.
/// </summary>
public static class CampaignPlanning
{
    /// <summary>
    /// Pre-period features a customer profile can supply as well as the randomized campaign's users: months since the
    /// last purchase, past spend, new customer. The model is trained on these only, so it can score profiles.
    /// </summary>
    public static readonly IReadOnlyList<string> TransferableFeatures = ["recency", "history", "newbie"];

    /// <summary>Forecasts the campaign's effect on its targeted profiles; budget is spent on the largest predicted uplift first.</summary>
    /// <exception cref="ArgumentException">Invalid settings, no randomized campaign to train on, no targeted profile with orders, an offer without a cost.</exception>
    public static PlannedEffect ForecastEffect(DuckDbStore store, DuckDbCampaignStore campaigns, CampaignDefinition campaign, EffectForecastSettings settings) =>
        ForecastEffect(LoadEffectData(store, campaigns, campaign, settings), settings);

    /// <summary>What the forecast reads from the store (the training rows and the targeted profiles), so a caller can release the store before the models are fitted.</summary>
    /// <exception cref="ArgumentException">Invalid settings, no randomized campaign to train on, an unknown offer or one without a cost, an audience that cannot be resolved.</exception>
    public static EffectData LoadEffectData(DuckDbStore store, DuckDbCampaignStore campaigns, CampaignDefinition campaign, EffectForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(campaign);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Replicates is < 0 or > 200)
        {
            throw new ArgumentException($"replicates must lie in [0, 200], not {settings.Replicates}.", nameof(settings));
        }

        var costed = settings.Offer is { } offerId
            ? campaign.Offers.FirstOrDefault(o => o.Id == offerId) ?? throw new ArgumentException($"campaign '{campaign.Id}' has no offer '{offerId}' (it has {string.Join(", ", campaign.Offers.Select(o => o.Id))}).")
            : campaign.Offers[0];
        _ = Cost(costed);

        // Train on the randomized campaign: every treated arm pooled against the control, conversion as outcome.
        var source = TrainingCampaign(store, settings.Training);
        var rows = campaigns.TrainingRows(source.CampaignKey, TransferableFeatures);
        if (rows.Count == 0 || rows.All(r => r.IsControl) || rows.All(r => !r.IsControl))
        {
            throw new ArgumentException($"campaign '{source.CampaignId}' has no randomized exposures with a treated and a control arm to train on.");
        }

        return new EffectData(campaign, costed, source, rows, CampaignAudience.Resolve(store, campaigns, campaign));
    }

    /// <summary>Fits the uplift model (and its bootstrap refits) on <paramref name="data"/> and forecasts the effect; reads nothing.</summary>
    /// <exception cref="ArgumentException">No targeted profile with orders, or invalid settings.</exception>
    public static PlannedEffect ForecastEffect(EffectData data, EffectForecastSettings settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var (campaign, rows, audience) = (data.Campaign, data.Rows, data.Audience);
        var scored = audience.Profiles.Where(p => p.AverageOrderValue > 0).ToList();
        if (scored.Count == 0)
        {
            throw new ArgumentException($"campaign '{campaign.Id}' targets no profiled customer with orders: nothing to forecast.");
        }

        var options = new UpliftOptions { Learner = UpliftLearner.T, Seed = settings.Seed };
        var audienceFeatures = ProfileFeatures(scored);
        var (p0, p1) = FitAndScore(rows, Enumerable.Range(0, rows.Count).ToArray(), audienceFeatures, options);

        // Budget is spent on the users with the largest predicted uplift first.
        var order = Enumerable.Range(0, scored.Count).OrderByDescending(i => p1[i] - p0[i]).ThenBy(i => scored[i].UserKey).ToArray();
        var random = new Random(settings.Seed);
        var bootstrap = new List<EffectReplicate>();
        for (var b = 0; b < settings.Replicates; b++)
        {
            var resample = Enumerable.Range(0, rows.Count).Select(_ => random.Next(rows.Count)).ToArray();
            var (r0, r1) = FitAndScore(rows, resample, audienceFeatures, options with { Seed = settings.Seed + b + 1 });
            bootstrap.Add(new EffectReplicate([.. order.Select(i => r0[i])], [.. order.Select(i => r1[i])]));
        }

        var inputs = new EffectInputs([.. order.Select(i => p0[i])], [.. order.Select(i => p1[i])])
        {
            OrderValue = [.. order.Select(i => (double)scored[i].AverageOrderValue)],
            MarginRate = settings.Margin,
            Cost = Cost(data.CostedOffer),
            Budget = campaign.Budget is { } money ? (double)money : null,
            HoldoutFraction = campaign.HoldoutFraction,
            Replicates = bootstrap,
        };
        var forecast = CampaignEffectForecaster.Forecast(inputs, new EffectForecastOptions { Level = settings.Level, Seed = settings.Seed });
        var model = $"t-learner on {data.Training.CampaignId} ({string.Join(", ", TransferableFeatures)}), {forecast.Replicates} bootstrap refits";
        return new PlannedEffect(forecast, model, data.Training, rows.Count, data.CostedOffer, audience);
    }

    /// <summary>The offer's cost as the forecaster models it: a fixed amount and/or a capped share of the order per redemption.</summary>
    /// <exception cref="ArgumentException">The offer has no cost per redemption (state its expected_cost).</exception>
    public static OfferCost Cost(OfferDefinition offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        return offer.Type switch
        {
            _ when offer.ExpectedCost is { } c => new OfferCost { PerRedemption = (double)c },
            OfferType.PercentOff or OfferType.LaunchOffer when offer.Percent is { } p => new OfferCost { PercentOfOrder = (double)p, CapPerRedemption = offer.Cap is { } cap ? (double)cap : null },
            OfferType.AmountOff or OfferType.LaunchOffer or OfferType.FreeShipping => new OfferCost { PerRedemption = (double)offer.Amount!.Value },
            _ when offer.CostPerRedemption is { } c => new OfferCost { PerRedemption = (double)c }, // spend threshold: its top tier (an upper bound); gift: its value
            _ => throw new ArgumentException($"offer '{offer.Id}' ({CampaignWorkflow.Name(offer.Type)}) has no cost per redemption to forecast: state its expected_cost."),
        };
    }

    /// <summary>Budget-optimal targeting: at most one of the campaign's offers per targeted user, the most expected incremental profit within <paramref name="budget"/>.</summary>
    /// <exception cref="ArgumentException">A negative or non-finite budget, or an audience that cannot be resolved.</exception>
    public static TargetingSummary Optimize(DuckDbStore store, DuckDbCampaignStore campaigns, CampaignDefinition campaign, double budget, double margin)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(campaign);
        if (!(budget >= 0) || !double.IsFinite(budget))
        {
            throw new ArgumentException($"--budget must be a finite amount >= 0, not {budget.ToString(CultureInfo.InvariantCulture)}.", nameof(budget));
        }

        return Optimize(CampaignAudience.Resolve(store, campaigns, campaign), campaign, budget, margin);
    }

    /// <summary>The budget-optimal targeting of <paramref name="audience"/>, resolved already; reads nothing.</summary>
    /// <exception cref="ArgumentException">A negative or non-finite budget, or an invalid margin.</exception>
    public static TargetingSummary Optimize(TargetedAudience audience, CampaignDefinition campaign, double budget, double margin)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(campaign);
        if (!(budget >= 0) || !double.IsFinite(budget))
        {
            throw new ArgumentException($"--budget must be a finite amount >= 0, not {budget.ToString(CultureInfo.InvariantCulture)}.", nameof(budget));
        }

        var model = new DiscountResponseModel(new DiscountResponseOptions { Margin = margin });
        var valued = audience.Profiles.Select(p => (p.UserKey, Shopper: model.FromProfile(p))).Where(x => x.Shopper is not null).ToList();
        var candidates = CampaignTargeting.Candidates(campaign, [.. valued.Select(x => x.Shopper!.Value)], model, budget);
        var problem = candidates.Problem;
        var plan = BudgetOptimizer.Solve(problem);
        var greedy = BudgetOptimizer.Greedy(problem);
        double? lp = problem.Users is > 0 and <= 100_000 ? LpBound.Solve(problem) : null;
        var bound = lp ?? plan.UpperBound ?? plan.Objective;
        var chosen = new List<CampaignTargetRow>();
        for (var u = 0; u < plan.Choice.Length; u++)
        {
            if (plan.Choice[u] is var c and >= 0)
            {
                var pair = (u * problem.Offers) + c;
                chosen.Add(new CampaignTargetRow(valued[u].UserKey, campaign.Offers[c].Id, problem.Cost[pair], problem.Value[pair])); // as the optimizer costed them
            }
        }

        return new TargetingSummary(
            budget, audience.Profiles.Count, problem.Users, problem.Offers, plan.Objective, plan.Spend, bound, lp is null ? "lagrangian dual" : "glop lp", greedy.Objective,
            plan.OfferUsers.Sum(), Sum(candidates, plan, r => r.IncrementalConversions), Sum(candidates, plan, r => r.IncrementalRevenue),
            [.. campaign.Offers.Select((o, i) => new OfferAllocation(o.Id, plan.OfferUsers[i], plan.OfferSpend[i]))], candidates.Skipped, model.Options.Margin, audience.ProfileVersion)
        {
            Chosen = chosen,
        };
    }

    /// <summary>
    /// Every targeted user's arm at launch: the same assignment the decision service applies (<see cref="CampaignHoldout"/>),
    /// so both put every user on one side.
    /// </summary>
    /// <exception cref="ArgumentException">The campaign targets no one.</exception>
    public static (TargetedAudience Audience, IReadOnlyList<CampaignAssignmentRow> Assignments) Assign(DuckDbStore store, DuckDbCampaignStore campaigns, CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        var audience = CampaignAudience.Resolve(store, campaigns, campaign);
        return (audience, Assign(audience, campaigns, campaign));
    }

    /// <summary>The launch assignment of an audience resolved already (see <see cref="Assign(DuckDbStore, DuckDbCampaignStore, CampaignDefinition)"/>).</summary>
    /// <exception cref="ArgumentException">The audience is empty.</exception>
    public static IReadOnlyList<CampaignAssignmentRow> Assign(TargetedAudience audience, DuckDbCampaignStore campaigns, CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(audience);
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(campaign);
        if (audience.Profiles.Count == 0)
        {
            throw new ArgumentException($"campaign '{campaign.Id}' targets no one in profile version {audience.ProfileVersion}: nothing to launch.");
        }

        return Assign(audience.Profiles.Select(p => p.UserKey), campaigns, campaign);
    }

    /// <summary>
    /// The launch assignment over a saved target list (<c>promopilot campaign optimize ID --save</c>): exactly the users the
    /// optimizer chose, each to treatment or the holdout by the same assignment as <see cref="Assign(TargetedAudience, DuckDbCampaignStore, CampaignDefinition)"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or belongs to another campaign.</exception>
    public static IReadOnlyList<CampaignAssignmentRow> Assign(CampaignTargetList list, DuckDbCampaignStore campaigns, CampaignDefinition campaign)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(campaigns);
        ArgumentNullException.ThrowIfNull(campaign);
        if (list.CampaignId != campaign.Id)
        {
            throw new ArgumentException($"the target list belongs to campaign '{list.CampaignId}', not '{campaign.Id}'.", nameof(list));
        }

        if (list.Users.Count == 0)
        {
            throw new ArgumentException($"campaign '{campaign.Id}': its saved target list is empty: nothing to launch.", nameof(list));
        }

        return Assign(list.Users.Select(u => u.UserKey), campaigns, campaign);
    }

    private static CampaignAssignmentRow[] Assign(IEnumerable<int> userKeys, DuckDbCampaignStore campaigns, CampaignDefinition campaign)
    {
        var assigner = CampaignHoldout.Assigner(campaign);
        var ids = campaigns.UserIds();
        return [.. userKeys.Select(key => new CampaignAssignmentRow(
            key, CampaignHoldout.Arm(assigner, ids.TryGetValue(key, out var userId) ? userId : key.ToString(CultureInfo.InvariantCulture)) == CampaignHoldout.Holdout))];
    }

    private static double Sum(CampaignCandidates candidates, TargetingPlan plan, Func<OfferResponse, double> pick)
    {
        var total = 0.0;
        for (var u = 0; u < plan.Choice.Length; u++)
        {
            if (plan.Choice[u] >= 0)
            {
                total += pick(candidates.Responses[(u * candidates.Problem.Offers) + plan.Choice[u]]);
            }
        }

        return total;
    }

    /// <summary>The randomized campaign to train on: the one named, else the only imported campaign with exposures.</summary>
    private static CampaignInfo TrainingCampaign(DuckDbStore store, string? name)
    {
        if (name is not null)
        {
            return CampaignExposureQuery.Find(store, name) ?? throw new ArgumentException($"--training: no campaign '{name}' in the store.");
        }

        var imported = CampaignExposureQuery.WithExposures(store).Where(c => c.Dataset != DuckDbCampaignStore.Dataset).ToList();
        return imported.Count switch
        {
            1 => imported[0],
            0 => throw new ArgumentException("no randomized campaign with exposures in the store to train the uplift model on: import one (promopilot quickstart imports the Hillstrom sample)."),
            _ => throw new ArgumentException($"several randomized campaigns could train the uplift model ({string.Join(", ", imported.Select(c => c.CampaignId))}): name one with --training."),
        };
    }

    /// <summary>Profiles as the transferable features: months since the last purchase (1-12 as in Hillstrom), spend, new customer.</summary>
    private static FeatureTable ProfileFeatures(IReadOnlyList<CustomerProfile> profiles) => new(
    [
        FeatureColumn.Numeric("recency", [.. profiles.Select(p => Math.Clamp(Math.Ceiling(p.RecencyDays / 30.4375), 1, 12))]),
        FeatureColumn.Numeric("history", [.. profiles.Select(p => (double)p.Monetary)]),
        FeatureColumn.Numeric("newbie", [.. profiles.Select(p => p.TenureDays < 365 ? 1.0 : 0.0)]),
    ]);

    private static (double[] Control, double[] Treated) FitAndScore(
        IReadOnlyList<(bool IsControl, bool Converted, double Revenue, double[] Features)> rows, int[] take, FeatureTable audience, UpliftOptions options)
    {
        var table = new FeatureTable([.. TransferableFeatures.Select((name, f) => FeatureColumn.Numeric(name, [.. take.Select(i => rows[i].Features[f])]))]);
        var treated = take.Select(i => !rows[i].IsControl).ToArray();
        var outcome = take.Select(i => rows[i].Converted ? 1.0 : 0.0).ToArray();
        var model = UpliftTrainer.Fit(table, treated, outcome, options, "arm", "conversion");
        return model.PredictArms(audience);
    }
}
