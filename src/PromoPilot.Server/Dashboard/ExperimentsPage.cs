using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PromoPilot.Measurement.Experiments.Analysis;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;
using PromoPilot.Storage.Queries;
using static PromoPilot.Server.Dashboard.Html;

namespace PromoPilot.Server.Dashboard;

/// <summary>
/// The experiments page: every randomized campaign of the store (imported experiments such as Hillstrom, and campaigns
/// launched with a holdout) read out as an experiment with <see cref="ExperimentAnalyzer"/> (as <c>promopilot
/// experiment analyze</c>): the variants, each treatment's effect on conversion and revenue per unit with its
/// fixed-horizon interval and its always-valid confidence sequence, the sample-ratio check against the planned
/// split, and the sequential boundary of the conversion effect as the units grew.
/// </summary>
internal static class ExperimentsPage
{
    public const string Path = "/dashboard/experiments";

    private const double Alpha = 0.05;

    public static IResult Show(HttpContext http, DashboardStore store)
    {
        var body = new StringBuilder();
        body.Append(Invariant, $"<p>Randomized campaigns read out as experiments: conversion (two-proportion z-test) and revenue per unit (Welch), {Percent(1 - Alpha)} intervals, with the always-valid sequential interval beside the fixed-horizon one. A sample-ratio mismatch (p &lt; 0.001 against the planned split) means the assignment is broken: do not trust the effects until it is explained.</p>");
        var (_, problem) = store.Read(s =>
        {
            var experiments = CampaignExposureQuery.WithExposures(s);
            if (experiments.Count == 0)
            {
                body.Append(Note("No randomized campaign in the store yet: import one (promopilot quickstart imports the Hillstrom sample) or launch a campaign with a holdout in the designer."));
            }

            foreach (var info in experiments)
            {
                Experiment(body, info, CampaignExposureQuery.Load(s, info.CampaignKey));
            }

            return 0;
        });
        if (problem is not null)
        {
            body.Append(Note(problem));
        }

        return DashboardApp.Page(http, DashboardApp.Layout(http, "Experiments", Path, body.ToString()));
    }

    private static void Experiment(StringBuilder body, CampaignInfo info, IReadOnlyList<ArmSums> arms)
    {
        var anchor = "x" + info.CampaignKey.ToString(Invariant);
        body.Append(Invariant, $"<section class=\"experiment\" aria-labelledby=\"{anchor}\"><h2 id=\"{anchor}\">{E(info.Name ?? info.CampaignId)} <span class=\"note\">({E(info.Dataset)} / <a href=\"{ResultsPage.PathOf(info.CampaignId)}\">{E(info.CampaignId)}</a>)</span></h2>");
        var controls = arms.Where(a => a.IsControl).ToList();
        if (arms.Count < 2 || controls.Count != 1)
        {
            body.Append(Note(arms.Count < 2 ? "One arm only: nothing to compare." : $"{controls.Count} control arms: one is expected."));
            body.Append("</section>");
            return;
        }

        var control = controls[0].Arm;
        var (weights, planned) = PlannedSplit(info, arms);
        var conversion = ExperimentAnalyzer.Analyze(
            [.. arms.Select(a => new VariantData(a.Arm, new PairedSummary(a.Units, 0, a.Converted, 0, a.Converted, 0)))], control,
            new ExperimentAnalysisOptions { Alpha = Alpha, BinaryMetric = true, ExpectedWeights = weights });
        var sequential = ExperimentAnalyzer.Analyze(
            [.. arms.Select(a => new VariantData(a.Arm, new PairedSummary(a.Units, 0, a.Converted, 0, a.Converted, 0)))], control,
            new ExperimentAnalysisOptions { Alpha = Alpha, Method = AnalysisMethod.Sequential, ExpectedWeights = weights, SequentialTuningSampleSize = Math.Max(100, arms.Sum(a => a.Units)) });
        var revenue = ExperimentAnalyzer.Analyze(
            [.. arms.Select(a => new VariantData(a.Arm, new PairedSummary(a.Units, 0, a.Revenue, 0, a.RevenueSquares, 0)))], control,
            new ExperimentAnalysisOptions { Alpha = Alpha, ExpectedWeights = weights });

        var srm = conversion.SampleRatio;
        body.Append(srm.Mismatch
            ? $"<p class=\"warning\" role=\"status\"><strong>Sample-ratio mismatch:</strong> the arms' sizes differ from the planned split ({E(planned)}) with p = {E(N(srm.PValue ?? double.NaN, 6))}. Check the assignment before trusting the effects.</p>"
            : $"<p class=\"note\">Sample ratio as planned ({E(planned)}): p = {E(N(srm.PValue ?? double.NaN, 4))}.</p>");

        body.Append("<table><caption>Variants</caption><thead><tr><th scope=\"col\">Variant</th><th scope=\"col\">Units</th><th scope=\"col\">Expected units</th><th scope=\"col\">Conversion rate</th><th scope=\"col\">Revenue per unit</th></tr></thead><tbody>");
        for (var i = 0; i < arms.Count; i++)
        {
            var a = arms[i];
            var expected = i < srm.ExpectedCounts.Count ? N(srm.ExpectedCounts[i]) : "n/a";
            body.Append(Invariant, $"<tr><th scope=\"row\">{E(a.Arm)}{(a.IsControl ? " (control)" : "")}</th><td>{N(a.Units)}</td><td>{expected}</td><td>{Percent((double)a.Converted / Math.Max(1, a.Units))}</td><td>{N(a.Revenue / Math.Max(1, a.Units), 3)}</td></tr>");
        }

        body.Append("</tbody></table>");

        var rows = new List<IntervalRow>();
        body.Append("<table class=\"effects\"><caption>Effects against the control</caption><thead><tr><th scope=\"col\">Variant</th><th scope=\"col\" class=\"l\">Metric</th><th scope=\"col\">Effect</th><th scope=\"col\">Interval</th><th scope=\"col\">Sequential interval</th><th scope=\"col\">Lift</th><th scope=\"col\">p (Holm)</th><th scope=\"col\" class=\"l\">Verdict</th></tr></thead><tbody>");
        for (var i = 0; i < conversion.Comparisons.Count; i++)
        {
            var c = conversion.Comparisons[i];
            var q = sequential.Comparisons[i];
            var r = revenue.Comparisons[i];
            body.Append(EffectRow(c.Variant, "conversion", c, q, 4));
            body.Append(EffectRow(r.Variant, "revenue per unit", r, null, 3));
            if (c.Effect is { } effect)
            {
                rows.Add(new IntervalRow($"{c.Variant} (fixed horizon)", effect, c.CiLow, c.CiHigh, "measured"));
            }

            if (q.Effect is { } seqEffect)
            {
                rows.Add(new IntervalRow($"{q.Variant} (sequential)", seqEffect, q.CiLow, q.CiHigh, "forecast"));
            }
        }

        body.Append("</tbody></table>");
        body.Append("<p class=\"note\">Conversion effect by variant: blue the fixed-horizon interval (valid for one look at the planned end), orange the always-valid sequence (valid however often one looks).</p>");
        body.Append(Svg.Intervals($"Conversion effect against {control} for {info.CampaignId}: fixed-horizon (blue) and sequential (orange) intervals", rows, v => N(v * 100, 2) + " pp")
            .Replace(">measured<", ">fixed horizon<", StringComparison.Ordinal).Replace(">forecast<", ">sequential<", StringComparison.Ordinal));
        Boundaries(body, info, arms, control);
        body.Append("</section>");
    }

    private static string EffectRow(string variant, string metric, VariantComparison c, VariantComparison? sequential, int decimals)
    {
        var verdict = c.Status != TestStatus.Ok ? c.Status.ToString() : c.Significant ? "significant" : "not significant";
        var seq = sequential is null ? "n/a" : Interval(sequential.CiLow, sequential.CiHigh, decimals) + (sequential.Significant ? " (excludes 0)" : "");
        return $"<tr><th scope=\"row\">{E(variant)}</th><td class=\"l\">{E(metric)}</td><td>{(c.Effect is { } e ? N(e, decimals) : "n/a")}</td><td>{Interval(c.CiLow, c.CiHigh, decimals)}</td><td>{seq}</td><td>{(c.Lift is { } l ? Percent(l) : "n/a")}</td><td>{(c.AdjustedPValue is { } p ? N(p, 4) : "n/a")}</td><td class=\"l\">{E(verdict)}</td></tr>";
    }

    /// <summary>
    /// The sequential boundary of each treatment's conversion effect: ± the confidence sequence's half-width over the
    /// units seen so far (its standard error scaled as 1/√n from today's), against the fixed-horizon half-width; the
    /// observed effect crosses the boundary where the sequential test may stop.
    /// </summary>
    private static void Boundaries(StringBuilder body, CampaignInfo info, IReadOnlyList<ArmSums> arms, string control)
    {
        var c = arms.First(a => a.Arm == control);
        var total = arms.Sum(a => a.Units);
        var rho = SequentialTest.Rho(Alpha, Math.Max(100, total));
        foreach (var t in arms.Where(a => !a.IsControl))
        {
            var result = SequentialTest.Compare(MetricSummary.OfProportion(c.Units, c.Converted), MetricSummary.OfProportion(t.Units, t.Converted), new SequentialOptions { Alpha = Alpha, TuningSampleSize = Math.Max(100, total) });
            if (result.Status != TestStatus.Ok || !(result.StandardError > 0))
            {
                continue;
            }

            var units = c.Units + t.Units;
            var upper = new List<(double, double)>();
            var lower = new List<(double, double)>();
            var fixedUpper = new List<(double, double)>();
            var fixedLower = new List<(double, double)>();
            for (var k = 1; k <= 40; k++)
            {
                var n = Math.Max(2, (long)Math.Round(units * k / 40.0));
                var se = result.StandardError * Math.Sqrt((double)units / n);
                var h = SequentialTest.HalfWidth(se, n, rho, Alpha);
                var f = SequentialTest.FixedSampleHalfWidth(se, Alpha);
                upper.Add((n, h * 100));
                lower.Add((n, -h * 100));
                fixedUpper.Add((n, f * 100));
                fixedLower.Add((n, -f * 100));
            }

            var effect = new LineSeries("observed effect", [(upper[0].Item1, result.Effect * 100), (units, result.Effect * 100)]);
            body.Append(Invariant, $"<h3>Sequential boundary: {E(t.Arm)} against {E(control)}</h3>");
            body.Append(Charts.Lines($"Sequential boundary of the conversion effect of {t.Arm} (percentage points) by units observed", [
                new LineSeries("sequential boundary (+)", upper), new LineSeries("sequential boundary (−)", lower),
                new LineSeries("fixed-horizon (+)", fixedUpper, Dashed: true), new LineSeries("fixed-horizon (−)", fixedLower, Dashed: true), effect,
            ], x => N(x), y => N(y, 2) + " pp"));
        }
    }

    /// <summary>The split the campaign planned (attributes.weights, as <c>campaign readout</c> reads it), else equal weights.</summary>
    private static (IReadOnlyDictionary<string, double>? Weights, string Planned) PlannedSplit(CampaignInfo info, IReadOnlyList<ArmSums> arms)
    {
        try
        {
            if (info.AttributesJson is { } text && JsonNode.Parse(text) is JsonObject attributes && attributes["weights"] is JsonObject weights
                && arms.All(a => weights[a.Arm] is JsonValue v && v.TryGetValue<double>(out var w) && w > 0))
            {
                return (arms.ToDictionary(a => a.Arm, a => weights[a.Arm]!.GetValue<double>(), StringComparer.Ordinal),
                    string.Join(", ", arms.Select(a => $"{a.Arm} {N(weights[a.Arm]!.GetValue<double>(), 2)}")));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Unreadable attributes: equal weights, as the readout does for a campaign that states none.
        }

        return (null, "equal weights: the campaign states none");
    }

    private static string Interval(double? low, double? high, int decimals) =>
        low is { } l && high is { } h && double.IsFinite(l) && double.IsFinite(h) ? $"[{N(l, decimals)}, {N(h, decimals)}]" : "none";
}
