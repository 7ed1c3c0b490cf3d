using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using PromoPilot.Campaigns.Design;
using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Core.Campaigns;
using PromoPilot.Features.Profiles;
using PromoPilot.Server.Campaigns;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

/// <summary>
/// The quickstart's last step: on the bundled samples, profiles (built when the store has none), the sample coupon
/// campaign (samples/campaigns/quickstart-coupon.json, not stored) targeted within its budget, and its effect
/// forecast from an uplift model trained on the Hillstrom sample. The same planning code as
/// <c>promopilot campaign optimize | forecast</c> (<see cref="CampaignPlanning"/>), with fewer bootstrap refits.
/// </summary>
internal static class QuickstartCampaign
{
    /// <summary>The sample campaign file, relative to the samples folder.</summary>
    public const string File = "campaigns/quickstart-coupon.json";

    /// <summary>Bootstrap refits of the uplift model behind the quickstart's intervals (<c>campaign forecast</c> makes 10 by default).</summary>
    public const int Replicates = 3;

    /// <summary>Designs and forecasts the sample campaign; returns the <c>campaign_forecast</c> JSON and the lines to print.</summary>
    /// <exception cref="ArgumentException">The campaign file is missing or invalid, or the store cannot be planned on.</exception>
    public static (JsonObject Json, IReadOnlyList<string> Lines) Run(CliConsole console, DuckDbStore store, string samples)
    {
        var clock = Stopwatch.StartNew();
        var path = Path.Combine(samples, File);
        var text = System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path) : throw new ArgumentException($"{path}: the sample campaign is missing.");
        var (campaign, problems) = CampaignJson.Parse(text, path);
        if (campaign is null || problems.Count > 0)
        {
            throw new ArgumentException($"{path}: not a valid campaign: {string.Join("; ", problems)}");
        }

        // Profiles: reuse the latest build, else build them now as `promopilot profile build` does.
        var profilesBuilt = false;
        if (ProfileTable.Load(store) is null)
        {
            var cutOff = CustomerActivityQuery.DefaultAsOf(store) ?? throw new ArgumentException("The store has no customer events to profile.");
            _ = ProfileTable.Save(store, cutOff, null, console.Clock.GetUtcNow(), ProfileBuilder.Build(CustomerActivityQuery.Load(store, cutOff), cutOff));
            profilesBuilt = true;
        }

        var campaigns = new DuckDbCampaignStore(store);
        var budget = (double)(campaign.Budget ?? throw new ArgumentException($"{path}: the sample campaign states no budget."));
        var settings = new EffectForecastSettings { Replicates = Replicates };
        var data = CampaignPlanning.LoadEffectData(store, campaigns, campaign, settings);
        var plan = CampaignPlanning.Optimize(data.Audience, campaign, budget, new DiscountResponseOptions().Margin);
        var planned = CampaignPlanning.ForecastEffect(data, settings);
        var f = planned.Forecast;
        var seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);

        var json = new JsonObject
        {
            ["campaign"] = campaign.Id,
            ["file"] = Path.Combine("samples", File),
            ["stored"] = false,
            ["audience"] = campaign.Audience,
            ["budget"] = budget,
            ["holdout_fraction"] = campaign.HoldoutFraction,
            ["offers"] = new JsonArray([.. campaign.Offers.Select(o => (JsonNode)JsonValue.Create(o.Id))]),
            ["profile_version"] = data.Audience.ProfileVersion,
            ["profiles_built"] = profilesBuilt,
            ["targeting"] = new JsonObject
            {
                ["users"] = plan.Users,
                ["users_targeted"] = plan.UsersTargeted,
                ["objective"] = plan.Objective,
                ["spend"] = plan.Spend,
                ["bound"] = plan.Bound,
                ["bound_source"] = plan.BoundSource,
                ["gap"] = plan.Gap,
                ["greedy_objective"] = plan.GreedyObjective,
                ["plan"] = new JsonArray([.. plan.Allocations.Select(a => (JsonNode)new JsonObject { ["offer"] = a.OfferId, ["users"] = a.Users, ["spend"] = a.Spend })]),
                ["value_model"] = "discount response simulation (docs/campaigns.md)",
            },
            ["forecast"] = Modeling.EffectForecastJson.Write(f),
            ["model"] = planned.Model,
            ["training_campaign"] = planned.Training.CampaignId,
            ["costed_offer"] = planned.CostedOffer.Id,
            ["replicates"] = Replicates,
            ["replicates_note"] = $"quickstart uses {Replicates} bootstrap refits to stay fast; promopilot campaign forecast uses 10 by default (--replicates)",
            ["seconds"] = seconds,
        };

        static string Fig(EffectInterval e, string format) =>
            string.Create(CultureInfo.InvariantCulture, $"{e.Value.ToString(format, CultureInfo.InvariantCulture)} [{e.Low.ToString(format, CultureInfo.InvariantCulture)}, {e.High.ToString(format, CultureInfo.InvariantCulture)}]");
        var lines = new List<string>
        {
            FormattableString.Invariant($"Campaign {campaign.Id} ({Path.Combine("samples", File)}): {campaign.Offers.Count} offers ({string.Join(", ", campaign.Offers.Select(o => o.Id))}), budget {budget:N0}, audience '{campaign.Audience}': {data.Audience.Profiles.Count:N0} profiles (version {data.Audience.ProfileVersion}{(profilesBuilt ? ", built now" : "")})"),
            FormattableString.Invariant($"  targeting: {plan.UsersTargeted:N0} of {plan.Users:N0} users get an offer ({string.Join(", ", plan.Allocations.Select(a => $"{a.OfferId} {a.Users:N0}"))}); expected incremental profit {plan.Objective:N2} (bound {plan.Bound:N2}), spend {plan.Spend:N2} of {budget:N0}"),
            FormattableString.Invariant($"  forecast ({f.Level:P0} intervals; {planned.Model}):"),
            FormattableString.Invariant($"    reach {Fig(f.Reach, "N0")}, incremental conversions {Fig(f.IncrementalConversions, "N1")}, incremental revenue {Fig(f.IncrementalRevenue, "N0")}"),
            FormattableString.Invariant($"    cost {Fig(f.Cost, "N0")}, ROI {(f.Roi is { } roi ? Fig(roi, "N2") : "n/a")}"),
            $"  (quickstart uses {Replicates} bootstrap refits to stay fast; promopilot campaign forecast makes 10 by default)",
            $"  Next: promopilot campaign create --file {Path.Combine("samples", File)}, then campaign optimize {campaign.Id} --save, forecast, approve, launch",
        };
        return (json, lines);
    }
}
