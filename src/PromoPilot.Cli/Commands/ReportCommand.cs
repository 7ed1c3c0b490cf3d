using System.CommandLine;
using System.Text;
using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Models.Evaluation;
using PromoPilot.Server.Monitoring;
using PromoPilot.Server.Reports;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot report campaign: a self-contained HTML report of one campaign (docs/monitoring.md).</summary>
internal static class ReportCommand
{
    /// <summary>Qini curves are drawn from at most this many points.</summary>
    private const int CurvePoints = 200;

    public static Command Create(CliConsole console) => new("report", "Self-contained HTML reports for sharing.")
    {
        Campaign(console),
    };

    private static Command Campaign(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "The campaign id (as imported or designed)." };
        var db = CommonOptions.Db();
        var dataset = new Option<string?>("--dataset") { Description = "The dataset, when several use the campaign id." };
        var output = new Option<string>("--out") { Description = "Where to write the HTML file.", DefaultValueFactory = _ => "report.html" };
        var json = CommonOptions.Json();
        var command = new Command("campaign", "One campaign: definition, forecast beside the readout with intervals, outcomes over time, Qini curve; one HTML file with inline charts.")
        {
            id, db, dataset, output, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var data = Gather(store, parse.GetValue(id)!, parse.GetValue(dataset), console.Clock.GetUtcNow());
            var html = CampaignReport.Render(data);
            var path = parse.GetValue(output)!;
            File.WriteAllText(path, html, new UTF8Encoding(false));
            if (parse.GetValue(json))
            {
                console.WriteJson(new
                {
                    campaign = data.CampaignId,
                    path = Path.GetFullPath(path),
                    bytes = new FileInfo(path).Length,
                    readout_rows = data.Readouts.Count,
                    forecasts = data.Forecasts.Count,
                    days = data.Days.Count,
                    qini = data.Qini is not null,
                });
            }
            else
            {
                console.Output.WriteLine($"{path}: report of {data.CampaignId} ({data.Readouts.Count} readout rows, {data.Forecasts.Count} forecasts{(data.Qini is null ? "" : ", Qini curve")})");
            }

            return 0;
        }));
        return command;
    }

    internal static CampaignReportData Gather(DuckDbStore store, string campaignId, string? dataset, DateTimeOffset now)
    {
        var info = CampaignExposureQuery.Find(store, campaignId, dataset)
            ?? throw new ArgumentException($"no campaign '{campaignId}' in the store (campaigns with exposures: {string.Join(", ", CampaignExposureQuery.WithExposures(store).Select(c => c.CampaignId))}).");
        var definition = info.Dataset == DuckDbCampaignStore.Dataset ? new DuckDbCampaignStore(store).Find(campaignId)?.Definition : null;
        var arms = CampaignExposureQuery.Load(store, info.CampaignKey).Select(a => new ReportArm(
            a.Arm, a.IsControl, a.Units, Rate(a.Visited, a.Units), Rate(a.Converted, a.Units), a.Units == 0 ? 0 : a.Revenue / a.Units)).ToList();
        var forecasts = CampaignResultTables.LatestForecasts(store, info.CampaignKey).Values.OrderBy(f => f.Metric, StringComparer.Ordinal).ToList();
        var readouts = DashboardQueries.Readouts(store).Where(r => r.CampaignKey == info.CampaignKey).ToList();
        var days = MonitoringTables.CampaignDays(store, info.CampaignKey).Select(d => new ReportDay(d.Day, d.IsControl, d.Units, d.Conversions)).ToList();
        return new CampaignReportData(
            info.CampaignId, definition?.Name ?? info.Name, info.Dataset, info.CampaignType, definition,
            definition is null ? null : JsonSerializer.Serialize(definition, CampaignJson.Options),
            arms, forecasts, readouts, days, Qini(store, info.CampaignKey), now);
    }

    /// <summary>The Qini curve of the latest effect model fitted on the campaign, over the campaign's exposures; null when none was fitted.</summary>
    private static ReportCurve? Qini(DuckDbStore store, int campaignKey)
    {
        if (MonitoringTables.Latest(store).Where(r => r.Kind == ModelMonitor.LinearUplift && r.CampaignKey == campaignKey).MaxBy(r => r.CreatedAt) is not { } row)
        {
            return null;
        }

        LinearUpliftModel model;
        using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(row.ModelJson)))
        {
            model = LinearUpliftModel.Load(stream);
        }

        var rows = EffectTrainingQuery.Load(store, campaignKey);
        if (rows.Count == 0 || rows.All(r => r.Treated) || rows.All(r => !r.Treated))
        {
            return null;
        }

        var visit = row.Outcome == "visit";
        double[] outcome = [.. rows.Select(r => (visit ? r.Visited : r.Converted) ? 1.0 : 0.0)];
        double[] uplift = [.. rows.Select(r => model.Predict(r.Features, withContributions: false).Uplift)];
        bool[] treated = [.. rows.Select(r => r.Treated)];
        var curve = UpliftMetrics.QiniCurve(outcome, uplift, treated);
        var step = Math.Max(1, curve.Targeted.Count / CurvePoints);
        var points = Enumerable.Range(0, curve.Targeted.Count).Where(i => i % step == 0 || i == curve.Targeted.Count - 1)
            .Select(i => (curve.Targeted[i], curve.Values[i])).ToList();
        var end = points[^1];
        return new ReportCurve(
            $"Qini curve of {row.Name} on the campaign's {rows.Count:N0} exposures", row.Name, points, [(0, 0), end],
            UpliftMetrics.QiniAucScore(outcome, uplift, treated));
    }

    private static double Rate(long count, long units) => units == 0 ? 0 : count / (double)units;
}
