using System.Text;
using PromoPilot.Core.Campaigns;
using PromoPilot.Server.Dashboard;
using PromoPilot.Storage.Queries;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Reports;

/// <summary>One arm of a campaign: units and outcome rates.</summary>
public sealed record ReportArm(string Arm, bool IsControl, long Units, double VisitRate, double ConversionRate, double RevenuePerUnit);

/// <summary>Units exposed on one day in the treated or control group, and how many of them converted.</summary>
public sealed record ReportDay(DateTime Day, bool IsControl, long Units, long Conversions);

/// <summary>A ranking curve for the report (Qini): the model's curve, and the straight line of random targeting.</summary>
public sealed record ReportCurve(string Title, string Model, IReadOnlyList<(double X, double Y)> Points, IReadOnlyList<(double X, double Y)> Random, double? Coefficient);

/// <summary>What a campaign report shows; gathered by the CLI from the store.</summary>
/// <param name="CampaignId">The campaign's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Dataset">The dataset it belongs to.</param>
/// <param name="Type">Its type as imported, if any.</param>
/// <param name="Definition">The designed campaign, when it was designed in PromoPilot.</param>
/// <param name="DefinitionJson">The definition as JSON (shown verbatim).</param>
/// <param name="Arms">Its arms and their outcomes.</param>
/// <param name="Forecasts">The latest forecast per metric (made before launch).</param>
/// <param name="Readouts">The stored readout rows.</param>
/// <param name="Days">Exposures and conversions per day (empty when exposures carry no time).</param>
/// <param name="Qini">The Qini curve of the effect model fitted on this campaign, if one was.</param>
/// <param name="GeneratedAt">When the report was made.</param>
public sealed record CampaignReportData(
    string CampaignId, string? Name, string Dataset, string? Type, CampaignDefinition? Definition, string? DefinitionJson,
    IReadOnlyList<ReportArm> Arms, IReadOnlyList<CampaignForecast> Forecasts, IReadOnlyList<CampaignReadoutRow> Readouts,
    IReadOnlyList<ReportDay> Days, ReportCurve? Qini, DateTimeOffset GeneratedAt);

/// <summary>
/// A campaign report as one self-contained HTML file (inline CSS and SVG, no script, no link to anything outside the
/// file): the definition, the forecast beside the readout with their intervals, exposures and conversion over time,
/// and the Qini curve of the campaign's effect model when one was fitted.
/// </summary>
public static class CampaignReport
{
    public static string Render(CampaignReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var title = $"Campaign report: {data.Name ?? data.CampaignId}";
        var body = new StringBuilder(16_384);
        body.Append(Invariant, $"<p class=\"note\">Campaign <code>{E(data.CampaignId)}</code> of dataset {E(data.Dataset)}{(data.Type is null ? "" : $", type {E(data.Type)}")}; report generated {E(data.GeneratedAt.ToString("u", Invariant))} by promopilot report campaign.</p>");

        body.Append("<section aria-labelledby=\"definition\"><h2 id=\"definition\">Definition</h2>");
        if (data.Definition is { } d)
        {
            body.Append("<table><tbody>");
            Row(body, "Status", d.Status.ToString());
            Row(body, "Window", $"{d.Starts?.ToString("u", Invariant) ?? "open"} – {d.Ends?.ToString("u", Invariant) ?? "open"}");
            Row(body, "Audience", d.Audience ?? d.Segment ?? "everyone");
            Row(body, "Budget", d.Budget is { } b ? Money((double)b) : "unlimited");
            Row(body, "Holdout", Percent(d.HoldoutFraction));
            Row(body, "Offers", string.Join(", ", d.Offers.Select(o => $"{o.Name} ({o.Type})")));
            body.Append("</tbody></table>");
            if (data.DefinitionJson is { } json)
            {
                body.Append(Invariant, $"<details><summary>Definition as JSON</summary><pre>{E(json)}</pre></details>");
            }
        }
        else
        {
            body.Append(Note("Imported with the data (not designed in PromoPilot): its arms are below."));
        }

        if (data.Arms.Count > 0)
        {
            body.Append("<table><caption>Arms</caption><thead><tr><th scope=\"col\">Arm</th><th scope=\"col\" class=\"l\">Role</th><th scope=\"col\">Units</th><th scope=\"col\">Visit rate</th><th scope=\"col\">Conversion rate</th><th scope=\"col\">Revenue per unit</th></tr></thead><tbody>");
            foreach (var a in data.Arms)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(a.Arm)}</th><td class=\"l\">{(a.IsControl ? "control (holdout)" : "treated")}</td><td>{N(a.Units)}</td><td>{Percent(a.VisitRate)}</td><td>{Percent(a.ConversionRate)}</td><td>{Money(a.RevenuePerUnit)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");

        body.Append("<section aria-labelledby=\"results\"><h2 id=\"results\">Forecast beside the readout</h2>");
        if (data.Readouts.Count == 0 && data.Forecasts.Count == 0)
        {
            body.Append(Note("Neither a forecast nor a readout is stored: run promopilot campaign forecast before launch and promopilot campaign readout after."));
        }

        foreach (var metric in data.Readouts.Select(r => r.Metric).Concat(data.Forecasts.Select(f => f.Metric)).Distinct(StringComparer.Ordinal))
        {
            var rows = new List<IntervalRow>();
            foreach (var r in data.Readouts.Where(r => r.Metric == metric))
            {
                rows.Add(new IntervalRow(r.Arm, r.Incremental, r.Low, r.High, "measured"));
            }

            if (data.Forecasts.FirstOrDefault(f => f.Metric == metric) is { } forecast)
            {
                rows.Add(new IntervalRow($"forecast ({forecast.Model})", forecast.Value, forecast.Low, forecast.High, "forecast"));
            }

            body.Append(Invariant, $"<h3>{E(metric.Replace('_', ' '))}</h3>");
            body.Append(Svg.Intervals($"{metric}: measured by arm and forecast, with intervals", rows, v => N(v, 2)));
            body.Append("<table><thead><tr><th scope=\"col\">Row</th><th scope=\"col\">Estimate</th><th scope=\"col\">Interval</th><th scope=\"col\">Level</th><th scope=\"col\" class=\"l\">Status</th></tr></thead><tbody>");
            foreach (var r in data.Readouts.Where(r => r.Metric == metric))
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(r.Arm)} (measured, {N(r.TreatedUnits)} treated vs {N(r.ControlUnits)} control)</th><td>{N(r.Incremental, 2)}</td><td>{Interval(r.Low, r.High)}</td><td>{Percent(r.Level)}</td><td class=\"l\">{E(r.Status)}</td></tr>");
            }

            if (data.Forecasts.FirstOrDefault(f => f.Metric == metric) is { } f)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">forecast ({E(f.Model)}, {E(f.CreatedAt.ToString("u", Invariant))})</th><td>{N(f.Value, 2)}</td><td>{Interval(f.Low, f.High)}</td><td>{Percent(f.Level)}</td><td class=\"l\">made before launch</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");

        body.Append("<section aria-labelledby=\"time\"><h2 id=\"time\">Over time</h2>");
        if (data.Days.Count == 0)
        {
            body.Append(Note("The exposures of this campaign carry no time, so there is no series over time."));
        }
        else
        {
            IReadOnlyList<(double, double)> Series(bool control) =>
                [.. data.Days.Where(x => x.IsControl == control).OrderBy(x => x.Day).Select(x => ((double)x.Day.ToOADate(), x.Units == 0 ? 0 : x.Conversions / (double)x.Units))];
            body.Append(Charts.Lines(
                "Conversion rate per day of exposure, treated and control",
                [new LineSeries("treated", Series(false), Markers: true, Colour: Charts.Blue), new LineSeries("control", Series(true), Markers: true, Colour: Charts.Orange)],
                v => DateTime.FromOADate(v).ToString("yyyy-MM-dd", Invariant), v => Percent(v), "day of exposure", "conversion rate"));
            body.Append("<table><thead><tr><th scope=\"col\">Day</th><th scope=\"col\" class=\"l\">Group</th><th scope=\"col\">Units</th><th scope=\"col\">Conversions</th></tr></thead><tbody>");
            foreach (var x in data.Days.OrderBy(x => x.Day).ThenBy(x => x.IsControl))
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{x.Day:yyyy-MM-dd}</th><td class=\"l\">{(x.IsControl ? "control" : "treated")}</td><td>{N(x.Units)}</td><td>{N(x.Conversions)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");

        body.Append("<section aria-labelledby=\"qini\"><h2 id=\"qini\">Qini curve</h2>");
        if (data.Qini is not { } q)
        {
            body.Append(Note("No effect model was fitted on this campaign (promopilot decide fit-effect --campaign ID), so there is no ranking to draw a Qini curve for."));
        }
        else
        {
            body.Append(Invariant, $"<p>Customers ranked by the predicted uplift of {E(q.Model)}; the curve is the incremental outcome gained by targeting the top share (treated outcomes minus control outcomes scaled to the treated count). {(q.Coefficient is { } c ? $"Normalized Qini coefficient: {N(c, 3)}." : "")} The model was fitted on these rows, so this curve is in-sample.</p>");
            body.Append(Charts.Lines(q.Title, [new LineSeries("model", q.Points, Colour: Charts.Blue), new LineSeries("random targeting", q.Random, Dashed: true, Colour: Charts.Grey)], v => N(v), v => N(v, 1), "customers targeted", "incremental outcome"));
        }

        body.Append("</section>");
        return Document(title, body.ToString());
    }

    private const string PreStyle = "pre { background: var(--panel); border: 1px solid var(--line); padding: .6em; overflow-x: auto; }";

    /// <summary>The standalone document: the dashboard's stylesheet inline, no navigation, no external reference.</summary>
    private static string Document(string title, string body)
    {
        var html = Head(title, $"<style>\n{Css}\n{PreStyle}\n</style>") + $"""

            <body>
            <header class="top"><span class="brand">PromoPilot</span></header>
            <main id="main">
            <h1>{E(title)}</h1>
            {body}
            </main>
            </body>
            </html>
            """;
        // Inline SVG in HTML needs no namespace declaration; dropping it keeps the file free of any URL.
        return html.Replace(" xmlns=\"http://www.w3.org/2000/svg\"", "", StringComparison.Ordinal);
    }

    private static void Row(StringBuilder body, string label, string value) =>
        body.Append(Invariant, $"<tr><th scope=\"row\">{E(label)}</th><td class=\"l\">{E(value)}</td></tr>");

    private static string Interval(double? low, double? high) => low is { } l && high is { } h ? $"[{N(l, 2)}, {N(h, 2)}]" : "—";
}
