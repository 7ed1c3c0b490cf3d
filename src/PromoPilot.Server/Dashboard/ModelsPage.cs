using System.Text;
using Microsoft.AspNetCore.Http;
using PromoPilot.Measurement.Monitoring;
using PromoPilot.Server.Monitoring;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The Models page: per monitored model its training metrics, calibration plot (training and now), feature importance
/// and the drift table (PSI per feature and for the score, coloured and labelled ok / warn / alert); then every
/// read-out campaign's forecast beside its readout. Reads the cached monitoring pass (<see cref="ModelMonitorCache"/>).
/// </summary>
internal static class ModelsPage
{
    /// <summary>Status colours with text contrast above 4.5:1 on their backgrounds; the label is always written too.</summary>
    public const string Styles = """
        <style>
        .status { display: inline-block; padding: .05em .5em; border-radius: 3px; font-weight: 600; }
        .status-ok { background: #dafbe1; color: #0f5323; }
        .status-warn { background: #fff8c5; color: #6c4a00; }
        .status-alert { background: #ffebe9; color: #8c0b1d; }
        .status-none { background: #eaeef2; color: #3b434c; }
        </style>
        """;

    public static IResult Render(HttpContext http, ModelMonitorCache monitor)
    {
        var body = new StringBuilder(Styles);
        var (report, problem) = monitor.Current();
        if (report is null)
        {
            body.Append(Note(problem ?? "No monitoring data."));
            return DashboardApp.Page(http, DashboardApp.Layout(http, "Models", "/dashboard/models", body.ToString()));
        }

        body.Append(Invariant, $"<p class=\"note\">Monitoring pass of {E(report.ComputedAt.ToString("u", Invariant))} (recomputed every {ModelMonitorCache.MaxAge.TotalMinutes:0} minutes). PSI: warn at {report.Options.Warn.ToString(Invariant)}, alert at {report.Options.Alert.ToString(Invariant)}; {report.Options.Bins} quantile bins of the training data.</p>");
        if (report.Models.Count == 0)
        {
            body.Append(Note("No model with a saved training reference: run promopilot decide fit-effect --db STORE --campaign ID (it saves the reference beside the model)."));
        }

        foreach (var model in report.Models)
        {
            AppendModel(body, model);
        }

        body.Append("<section aria-labelledby=\"fva\"><h2 id=\"fva\">Forecast versus actual</h2>");
        if (report.Campaigns.Count == 0)
        {
            body.Append(Note("No readout with a forecast yet: forecast a campaign before launch, then run promopilot campaign readout."));
        }
        else
        {
            body.Append("<table><thead><tr><th scope=\"col\">Campaign</th><th scope=\"col\" class=\"l\">Arm</th><th scope=\"col\" class=\"l\">Metric</th><th scope=\"col\">Forecast</th><th scope=\"col\">Forecast interval</th><th scope=\"col\">Actual</th><th scope=\"col\">Actual interval</th><th scope=\"col\">Error</th><th scope=\"col\" class=\"l\">Covered</th></tr></thead><tbody>");
            foreach (var c in report.Campaigns)
            {
                var f = c.Comparison;
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(c.CampaignId)}</th><td class=\"l\">{E(c.Arm)}</td><td class=\"l\">{E(f.Metric.Replace('_', ' '))}</td><td>{N(f.Forecast, 2)}</td><td>[{N(f.ForecastLow, 2)}, {N(f.ForecastHigh, 2)}]</td><td>{N(f.Actual, 2)}</td><td>{(f.ActualLow is { } l && f.ActualHigh is { } h ? $"[{N(l, 2)}, {N(h, 2)}]" : "—")}</td><td>{N(f.Error, 2)}</td><td class=\"l\">{(f.Covered ? Badge("covered", "ok") : Badge("outside", "alert"))}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");
        return DashboardApp.Page(http, DashboardApp.Layout(http, "Models", "/dashboard/models", body.ToString()));
    }

    private static void AppendModel(StringBuilder body, ModelDrift model)
    {
        var id = "m-" + string.Concat(model.Name.Select(c => char.IsLetterOrDigit(c) ? c : '-'));
        body.Append(Invariant, $"<section aria-labelledby=\"{id}\"><h2 id=\"{id}\">{E(model.Name)} <span class=\"note\">v{model.Version}</span> {Badge(ModelMonitor.Text(model.Status), ModelMonitor.Text(model.Status))}</h2>");
        body.Append(Invariant, $"<p class=\"note\">{E(model.Kind)} predicting {E(model.Outcome)}, trained {E(model.TrainedAt.ToString("u", Invariant))} on {E(model.CampaignId ?? "—")}; file {E(model.ModelPath)}.</p>");
        body.Append("<div class=\"cards\">");
        foreach (var (name, value) in model.Metrics)
        {
            body.Append(Card(name.Replace('_', ' '), name.Contains("ece", StringComparison.Ordinal) || name.Contains("rate", StringComparison.Ordinal) ? N(value, 4) : N(value, value % 1 == 0 ? 0 : 2)));
        }

        body.Append("</div>");

        body.Append(Invariant, $"<h3>Drift (population stability index)</h3>");
        body.Append("<table><caption>Customers in the store now against the training data</caption><thead><tr><th scope=\"col\">Quantity</th><th scope=\"col\">PSI</th><th scope=\"col\" class=\"l\">Status</th><th scope=\"col\">Training rows</th><th scope=\"col\">Customers now</th><th scope=\"col\">Missing now</th></tr></thead><tbody>");
        foreach (var q in model.Features.Append(model.Score))
        {
            var label = q == model.Score ? "score (predicted uplift)" : q.Name;
            var status = q.Status is { } s ? Badge(ModelMonitor.Text(s), ModelMonitor.Text(s)) : Badge("no data", "none");
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(label)}</th><td>{(q.Psi is { } psi ? PopulationStability.Format(psi) : "—")}</td><td class=\"l\">{status}</td><td>{N(q.ReferenceCount)}</td><td>{N(q.RecentCount)}</td><td>{N(q.RecentMissing)}</td></tr>");
        }

        body.Append("</tbody></table>");

        body.Append("<h3>Calibration</h3>");
        if (model.Calibration is not { } calibration)
        {
            body.Append(Note("No outcomes in the store for this model's campaign."));
        }
        else
        {
            var status = calibration.Status is { } s ? Badge(ModelMonitor.Text(s), ModelMonitor.Text(s)) : Badge("too few outcomes", "none");
            body.Append(Invariant, $"<p>Expected calibration error: {N(calibration.Reference.Ece, 4)} at training, {N(calibration.Recent.Ece, 4)} on {N(calibration.Recent.Count)} outcomes now (change {N(calibration.EceIncrease, 4)}) {status}</p>");
            body.Append(CalibrationPlot(model.Name, calibration));
            body.Append("<table><caption>Reliability table, outcomes now</caption><thead><tr><th scope=\"col\">Predicted</th><th scope=\"col\">Count</th><th scope=\"col\">Mean predicted</th><th scope=\"col\">Observed</th></tr></thead><tbody>");
            foreach (var b in calibration.Recent.Bins.Where(b => b.Count > 0))
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{N(b.Low, 4)}–{N(b.High, 4)}</th><td>{N(b.Count)}</td><td>{N(b.MeanPredicted, 4)}</td><td>{N(b.ObservedRate, 4)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<h3>Feature importance</h3>");
        var weights = model.Importance.Take(15).ToList();
        body.Append(Svg.Bars($"{model.Name}: |coefficient| of each standardized feature on the uplift log-odds", [.. weights.Select(w => w.Feature)], [.. weights.Select(w => w.Uplift)], v => N(v, 3)));
        body.Append("<table><thead><tr><th scope=\"col\">Feature</th><th scope=\"col\">Uplift weight</th><th scope=\"col\">Baseline weight</th></tr></thead><tbody>");
        foreach (var w in model.Importance)
        {
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(w.Feature)}</th><td>{N(w.Uplift, 4)}</td><td>{N(w.Baseline, 4)}</td></tr>");
        }

        body.Append("</tbody></table></section>");
    }

    /// <summary>Observed rate against mean prediction per bin, training and now, with the diagonal of perfect calibration.</summary>
    internal static string CalibrationPlot(string model, CalibrationDriftResult calibration)
    {
        static IReadOnlyList<(double, double)> Points(ReliabilityTable t) => [.. t.Bins.Where(b => b.Count > 0).Select(b => (b.MeanPredicted, b.ObservedRate))];
        var all = calibration.Reference.Bins.Concat(calibration.Recent.Bins).Where(b => b.Count > 0).SelectMany(b => new[] { b.MeanPredicted, b.ObservedRate }).ToList();
        var top = Math.Min(1, Math.Ceiling((all.Count == 0 ? 1 : all.Max()) * 10 + 0.5) / 10);
        return Charts.Lines(
            $"Calibration of {model}: observed outcome rate against mean prediction per bin",
            [
                new LineSeries("perfect calibration", [(0, 0), (top, top)], Dashed: true, Colour: Charts.Grey),
                new LineSeries("training", Points(calibration.Reference), Markers: true, Colour: Charts.Orange),
                new LineSeries("now", Points(calibration.Recent), Markers: true, Colour: Charts.Blue),
            ],
            v => N(v, 3), v => N(v, 3), "mean predicted probability", "observed rate", fixedRange: (0, top));
    }

    private static string Badge(string text, string status) => $"<span class=\"status status-{E(status)}\">{E(text)}</span>";
}
