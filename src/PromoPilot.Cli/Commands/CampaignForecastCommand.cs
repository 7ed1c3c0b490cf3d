using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Campaigns.Workflow;
using PromoPilot.Cli.Campaigns;
using PromoPilot.Cli.Modeling;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Customers;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot campaign forecast: the campaign's effect from an uplift model trained on the store's randomized exposures.</summary>
internal static partial class CampaignCommand
{
    /// <summary>
    /// Pre-period features a customer profile can supply as well as the randomized campaign's users: months since the
    /// last purchase, past spend, new customer. The model is trained on these only, so it can score profiles.
    /// </summary>
    private static readonly string[] TransferableFeatures = ["recency", "history", "newbie"];

    private static Command ForecastCommand(CliConsole console)
    {
        var id = Id();
        var db = CommonOptions.Db();
        var training = new Option<string?>("--training") { Description = "The randomized campaign of the store to train the uplift model on (default: the only imported one with exposures, e.g. hillstrom_email_2008)." };
        var offer = new Option<string?>("--offer") { Description = "The offer whose cost is forecast (default: the campaign's first)." };
        var margin = new Option<double>("--margin") { Description = "Gross margin as a share of order value.", DefaultValueFactory = _ => 0.3 };
        var replicates = new Option<int>("--replicates") { Description = "Bootstrap refits of the uplift model behind the intervals (0 = readout noise only).", DefaultValueFactory = _ => 10 };
        var level = new Option<double>("--level") { Description = "Nominal coverage of the intervals.", DefaultValueFactory = _ => 0.9 };
        var seed = new Option<int>("--seed") { Description = "Seed of the model, the bootstrap and the Monte Carlo draws.", DefaultValueFactory = _ => 0 };
        var actor = Actor();
        var json = CommonOptions.Json();
        var command = new Command("forecast", "Forecast the campaign's reach, redemptions, incremental conversions, revenue and margin, cost and ROI with intervals; stored in campaign_forecasts for the readout.")
        {
            id, db, training, offer, margin, replicates, level, seed, actor, json,
        };
        command.SetAction(parse => Guard(console, parse.GetValue(json), () =>
        {
            var clock = Stopwatch.StartNew();
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var campaigns = new DuckDbCampaignStore(store);
            var stored = Find(campaigns, parse.GetValue(id)!);
            var campaign = stored.Definition;
            var workflow = new CampaignWorkflow(console.Clock);
            _ = workflow.Apply(campaign, stored.Version, CampaignAction.Forecast, parse.GetValue(actor)!); // refuses early when the status does not allow it
            if (parse.GetValue(replicates) is < 0 or > 200)
            {
                throw new ArgumentException($"--replicates must lie in [0, 200], not {parse.GetValue(replicates)}.");
            }

            var costed = parse.GetValue(offer) is { } offerId
                ? campaign.Offers.FirstOrDefault(o => o.Id == offerId) ?? throw new ArgumentException($"campaign '{campaign.Id}' has no offer '{offerId}' (it has {string.Join(", ", campaign.Offers.Select(o => o.Id))}).")
                : campaign.Offers[0];
            var cost = Cost(costed);

            // Train on the randomized campaign: every treated arm pooled against the control, conversion as outcome.
            var source = TrainingCampaign(store, parse.GetValue(training));
            var rows = campaigns.TrainingRows(source.CampaignKey, TransferableFeatures);
            if (rows.Count == 0 || rows.All(r => r.IsControl) || rows.All(r => !r.IsControl))
            {
                throw new ArgumentException($"campaign '{source.CampaignId}' has no randomized exposures with a treated and a control arm to train on.");
            }

            var audience = CampaignAudience.Resolve(store, campaigns, campaign);
            var scored = audience.Profiles.Where(p => p.AverageOrderValue > 0).ToList();
            if (scored.Count == 0)
            {
                throw new ArgumentException($"campaign '{campaign.Id}' targets no profiled customer with orders: nothing to forecast.");
            }

            var options = new UpliftOptions { Learner = UpliftLearner.T, Seed = parse.GetValue(seed) };
            var audienceFeatures = ProfileFeatures(scored);
            var (p0, p1) = FitAndScore(rows, Enumerable.Range(0, rows.Count).ToArray(), audienceFeatures, options);

            // Budget is spent on the users with the largest predicted uplift first.
            var order = Enumerable.Range(0, scored.Count).OrderByDescending(i => p1[i] - p0[i]).ThenBy(i => scored[i].UserKey).ToArray();
            var random = new Random(parse.GetValue(seed));
            var bootstrap = new List<EffectReplicate>();
            for (var b = 0; b < parse.GetValue(replicates); b++)
            {
                var resample = Enumerable.Range(0, rows.Count).Select(_ => random.Next(rows.Count)).ToArray();
                var (r0, r1) = FitAndScore(rows, resample, audienceFeatures, options with { Seed = parse.GetValue(seed) + b + 1 });
                bootstrap.Add(new EffectReplicate([.. order.Select(i => r0[i])], [.. order.Select(i => r1[i])]));
            }

            var inputs = new EffectInputs([.. order.Select(i => p0[i])], [.. order.Select(i => p1[i])])
            {
                OrderValue = [.. order.Select(i => (double)scored[i].AverageOrderValue)],
                MarginRate = parse.GetValue(margin),
                Cost = cost,
                Budget = campaign.Budget is { } money ? (double)money : null,
                HoldoutFraction = campaign.HoldoutFraction,
                Replicates = bootstrap,
            };
            var forecast = CampaignEffectForecaster.Forecast(inputs, new EffectForecastOptions { Level = parse.GetValue(level), Seed = parse.GetValue(seed) });

            // Store the forecast where the readout finds it, then move the campaign to "forecast".
            var now = console.Clock.GetUtcNow();
            var model = $"t-learner on {source.CampaignId} ({string.Join(", ", TransferableFeatures)}), {forecast.Replicates} bootstrap refits";
            var key = campaigns.CampaignKey(campaign, now);
            foreach (var f in forecast.ToCampaignForecasts(model, now))
            {
                CampaignResultTables.SaveForecast(store, key, f);
            }

            var step = workflow.Apply(campaign, stored.Version, CampaignAction.Forecast, parse.GetValue(actor)!, FormattableString.Invariant(
                $"incremental conversions {forecast.IncrementalConversions.Value:F1} [{forecast.IncrementalConversions.Low:F1}, {forecast.IncrementalConversions.High:F1}], ROI {forecast.Roi?.Value:F2}"));
            campaigns.Update(step.Campaign, stored.Version, Row(step.Audit));

            var report = Summary(step.Campaign, step.Audit.Version);
            report["forecast"] = EffectForecastJson.Write(forecast);
            report["model"] = model;
            report["training_campaign"] = source.CampaignId;
            report["training_rows"] = rows.Count;
            report["features"] = new JsonArray([.. TransferableFeatures.Select(f => (JsonNode)JsonValue.Create(f))]);
            report["costed_offer"] = costed.Id;
            report["margin"] = parse.GetValue(margin);
            report["profile_version"] = audience.ProfileVersion;
            report["campaign_key"] = key;
            report["table"] = "campaign_forecasts";
            report["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
            Write(console, parse.GetValue(json), report, FormattableString.Invariant(
                $"{campaign.Id}: forecast {forecast.IncrementalConversions.Value:N1} incremental conversions [{forecast.IncrementalConversions.Low:N1}, {forecast.IncrementalConversions.High:N1}], revenue {forecast.IncrementalRevenue.Value:N0}, cost {forecast.Cost.Value:N0}, ROI {forecast.Roi?.Value:N2} ({forecast.Level:P0} intervals); status forecast"));
            return 0;
        }));
        return command;
    }

    /// <summary>The offer's cost as the forecaster models it: a fixed amount and/or a capped share of the order per redemption.</summary>
    private static OfferCost Cost(OfferDefinition offer) => offer.Type switch
    {
        _ when offer.ExpectedCost is { } c => new OfferCost { PerRedemption = (double)c },
        OfferType.PercentOff or OfferType.LaunchOffer when offer.Percent is { } p => new OfferCost { PercentOfOrder = (double)p, CapPerRedemption = offer.Cap is { } cap ? (double)cap : null },
        OfferType.AmountOff or OfferType.LaunchOffer or OfferType.FreeShipping => new OfferCost { PerRedemption = (double)offer.Amount!.Value },
        _ when offer.CostPerRedemption is { } c => new OfferCost { PerRedemption = (double)c }, // spend threshold: its top tier (an upper bound); gift: its value
        _ => throw new ArgumentException($"offer '{offer.Id}' ({CampaignWorkflow.Name(offer.Type)}) has no cost per redemption to forecast: state its expected_cost."),
    };

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
