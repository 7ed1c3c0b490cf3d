using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;
using PromoPilot.Campaigns.Workflow;
using PromoPilot.Measurement.Experiments.Analysis;
using PromoPilot.Measurement.Experiments.Statistics;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;
using PromoPilot.Server.Campaigns;
using PromoPilot.Storage;
using PromoPilot.Storage.Campaigns;
using PromoPilot.Storage.Queries;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>An uplift model's held-out Qini and uplift curves for a randomized campaign.</summary>
internal sealed record QiniResult(UpliftCurve Qini, UpliftCurve Uplift, double QiniCoefficient, int TrainRows, int TestRows);

/// <summary>
/// One campaign's results: its arms and the sample-ratio check, the readout against the holdout with intervals beside
/// the forecast (<see cref="CampaignReadoutAnalysis"/>, as <c>promopilot campaign readout</c>, computed live), the
/// Qini and uplift curves of a T-learner trained on one half of the randomized units and evaluated on the other, and
/// the arms' weekly revenue per customer over time with the launch marked.
/// </summary>
internal static class ResultsPage
{
    /// <summary>Held-out curves per store, campaign and exposure count: the fit takes seconds, the page must not.</summary>
    private static readonly ConcurrentDictionary<(string Store, int Campaign, int Rows), QiniResult?> QiniCache = new();

    public static string PathOf(string campaignId) => "/dashboard/campaigns/" + Uri.EscapeDataString(campaignId);

    public static IResult Show(HttpContext http, DashboardStore store, string id)
    {
        var body = new StringBuilder();
        var title = "Campaign results";
        var status = StatusCodes.Status200OK;
        var (_, problem) = store.Read(s =>
        {
            CampaignInfo? info;
            try
            {
                info = id.Length <= 200 ? CampaignExposureQuery.Find(s, id) : null;
            }
            catch (ArgumentException e)
            {
                body.Append(Note(e.Message));
                status = StatusCodes.Status404NotFound;
                return 0;
            }

            var stored = id.Length <= 200 ? new DuckDbCampaignStore(s).Find(id) : null;
            if (info is null && stored is null)
            {
                body.Append(Note($"No campaign '{id}' in the store."));
                status = StatusCodes.Status404NotFound;
                return 0;
            }

            title = "Results: " + (stored?.Definition.Name ?? info?.Name ?? id);
            Definition(body, stored, info, s);
            if (info is null)
            {
                body.Append(Note("Not launched yet: results appear once the campaign is live (launch assigns the holdout)."));
                return 0;
            }

            var sums = CampaignExposureQuery.Load(s, info.CampaignKey);
            Arms(body, sums);
            Readout(body, s, info, sums);
            Curves(body, s, store.Path ?? "", info, sums);
            OverTime(body, s, info);
            return 0;
        });
        if (problem is not null)
        {
            body.Append(Note(problem));
        }

        return DashboardApp.Page(http, DashboardApp.Layout(http, title, "/dashboard/campaigns", body.ToString()), status);
    }

    private static void Definition(StringBuilder body, StoredCampaign? stored, CampaignInfo? info, DuckDbStore store)
    {
        body.Append("<section aria-labelledby=\"about\"><h2 id=\"about\">Campaign</h2><div class=\"cards\">");
        if (stored is { Definition: var d })
        {
            body.Append(Card("Status", CampaignWorkflow.Name(d.Status), $"version {stored.Version}"));
            body.Append(Card("Budget", d.Budget is { } b ? Money((double)b) : "unlimited"));
            body.Append(Card("Holdout", Percent(d.HoldoutFraction)));
            body.Append(Card("Audience", d.Segment is null && d.Audience is null ? "everyone" : string.Join(" and ", new[] { d.Segment is { } seg ? $"segment {seg}" : null, d.Audience }.Where(x => x is not null)!)));
            body.Append(Card("Offer", string.Join(", ", d.Offers.Select(o => $"{o.Id} ({CampaignWorkflow.Name(o.Type)}{(o.Percent is { } p ? $" {Percent((double)p)}" : o.Amount is { } a ? $" {Money((double)a)}" : "")})"))));
        }
        else if (info is not null)
        {
            body.Append(Card("Dataset", info.Dataset));
            body.Append(Card("Type", info.CampaignType ?? "n/a"));
        }

        body.Append("</div>");
        if (stored is not null)
        {
            var audit = new DuckDbCampaignStore(store).Audit(stored.Definition.Id);
            body.Append("<table id=\"audit\"><caption>Workflow audit trail</caption><thead><tr><th scope=\"col\">Version</th><th scope=\"col\" class=\"l\">Action</th><th scope=\"col\" class=\"l\">Status</th><th scope=\"col\" class=\"l\">Actor</th><th scope=\"col\" class=\"l\">At (UTC)</th><th scope=\"col\" class=\"l\">Detail</th></tr></thead><tbody>");
            foreach (var a in audit)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{a.Version}</th><td class=\"l\">{E(a.Action)}</td><td class=\"l\">{E(a.FromStatus ?? "")} → {E(a.ToStatus)}</td><td class=\"l\">{E(a.Actor)}</td><td class=\"l\">{a.At.UtcDateTime:yyyy-MM-dd HH:mm}</td><td class=\"l\">{E(a.Detail)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");
    }

    private static void Arms(StringBuilder body, IReadOnlyList<ArmSums> sums)
    {
        body.Append("<section aria-labelledby=\"arms\"><h2 id=\"arms\">Arms</h2>");
        if (sums.Count == 0)
        {
            body.Append(Note("No exposures yet.")).Append("</section>");
            return;
        }

        body.Append("<table id=\"arms-table\"><thead><tr><th scope=\"col\">Arm</th><th scope=\"col\" class=\"l\">Role</th><th scope=\"col\">Units</th><th scope=\"col\">Converted</th><th scope=\"col\">Conversion rate</th><th scope=\"col\">Revenue</th><th scope=\"col\">Revenue per unit</th></tr></thead><tbody>");
        foreach (var a in sums)
        {
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(a.Arm)}</th><td class=\"l\">{(a.IsControl ? "holdout (control)" : "treated")}</td><td>{N(a.Units)}</td><td>{N(a.Converted)}</td><td>{Percent(a.Units > 0 ? (double)a.Converted / a.Units : double.NaN)}</td><td>{Money(a.Revenue)}</td><td>{N(a.Units > 0 ? a.Revenue / a.Units : double.NaN, 3)}</td></tr>");
        }

        body.Append("</tbody></table></section>");
    }

    private static void Readout(StringBuilder body, DuckDbStore store, CampaignInfo info, IReadOnlyList<ArmSums> sums)
    {
        body.Append("<section aria-labelledby=\"readout\"><h2 id=\"readout\">Readout beside the forecast</h2>");
        var forecasts = CampaignResultTables.LatestForecasts(store, info.CampaignKey);
        IReadOnlyList<PromoPilot.Core.Campaigns.CampaignReadout> readouts;
        try
        {
            var arms = sums.Select(a => new CampaignArm(a.Arm, a.IsControl, MetricSummary.OfProportion(a.Units, a.Converted), new MetricSummary(a.Units, a.Revenue, a.RevenueSquares))).ToList();
            readouts = arms.Count == 0 ? [] : CampaignReadoutAnalysis.Analyze(arms, forecasts);
        }
        catch (ArgumentException e)
        {
            body.Append(Note("No readout: " + e.Message)).Append("</section>");
            return;
        }

        if (readouts.Count == 0)
        {
            body.Append(Note("No readout: the campaign has no exposures.")).Append("</section>");
            return;
        }

        if (sums.All(a => a.Converted == 0))
        {
            body.Append(Note("No conversion recorded since the launch yet: the measured effect is 0 until outcomes arrive; the forecast is shown beside it."));
        }

        foreach (var metric in readouts.GroupBy(r => r.Metric, StringComparer.Ordinal))
        {
            var rows = new List<IntervalRow>();
            foreach (var r in metric)
            {
                rows.Add(new IntervalRow(r.Arm, r.Incremental, r.Low, r.High, "measured"));
                if (r.Forecast is { } f)
                {
                    rows.Add(new IntervalRow(r.Arm + " (forecast)", f.Value, f.Low, f.High, "forecast"));
                }
            }

            body.Append(Invariant, $"<h3>{E(metric.Key.Replace('_', ' '))} ({Percent(metric.First().Level)} intervals)</h3>");
            body.Append(Svg.Intervals($"{metric.Key} of {info.CampaignId} by arm: measured and forecast, with intervals", rows, v => N(v, 2)));
        }

        body.Append("<table id=\"readout-table\"><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\" class=\"l\">Arm</th><th scope=\"col\">Treated</th><th scope=\"col\">Control</th><th scope=\"col\">Incremental</th><th scope=\"col\">Interval</th><th scope=\"col\">p</th><th scope=\"col\">Forecast</th><th scope=\"col\">Forecast interval</th><th scope=\"col\" class=\"l\">Status</th></tr></thead><tbody>");
        foreach (var r in readouts)
        {
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(r.Metric)}</th><td class=\"l\">{E(r.Arm)}</td><td>{N(r.TreatedUnits)}</td><td>{N(r.ControlUnits)}</td><td>{N(r.Incremental, 2)}</td><td>{Interval(r.Low, r.High)}</td><td>{(r.PValue is { } p ? N(p, 4) : "n/a")}</td><td>{(r.Forecast is { } f ? N(f.Value, 2) : "none")}</td><td>{(r.Forecast is { } g ? Interval(g.Low, g.High) : "none")}</td><td class=\"l\">{E(r.Status)}</td></tr>");
        }

        body.Append("</tbody></table></section>");
    }

    private static void Curves(StringBuilder body, DuckDbStore store, string storePath, CampaignInfo info, IReadOnlyList<ArmSums> sums)
    {
        body.Append("<section aria-labelledby=\"qini\"><h2 id=\"qini\">Qini and uplift curves</h2>");
        var rows = (int)sums.Sum(a => a.Units);
        var result = QiniCache.GetOrAdd((storePath, info.CampaignKey, rows), _ => Qini(store, info));
        if (result is null)
        {
            body.Append(Note($"No curves: they need randomized units with conversions in both arms and the features {string.Join(", ", CampaignPlanning.TransferableFeatures)} on the units' users (the imported Hillstrom campaign has them; a campaign launched here gets them once outcomes arrive and its customers carry those attributes)."));
            body.Append("</section>");
            return;
        }

        body.Append(Invariant, $"<p class=\"note\">A T-learner (gradient-boosted trees) on {string.Join(", ", CampaignPlanning.TransferableFeatures)}, trained on a random half of the units ({N(result.TrainRows)}) and evaluated on the other half ({N(result.TestRows)}); customers ranked by predicted uplift, highest first. Qini coefficient {N(result.QiniCoefficient, 4)} (0 = random targeting, 1 = perfect).</p>");
        LineSeries Curve(string name, UpliftCurve c, bool dashed = false)
        {
            var n = Math.Max(1, c.Targeted[^1]);
            var step = Math.Max(1, c.Targeted.Count / 200);
            var points = c.Targeted.Select((t, i) => (t / n, c.Values[i])).Where((_, i) => i % step == 0 || i == c.Targeted.Count - 1).ToList();
            return new LineSeries(name, points, dashed);
        }

        LineSeries Random(UpliftCurve c) => new("random targeting", [(0, 0), (1, c.Values[^1])], Dashed: true);
        body.Append(Charts.Lines("Qini curve: incremental conversions by share of customers targeted, model against random", [Curve("model (Qini)", result.Qini), Random(result.Qini)], x => Percent(x), y => N(y, 1)));
        body.Append(Charts.Lines("Uplift curve: incremental conversions by share of customers targeted, model against random", [Curve("model (uplift)", result.Uplift), Random(result.Uplift)], x => Percent(x), y => N(y, 1)));
        body.Append("</section>");
    }

    /// <summary>Held-out curves of a T-learner, or null when the units lack the features or an arm has no conversion.</summary>
    private static QiniResult? Qini(DuckDbStore store, CampaignInfo info)
    {
        var rows = new DuckDbCampaignStore(store).TrainingRows(info.CampaignKey, CampaignPlanning.TransferableFeatures)
            .Where(r => r.Features.All(double.IsFinite)).ToList();
        if (rows.Count < 200 || !rows.Any(r => r.IsControl && r.Converted) || !rows.Any(r => !r.IsControl && r.Converted))
        {
            return null;
        }

        var random = new Random(0);
        var train = new List<int>();
        var test = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            (random.NextDouble() < 0.5 ? train : test).Add(i);
        }

        FeatureTable Table(List<int> take) => new([.. CampaignPlanning.TransferableFeatures.Select((name, f) => FeatureColumn.Numeric(name, [.. take.Select(i => rows[i].Features[f])]))]);
        try
        {
            var model = UpliftTrainer.Fit(Table(train), [.. train.Select(i => !rows[i].IsControl)], [.. train.Select(i => rows[i].Converted ? 1.0 : 0.0)], new UpliftOptions { Learner = UpliftLearner.T }, "arm", "conversion");
            var uplift = model.PredictUplift(Table(test));
            var outcome = test.Select(i => rows[i].Converted ? 1.0 : 0.0).ToArray();
            var treated = test.Select(i => !rows[i].IsControl).ToArray();
            return new QiniResult(UpliftMetrics.QiniCurve(outcome, uplift, treated), UpliftMetrics.UpliftCurve(outcome, uplift, treated), UpliftMetrics.QiniAucScore(outcome, uplift, treated), train.Count, test.Count);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void OverTime(StringBuilder body, DuckDbStore store, CampaignInfo info)
    {
        body.Append("<section aria-labelledby=\"overtime\"><h2 id=\"overtime\">Over time</h2>");
        var weeks = CampaignResultsQuery.WeeklyByArm(store, info.CampaignKey);
        if (weeks.Count == 0)
        {
            body.Append(Note("No purchases by the campaign's customers in the store's events (imported experiments such as Hillstrom carry their outcomes on the exposures only)."));
            body.Append("</section>");
            return;
        }

        var sizes = CampaignExposureQuery.Load(store, info.CampaignKey).ToDictionary(a => a.Arm, a => Math.Max(1, a.Units), StringComparer.Ordinal);
        var start = CampaignResultsQuery.Start(store, info.CampaignKey);
        var origin = weeks.Min(w => w.Week);
        var series = weeks.GroupBy(w => w.Arm, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new LineSeries(g.Key, [.. g.OrderBy(w => w.Week).Select(w => ((w.Week - origin).TotalDays, w.Revenue / sizes.GetValueOrDefault(g.Key, 1)))])).ToList();
        body.Append("<p class=\"note\">Weekly revenue per customer of each arm (purchases less refunds). Before the launch the arms should move together (randomization); after it the gap is the campaign's effect.</p>");
        body.Append(Charts.Lines("Weekly revenue per customer by arm", series, d => origin.AddDays(d).ToString("yyyy-MM-dd", Invariant), v => N(v, 2),
            markerX: start is { } s ? (s - origin).TotalDays : null, markerLabel: "launch"));
        body.Append("</section>");
    }

    private static string Interval(double? low, double? high) => low is { } l && high is { } h ? $"[{N(l, 2)}, {N(h, 2)}]" : "none";
}
