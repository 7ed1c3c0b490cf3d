using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PromoPilot.Campaigns.Workflow;
using PromoPilot.Cli.Modeling;
using PromoPilot.Server.Campaigns;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot campaign forecast: the campaign's effect from an uplift model trained on the store's randomized exposures.</summary>
internal static partial class CampaignCommand
{
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

            var planned = CampaignPlanning.ForecastEffect(store, campaigns, campaign, new EffectForecastSettings
            {
                Training = parse.GetValue(training),
                Offer = parse.GetValue(offer),
                Margin = parse.GetValue(margin),
                Replicates = parse.GetValue(replicates),
                Level = parse.GetValue(level),
                Seed = parse.GetValue(seed),
            });
            var (forecast, model, source, costed, audience) = (planned.Forecast, planned.Model, planned.Training, planned.CostedOffer, planned.Audience);

            // Store the forecast where the readout finds it, then move the campaign to "forecast".
            var now = console.Clock.GetUtcNow();
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
            report["training_rows"] = planned.TrainingRows;
            report["features"] = new JsonArray([.. CampaignPlanning.TransferableFeatures.Select(f => (JsonNode)JsonValue.Create(f))]);
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
}
