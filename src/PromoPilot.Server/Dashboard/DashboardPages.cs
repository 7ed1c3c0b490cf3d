using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using PromoPilot.Core.Campaigns;
using PromoPilot.Decisioning;
using PromoPilot.Storage.Queries;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>The dashboard's pages: each reads the store and the serving runtime on every request.</summary>
internal static class DashboardPages
{
    public static IResult Overview(HttpContext http, ServingRuntime runtime, ServerMetrics metrics, DashboardStore store)
    {
        var body = new StringBuilder();
        var (sales, problem) = store.Read(DashboardQueries.Sales);
        var live = runtime.Campaigns.Where(c => c.Definition.Status == CampaignStatus.Live).ToList();
        var budget = live.Sum(c => (double)(c.Definition.Budget ?? 0));
        var spent = live.Sum(c => runtime.Spend.TryGetValue(c.Definition.Id, out var s) ? s.SpentCents / 100.0 : 0);
        body.Append("<section aria-labelledby=\"figures\"><h2 id=\"figures\">Figures</h2><div class=\"cards\">");
        if (sales is not null)
        {
            body.Append(Card("Revenue", Money(sales.Revenue), $"net of {Money(sales.Refunds)} refunds"));
            body.Append(Card("Orders", N(sales.Orders)));
            body.Append(Card("Paying customers", N(sales.Customers)));
        }

        body.Append(Card("Live campaigns", N(live.Count), $"{runtime.Campaigns.Count} stored"));
        body.Append(Card("Budget burn", budget > 0 ? Percent(spent / budget) : "n/a", $"{Money(spent)} of {Money(budget)} (live campaigns)"));
        body.Append(Card("Decisions per minute", N(metrics.DecisionsLastMinute()), "this server, last 60 s"));
        body.Append("</div></section>");
        if (problem is not null)
        {
            body.Append(Note(problem));
        }

        if (sales is { Months.Count: > 0 })
        {
            body.Append(Invariant, $"<section aria-labelledby=\"monthly\"><h2 id=\"monthly\">Revenue by month</h2><p class=\"note\">{E(sales.From?.ToString("yyyy-MM-dd", Invariant))} to {E(sales.To?.ToString("yyyy-MM-dd", Invariant))}, purchases less refunds.</p>");
            body.Append(Svg.Bars("Revenue by month", [.. sales.Months.Select(m => m.Month.ToString("yyyy-MM", Invariant))], [.. sales.Months.Select(m => m.Revenue)], v => N(v)));
            body.Append("<table><caption>Revenue and orders by month</caption><thead><tr><th scope=\"col\">Month</th><th scope=\"col\">Revenue</th><th scope=\"col\">Orders</th></tr></thead><tbody>");
            foreach (var m in sales.Months)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{m.Month:yyyy-MM}</th><td>{Money(m.Revenue)}</td><td>{N(m.Orders)}</td></tr>");
            }

            body.Append("</tbody></table></section>");
        }

        body.Append("<section aria-labelledby=\"burn\"><h2 id=\"burn\">Budget burn of live campaigns</h2>");
        if (live.Count == 0)
        {
            body.Append(Note("No campaign is live. Admins create campaigns with POST /v1/campaigns or promopilot campaign create."));
        }
        else
        {
            body.Append("<table><thead><tr><th scope=\"col\">Campaign</th><th scope=\"col\">Budget</th><th scope=\"col\">Spent</th><th scope=\"col\">Redemptions</th><th scope=\"col\">Burn</th></tr></thead><tbody>");
            foreach (var c in live)
            {
                var s = runtime.Spend.GetValueOrDefault(c.Definition.Id);
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(c.Definition.Name)} <span class=\"note\">({E(c.Definition.Id)})</span></th><td>{(c.Definition.Budget is { } b ? Money((double)b) : "unlimited")}</td><td>{Money(s.SpentCents / 100.0)}</td><td>{N(s.Redemptions)}</td><td>{BurnBar(c.Definition.Budget, s.SpentCents)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");
        return DashboardApp.Page(http, DashboardApp.Layout(http, "Overview", "/dashboard", body.ToString()));
    }

    public static IResult Customers(HttpContext http, DashboardStore store)
    {
        var body = new StringBuilder();
        var (data, problem) = store.Read(s => (Rfm: DashboardQueries.Rfm(s), Clv: DashboardQueries.ClvValues(s), Segments: DashboardQueries.Segments(s)));
        if (problem is not null)
        {
            body.Append(Note(problem));
            return DashboardApp.Page(http, DashboardApp.Layout(http, "Customers", "/dashboard/customers", body.ToString()));
        }

        var (rfm, clv, segments) = data;
        body.Append("<section aria-labelledby=\"rfm\"><h2 id=\"rfm\">Recency × frequency</h2>");
        if (rfm.Cells.Count == 0)
        {
            body.Append(Note("No purchases in the store yet: import orders (promopilot import or quickstart)."));
        }
        else
        {
            var max = rfm.Cells.Max(c => c.Customers);
            body.Append(Invariant, $"<p class=\"note\">Customers by quintile score (5 = most recent, most frequent), from {E(rfm.Source)}; each cell shows customers and their mean spend.</p>");
            body.Append("<table class=\"heat\"><caption>Customers by recency score (rows) and frequency score (columns)</caption><thead><tr><th scope=\"col\">Recency \\ Frequency</th>");
            for (var f = 1; f <= 5; f++)
            {
                body.Append(Invariant, $"<th scope=\"col\">F{f}</th>");
            }

            body.Append("</tr></thead><tbody>");
            for (var r = 5; r >= 1; r--)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">R{r}</th>");
                for (var f = 1; f <= 5; f++)
                {
                    var cell = rfm.Cells.FirstOrDefault(c => c.RecencyScore == r && c.FrequencyScore == f);
                    var share = cell is null || max == 0 ? 0 : (double)cell.Customers / max;
                    var (background, ink) = Heat(share);
                    body.Append(Invariant, $"<td style=\"background:{background};color:{ink}\">{(cell is null ? "0" : $"{N(cell.Customers)}<br><small>{Money(cell.MeanMonetary)}</small>")}</td>");
                }

                body.Append("</tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section><section aria-labelledby=\"clv\"><h2 id=\"clv\">Customer lifetime value</h2>");
        if (clv.Count == 0)
        {
            body.Append(Note("No CLV predictions yet: run promopilot clv --db STORE."));
        }
        else
        {
            var sorted = clv.ToArray();
            double Q(double p) => sorted[(int)Math.Floor(p * (sorted.Length - 1))];
            body.Append("<div class=\"cards\">");
            body.Append(Card("Customers with a CLV", N(sorted.Length)));
            body.Append(Card("Median CLV", Money(Q(0.5))));
            body.Append(Card("Mean CLV", Money(sorted.Average())));
            body.Append(Card("90th percentile", Money(Q(0.9))));
            body.Append(Card("Total predicted", Money(sorted.Sum())));
            body.Append("</div>");
            body.Append(Svg.Histogram("Distribution of predicted customer lifetime value (customers per CLV band)", sorted, 20, v => N(v)));
        }

        body.Append("</section><section aria-labelledby=\"segments\"><h2 id=\"segments\">Segments</h2>");
        if (segments.Count == 0)
        {
            body.Append(Note("No segmentation yet: run promopilot segment --db STORE."));
        }
        else
        {
            body.Append(Svg.Bars("Customers per segment", [.. segments.Select(s => s.Name)], [.. segments.Select(s => (double)s.Customers)], v => N(v)));
            body.Append("<table><caption>Segment sizes (latest segmentation run)</caption><thead><tr><th scope=\"col\">Segment</th><th scope=\"col\">Customers</th><th scope=\"col\">Share</th></tr></thead><tbody>");
            var total = segments.Sum(s => s.Customers);
            foreach (var s in segments)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(s.Name)}</th><td>{N(s.Customers)}</td><td>{Percent((double)s.Customers / total)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");
        var (sections, sectionsProblem) = store.Read(s => CustomerSections.Render(s, store.Path ?? ""));
        body.Append(sections ?? Note(sectionsProblem!));
        return DashboardApp.Page(http, DashboardApp.Layout(http, "Customers", "/dashboard/customers", body.ToString()));
    }

    public static IResult Campaigns(HttpContext http, ServingRuntime runtime, DashboardStore store)
    {
        var body = new StringBuilder();
        body.Append("<section aria-labelledby=\"served\"><h2 id=\"served\">Served campaigns</h2>");
        if (runtime.Campaigns.Count == 0)
        {
            body.Append(Note("No campaign is stored in the decision service yet."));
        }
        else
        {
            body.Append("<table><thead><tr><th scope=\"col\">Campaign</th><th scope=\"col\" class=\"l\">Status</th><th scope=\"col\">Offers</th><th scope=\"col\">Holdout</th><th scope=\"col\">Budget</th><th scope=\"col\">Spent</th><th scope=\"col\">Redemptions</th><th scope=\"col\">Burn</th><th scope=\"col\">Version</th></tr></thead><tbody>");
            foreach (var c in runtime.Campaigns.OrderBy(c => c.Definition.Status).ThenBy(c => c.Definition.Id, StringComparer.Ordinal))
            {
                var d = c.Definition;
                var s = runtime.Spend.GetValueOrDefault(d.Id);
                var status = JsonNamingPolicyName(d.Status.ToString());
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(d.Name)} <span class=\"note\">({E(d.Id)})</span></th><td class=\"l\">{E(status)}</td><td>{d.Offers.Count}</td><td>{Percent(d.HoldoutFraction)}</td><td>{(d.Budget is { } b ? Money((double)b) : "unlimited")}</td><td>{Money(s.SpentCents / 100.0)}</td><td>{N(s.Redemptions)}</td><td>{BurnBar(d.Budget, s.SpentCents)}</td><td>{c.Version}</td></tr>");
            }

            body.Append("</tbody></table><p class=\"note\">Spend is read from the online state for live campaigns.</p>");
        }

        body.Append("</section>");
        var (data, problem) = store.Read(s => (Imported: DashboardQueries.ImportedCampaigns(s), Readouts: DashboardQueries.Readouts(s)));
        if (problem is not null)
        {
            body.Append(Note(problem));
            return DashboardApp.Page(http, DashboardApp.Layout(http, "Campaigns", "/dashboard/campaigns", body.ToString()));
        }

        var (imported, readouts) = data;
        body.Append("<section aria-labelledby=\"results\"><h2 id=\"results\">Results beside forecasts</h2>");
        if (readouts.Count == 0)
        {
            body.Append(Note("No readout yet: run promopilot campaign readout --db STORE for a campaign with exposures."));
        }
        else
        {
            foreach (var campaign in readouts.GroupBy(r => (r.CampaignKey, r.CampaignId, r.Name)))
            {
                var title = campaign.Key.Name ?? campaign.Key.CampaignId;
                body.Append(Invariant, $"<h3>{E(title)}</h3>");
                foreach (var metric in campaign.GroupBy(r => r.Metric, StringComparer.Ordinal))
                {
                    // One chart per metric: conversions and revenue live on different scales.
                    var rows = new List<IntervalRow>();
                    foreach (var r in metric)
                    {
                        rows.Add(new IntervalRow(r.Arm, r.Incremental, r.Low, r.High, "measured"));
                        if (r.Forecast is { } f)
                        {
                            rows.Add(new IntervalRow(r.Arm + " (forecast)", f, r.ForecastLow, r.ForecastHigh, "forecast"));
                        }
                    }

                    body.Append(Invariant, $"<h4>{E(metric.Key.Replace('_', ' '))} by arm (points: estimate; lines: {Percent(metric.First().Level)} interval)</h4>");
                    body.Append(Svg.Intervals($"{metric.Key} of {title} by arm: measured and forecast, with intervals", rows, v => N(v, 2)));
                }

                body.Append("<table><thead><tr><th scope=\"col\">Metric</th><th scope=\"col\" class=\"l\">Arm</th><th scope=\"col\">Treated</th><th scope=\"col\">Control</th><th scope=\"col\">Incremental</th><th scope=\"col\">Interval</th><th scope=\"col\">Forecast</th><th scope=\"col\">Forecast interval</th><th scope=\"col\" class=\"l\">Status</th></tr></thead><tbody>");
                foreach (var r in campaign)
                {
                    body.Append(Invariant, $"<tr><th scope=\"row\">{E(r.Metric)}</th><td class=\"l\">{E(r.Arm)}</td><td>{N(r.TreatedUnits)}</td><td>{N(r.ControlUnits)}</td><td>{N(r.Incremental, 4)}</td><td>{Interval(r.Low, r.High)}</td><td>{(r.Forecast is { } f ? N(f, 4) : "none")}</td><td>{Interval(r.ForecastLow, r.ForecastHigh)}</td><td class=\"l\">{E(r.Status)}</td></tr>");
                }

                body.Append("</tbody></table>");
            }
        }

        body.Append("</section><section aria-labelledby=\"imported\"><h2 id=\"imported\">Campaigns in the imported data</h2>");
        if (imported.Count == 0)
        {
            body.Append(Note("The imported data holds no campaigns."));
        }
        else
        {
            body.Append("<table><thead><tr><th scope=\"col\">Campaign</th><th scope=\"col\" class=\"l\">Dataset</th><th scope=\"col\" class=\"l\">Type</th><th scope=\"col\">Exposed</th><th scope=\"col\">Control</th></tr></thead><tbody>");
            foreach (var c in imported)
            {
                body.Append(Invariant, $"<tr><th scope=\"row\"><a href=\"{ResultsPage.PathOf(c.CampaignId)}\">{E(c.Name ?? c.CampaignId)}</a> <span class=\"note\">({E(c.CampaignId)})</span></th><td class=\"l\">{E(c.Dataset)}</td><td class=\"l\">{E(c.Type)}</td><td>{N(c.Exposed)}</td><td>{N(c.Control)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");
        return DashboardApp.Page(http, DashboardApp.Layout(http, "Campaigns", "/dashboard/campaigns", body.ToString()));
    }

    /// <summary>
    /// Runs the engine's pure ranking for a shopper and placement and shows the result with its reason trace. Read
    /// only: no frequency cap is claimed, no experiment assignment is made sticky, nothing is stored.
    /// </summary>
    public static async Task<IResult> Inspector(HttpContext http, ServingRuntime runtime, UserIds userIds, string? user, string? placement, string? channel, string? cart, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        var errors = new List<string>();
        decimal cartValue = 0;
        if (!string.IsNullOrWhiteSpace(cart) && !(decimal.TryParse(cart, NumberStyles.Number, CultureInfo.InvariantCulture, out cartValue) && cartValue is >= 0 and <= 10_000_000))
        {
            errors.Add("cart: a number between 0 and 10,000,000");
        }

        body.Append(Invariant, $"""
            <p>Shows what the decision engine would answer now for a shopper, with every rule passed or failed and the score components of each offer. Read only: no frequency cap is claimed and nothing is stored.</p>
            <form class="panel" method="get" action="/dashboard/inspector" role="search" aria-label="Inspect a decision">
            <label for="user">User id (as the storefront sends it)</label>
            <input id="user" name="user" required maxlength="256" value="{E(user)}">
            <label for="placement">Placement</label>
            <input id="placement" name="placement" required maxlength="128" value="{E(placement ?? "home_banner")}">
            <label for="channel">Channel (optional)</label>
            <input id="channel" name="channel" maxlength="64" value="{E(channel)}" placeholder="web">
            <label for="cart">Cart value (optional)</label>
            <input id="cart" name="cart" inputmode="decimal" maxlength="16" value="{E(cart)}" placeholder="0">
            <button type="submit">Inspect</button>
            </form>
            """);
        if (user is null)
        {
            return DashboardApp.Page(http, DashboardApp.Layout(http, "Decision inspector", "/dashboard/inspector", body.ToString()));
        }

        var request = new DecisionRequest(user.Trim(), (placement ?? "").Trim(), string.IsNullOrWhiteSpace(channel) ? null : channel.Trim(),
            cartValue > 0 ? [new CartLine("cart", 1, cartValue)] : null, Limit: 3, Explain: true);
        errors.AddRange(request.Problems());
        if (errors.Count > 0)
        {
            body.Append("<div role=\"alert\"><p class=\"error\">The request cannot be inspected:</p><ul>");
            foreach (var error in errors)
            {
                body.Append(Invariant, $"<li class=\"error\">{E(error)}</li>");
            }

            body.Append("</ul></div>");
            return DashboardApp.Page(http, DashboardApp.Layout(http, "Decision inspector", "/dashboard/inspector", body.ToString()), StatusCodes.Status422UnprocessableEntity);
        }

        var internalId = userIds.Internal(request.UserId);
        var snapshot = runtime.Users.Find(internalId);
        var online = await runtime.State.GetFeaturesAsync(internalId, cancellationToken);
        var engine = runtime.Engine;
        var now = runtime.Clock.GetUtcNow();
        var ranking = engine.Rank(request with { UserId = internalId }, snapshot, online, runtime.Spend, now);
        var chosen = ranking.Eligible.DistinctBy(c => c.CampaignId).Take(request.Limit).ToList();
        body.Append("<section aria-labelledby=\"decision\" id=\"result\"><h2 id=\"decision\">Decision</h2><div class=\"cards\">");
        body.Append(Card("Shopper", snapshot is null ? "unknown (cold start)" : "known", snapshot?.Profile?.RfmGroup));
        body.Append(Card("Campaigns considered", N(ranking.CampaignsConsidered), $"catalog v{engine.Catalog.Version}"));
        body.Append(Card("Offers considered", N(ranking.OffersConsidered), $"{ranking.Eligible.Count} eligible"));
        body.Append(Card("Model", engine.Model is null ? "none" : "linear uplift"));
        body.Append("</div>");
        if (chosen.Count == 0)
        {
            body.Append(Note(engine.Options.Fallback is { } fallback ? $"No offer qualified: the fallback '{fallback.Id}' would be served." : "No offer qualified and no fallback is configured."));
        }

        body.Append("<table id=\"trace\"><caption>Reason trace: every offer looked at, best first</caption><thead><tr><th scope=\"col\">Offer</th><th scope=\"col\" class=\"l\">Outcome</th><th scope=\"col\">Score</th><th scope=\"col\">Incremental profit</th><th scope=\"col\">Uplift</th><th scope=\"col\">Priority</th><th scope=\"col\">Affinity</th><th scope=\"col\" class=\"l\">Reasons</th></tr></thead><tbody>");
        foreach (var candidate in ranking.Eligible)
        {
            var outcome = chosen.Contains(candidate) ? "selected" : "eligible";
            var s = candidate.Score;
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(candidate.CampaignId)} / {E(candidate.OfferId)}</th><td class=\"l\">{outcome}</td><td>{N(s.Total, 4)}</td><td>{N(s.IncrementalProfit, 4)}</td><td>{N(s.Uplift, 4)}</td><td>{N(s.Priority, 1)}</td><td>{N(s.Affinity, 3)}</td><td class=\"l\">{Reasons(candidate.Reasons)}</td></tr>");
        }

        foreach (var rejected in ranking.Rejected)
        {
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(rejected.CampaignId)} / {E(rejected.OfferId)}</th><td class=\"l\">rejected</td><td colspan=\"5\"></td><td class=\"l\">{Reasons(rejected.Reasons)}</td></tr>");
        }

        if (ranking.Eligible.Count + ranking.Rejected.Count == 0)
        {
            body.Append("<tr><td colspan=\"8\">No live campaign serves this placement.</td></tr>");
        }

        body.Append("</tbody></table>");
        if (chosen.Count > 0 && ranking.Prediction is { } prediction)
        {
            body.Append("<h3>Feature contributions to the top offer's uplift (log-odds)</h3><table><thead><tr><th scope=\"col\">Feature</th><th scope=\"col\">Value</th><th scope=\"col\">Contribution</th></tr></thead><tbody>");
            foreach (var c in prediction.Contributions.Where(c => c.Contribution != 0).OrderByDescending(c => Math.Abs(c.Contribution)).Take(15))
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(c.Feature)}</th><td>{N(c.Value, 3)}</td><td>{N(c.Contribution, 4)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        if (online.Count > 0)
        {
            body.Append("<h3>Online features (from the event API)</h3><table><tbody>");
            foreach (var (name, value) in online.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                body.Append(Invariant, $"<tr><th scope=\"row\">{E(name)}</th><td>{N(value, 2)}</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("</section>");
        return DashboardApp.Page(http, DashboardApp.Layout(http, "Decision inspector", "/dashboard/inspector", body.ToString()));
    }

    private static string Reasons(IReadOnlyList<string> reasons)
    {
        var list = new StringBuilder("<ul class=\"reasons\">");
        foreach (var reason in reasons)
        {
            var css = reason.EndsWith("passed", StringComparison.Ordinal) ? "pass" : reason.Contains("fail", StringComparison.Ordinal) || reason.Contains("reached", StringComparison.Ordinal) || reason.Contains("not ", StringComparison.Ordinal) ? "fail" : "";
            list.Append(Invariant, $"<li class=\"{css}\">{E(reason)}</li>");
        }

        return list.Append("</ul>").ToString();
    }

    private static string BurnBar(decimal? budget, long spentCents)
    {
        if (budget is not { } b || b <= 0)
        {
            return "n/a";
        }

        var share = spentCents / 100.0 / (double)b;
        var width = Math.Clamp(share, 0, 1) * 100;
        return $"<div class=\"bar{(share > 1 ? " over" : "")}\" role=\"img\" aria-label=\"{Percent(share)} of the budget spent\"><span style=\"width:{width.ToString("0.#", Invariant)}%\"></span></div> {Percent(share)}";
    }

    private static string Interval(double? low, double? high) => low is { } l && high is { } h ? $"[{N(l, 4)}, {N(h, 4)}]" : "none";

    /// <summary>
    /// Background and text colours for a heat cell. The scale skips the middle band of luminance where neither dark nor
    /// white text reaches 4.5:1: light half from #eef4fd to #a9c0e6 (dark text), dark half from #2f5fa8 to #0a3d91
    /// (white text).
    /// </summary>
    internal static (string Background, string Ink) Heat(double share)
    {
        static string Mix(int from, int to, double t)
        {
            int Channel(int shift) => (int)Math.Round(((from >> shift) & 0xff) + ((((to >> shift) & 0xff) - ((from >> shift) & 0xff)) * t));
            return $"#{Channel(16):x2}{Channel(8):x2}{Channel(0):x2}";
        }

        var t = Math.Clamp(share, 0, 1);
        return t < 0.5 ? (Mix(0xeef4fd, 0xa9c0e6, t / 0.5), "#1b1f24") : (Mix(0x2f5fa8, 0x0a3d91, (t - 0.5) / 0.5), "#ffffff");
    }

    private static string JsonNamingPolicyName(string name) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
}
