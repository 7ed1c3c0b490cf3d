using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PromoPilot.Core.Campaigns;
using PromoPilot.Measurement.Experiments.Analysis;
using PromoPilot.Measurement.Experiments.Statistics;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot campaign: launched campaigns measured against their holdouts (docs/experiments.md).</summary>
internal static partial class CampaignCommand
{
    public static Command Create(CliConsole console) => new("campaign", "Campaigns: create, optimize, approve, launch with a holdout, read out against the forecast.")
    {
        CreateCommand(console), List(console), ForecastCommand(console), Approve(console), Launch(console), Optimize(console),
        Readout(console),
    };

    private static Command Readout(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "The campaign id (as imported, e.g. hillstrom_email_2008)." };
        var db = CommonOptions.Db();
        var dataset = new Option<string?>("--dataset") { Description = "The dataset, when several use the same campaign id." };
        var alpha = new Option<double>("--alpha") { Description = "Significance level; intervals cover 1 - alpha.", DefaultValueFactory = _ => 0.05 };
        var json = CommonOptions.Json();
        var command = new Command("readout", "Incremental conversions and revenue of a campaign against its holdout, beside its forecast; stored in campaign_readouts.")
        {
            id, db, dataset, alpha, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var clock = Stopwatch.StartNew();
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var campaignId = parse.GetValue(id)!;
            var campaign = CampaignExposureQuery.Find(store, campaignId, parse.GetValue(dataset))
                ?? throw new ArgumentException($"no campaign '{campaignId}' in the store (campaigns with exposures: {string.Join(", ", CampaignExposureQuery.WithExposures(store).Select(c => c.CampaignId))}).");
            var sums = CampaignExposureQuery.Load(store, campaign.CampaignKey);
            if (sums.Count == 0)
            {
                throw new ArgumentException($"campaign '{campaignId}' has no exposures: nothing to read out.");
            }

            var arms = sums.Select(s => new CampaignArm(
                s.Arm, s.IsControl, MetricSummary.OfProportion(s.Units, s.Converted), new MetricSummary(s.Units, s.Revenue, s.RevenueSquares))).ToList();
            var forecasts = CampaignResultTables.LatestForecasts(store, campaign.CampaignKey);
            var readouts = CampaignReadoutAnalysis.Analyze(arms, forecasts, parse.GetValue(alpha));
            var (weights, planned) = PlannedSplit(campaign, sums);
            var srm = SampleRatioMismatch.Check([.. sums.Select(s => s.Units)], weights);
            CampaignResultTables.SaveReadout(store, campaign.CampaignKey, console.Clock.GetUtcNow(), readouts);
            var calibration = CampaignResultTables.Calibration(store);

            if (parse.GetValue(json))
            {
                console.WriteJson(Report(campaign, sums, readouts, srm, planned, calibration, clock.Elapsed.TotalSeconds));
            }
            else
            {
                WriteText(console, campaign, readouts, srm);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The split the campaign planned (attributes.weights), else equal weights, which the report says.</summary>
    private static (double[] Weights, string Planned) PlannedSplit(CampaignInfo campaign, IReadOnlyList<ArmSums> sums)
    {
        if (campaign.AttributesJson is { } text && JsonNode.Parse(text) is JsonObject attributes && attributes["weights"] is JsonObject weights)
        {
            var missing = sums.Where(s => weights[s.Arm] is null).Select(s => s.Arm).ToList();
            if (missing.Count > 0)
            {
                throw new ArgumentException($"campaign '{campaign.CampaignId}': attributes.weights has no weight for arm(s) {string.Join(", ", missing)}.");
            }

            return ([.. sums.Select(s => weights[s.Arm]!.GetValue<double>())], "campaign attributes");
        }

        return ([.. sums.Select(_ => 1.0)], "equal (the campaign states no weights)");
    }

    private static JsonObject Report(
        CampaignInfo campaign, IReadOnlyList<ArmSums> sums, IReadOnlyList<CampaignReadout> readouts, SampleRatioResult srm,
        string planned, IReadOnlyList<ForecastCalibration> calibration, double seconds) => new()
    {
        ["campaign"] = campaign.CampaignId,
        ["dataset"] = campaign.Dataset,
        ["name"] = campaign.Name,
        ["arms"] = new JsonArray([.. sums.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Arm,
            ["is_control"] = s.IsControl,
            ["units"] = s.Units,
            ["conversion_rate"] = s.Units > 0 ? (double)s.Converted / s.Units : null,
            ["revenue_per_unit"] = s.Units > 0 ? s.Revenue / s.Units : null,
        })]),
        ["srm_p_value"] = srm.PValue,
        ["srm_alert"] = srm.Mismatch,
        ["planned_split"] = planned,
        ["readouts"] = new JsonArray([.. readouts.Select(r => (JsonNode)new JsonObject
        {
            ["metric"] = r.Metric,
            ["arm"] = r.Arm,
            ["control"] = r.ControlArm,
            ["treated_units"] = r.TreatedUnits,
            ["control_units"] = r.ControlUnits,
            ["treated_mean"] = r.TreatedMean,
            ["control_mean"] = r.ControlMean,
            ["incremental"] = r.Incremental,
            ["ci_low"] = r.Low,
            ["ci_high"] = r.High,
            ["level"] = r.Level,
            ["p_value"] = r.PValue,
            ["status"] = r.Status,
            ["forecast"] = r.Forecast is { } f ? new JsonObject
            {
                ["value"] = f.Value, ["ci_low"] = f.Low, ["ci_high"] = f.High, ["level"] = f.Level, ["model"] = f.Model,
                ["created_at"] = f.CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            } : null,
            ["forecast_error"] = r.ForecastError,
            ["forecast_covered"] = r.ForecastCovered,
        })]),
        ["calibration"] = new JsonArray([.. calibration.Select(c => (JsonNode)new JsonObject
        {
            ["metric"] = c.Metric,
            ["readouts"] = c.Readouts,
            ["covered"] = c.Covered,
            ["coverage"] = (double)c.Covered / c.Readouts,
            ["mean_nominal_level"] = c.MeanNominalLevel,
            ["mean_absolute_error"] = c.MeanAbsoluteError,
            ["mean_error"] = c.MeanError,
        })]),
        ["table"] = "campaign_readouts",
        ["seconds"] = Math.Round(seconds, 3),
    };

    private static void WriteText(CliConsole console, CampaignInfo campaign, IReadOnlyList<CampaignReadout> readouts, SampleRatioResult srm)
    {
        var o = console.Output;
        o.WriteLine($"{campaign.CampaignId} ({campaign.Dataset}): readout against the holdout");
        foreach (var r in readouts)
        {
            var forecast = r.Forecast is { } f
                ? FormattableString.Invariant($"; forecast {f.Value:N1} [{f.Low:N1}, {f.High:N1}] {(r.ForecastCovered == true ? "covered it" : "missed it")}")
                : string.Empty;
            o.WriteLine(FormattableString.Invariant(
                $"  {r.Arm} vs {r.ControlArm}: {r.Metric} {r.Incremental:N1} [{r.Low:N1}, {r.High:N1}], p {r.PValue:G3}{forecast}"));
        }

        o.WriteLine(FormattableString.Invariant($"  sample ratio: p {srm.PValue:G3}{(srm.Mismatch ? " MISMATCH: check the assignment before trusting the effect" : "")}"));
    }
}
