using System.Collections.Concurrent;
using System.Text;
using PromoPilot.Features.Behaviour;
using PromoPilot.Features.Privacy;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The customers page's map and cohorts: the latest segmentation's customers on its two principal components (the
/// coordinates <c>promopilot segment</c> stores, from ML.NET's PCA of the standardized profile features), and the
/// monthly cohort retention table of <c>promopilot behaviour</c> (<see cref="BehaviourAnalysis.CohortRetention"/>,
/// cohorts under 10 customers withheld) as a heat map, kept until the events table changes.
/// </summary>
internal static class CustomerSections
{
    /// <summary>Customers drawn on the map at most (a fixed sample: thousands of dots say no more and cost page weight).</summary>
    public const int MapPoints = 3000;

    /// <summary>Months since the first purchase shown at most.</summary>
    private const int Months = 12;

    /// <summary>The retention table per store and event count: it scans every purchase, and changes only when events do.</summary>
    private static readonly ConcurrentDictionary<string, (long Events, IReadOnlyList<CohortRow> Rows)> CohortCache = new(StringComparer.Ordinal);

    public static string Render(DuckDbStore store, string storePath)
    {
        var body = new StringBuilder();
        body.Append("<section aria-labelledby=\"map\"><h2 id=\"map\">Segments on their principal components</h2>");
        var points = CampaignResultsQuery.SegmentPoints(store, MapPoints);
        if (points.Count == 0)
        {
            body.Append(Note("No segment map yet: run promopilot segment --db STORE (k-means runs store each customer's coordinates)."));
        }
        else
        {
            var names = points.Select(p => p.Segment).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i, StringComparer.Ordinal);
            body.Append(Invariant, $"<p class=\"note\">{N(points.Count)} customers (a fixed sample of at most {N(MapPoints)}) on the first two principal components of the standardized profile features the segmentation clustered; colour is the segment.</p>");
            body.Append(Charts.Scatter("Customers by segment on the first two principal components", [.. points.Select(p => (p.X, p.Y, index[p.Segment]))], names, "first principal component", "second principal component"));
        }

        body.Append("</section><section aria-labelledby=\"cohorts\"><h2 id=\"cohorts\">Cohort retention</h2>");
        var cohorts = Cohorts(store, storePath);
        if (cohorts.Count == 0)
        {
            body.Append(Note("No purchases in the store yet: import orders (promopilot import or quickstart)."));
            return body.Append("</section>").ToString();
        }

        var columns = Math.Min(Months, cohorts.Max(c => c.Retention.Count) - 1);
        body.Append(Invariant, $"<p class=\"note\">Share of each first-purchase month's customers who bought again k months later (k = 0 is 100% by definition), up to {Months} months; cohorts under 10 customers are withheld.</p>");
        body.Append("<table class=\"cohort\" id=\"cohort-table\"><caption>Retention by first-purchase month (rows) and months since (columns)</caption><thead><tr><th scope=\"col\">Cohort</th><th scope=\"col\">Customers</th>");
        for (var k = 1; k <= columns; k++)
        {
            body.Append(Invariant, $"<th scope=\"col\">+{k}</th>");
        }

        body.Append("</tr></thead><tbody>");
        var max = cohorts.SelectMany(c => c.Retention.Skip(1).Take(columns)).Where(r => r is not null).Select(r => r!.Value).DefaultIfEmpty(0).Max();
        foreach (var cohort in cohorts)
        {
            body.Append(Invariant, $"<tr><th scope=\"row\">{cohort.CohortMonth:yyyy-MM}</th><td>{(cohort.Customers is { } n ? N(n) : "&lt;10")}</td>");
            for (var k = 1; k <= columns; k++)
            {
                if (k < cohort.Retention.Count && cohort.Retention[k] is { } share)
                {
                    var (background, ink) = DashboardPages.Heat(max > 0 ? share / max : 0);
                    body.Append(Invariant, $"<td style=\"background:{background};color:{ink}\">{Percent(share)}</td>");
                }
                else
                {
                    body.Append("<td></td>");
                }
            }

            body.Append("</tr>");
        }

        return body.Append("</tbody></table></section>").ToString();
    }

    private static IReadOnlyList<CohortRow> Cohorts(DuckDbStore store, string storePath)
    {
        var events = CampaignResultsQuery.EventCount(store);
        if (CohortCache.TryGetValue(storePath, out var cached) && cached.Events == events)
        {
            return cached.Rows;
        }

        var asOf = CustomerActivityQuery.DefaultAsOf(store);
        IReadOnlyList<CohortRow> rows = asOf is { } cut ? BehaviourAnalysis.CohortRetention(BehaviourQuery.Cohorts(store, cut), new AggregatePrivacy(new AggregatePrivacyOptions())) : [];
        CohortCache[storePath] = (events, rows);
        return rows;
    }
}
