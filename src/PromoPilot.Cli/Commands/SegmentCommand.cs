using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PromoPilot.Features.Privacy;
using PromoPilot.Features.Segments;
using AudienceRule = PromoPilot.Core.Rules.Rule;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>Segments the latest profiles: k-means (k chosen by silhouette or fixed) or an audience rule.</summary>
internal static class SegmentCommand
{
    public static Command Create(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var k = new Option<string>("--k") { Description = "Number of segments, or auto (chosen over 2..8 by silhouette).", DefaultValueFactory = _ => "auto" };
        var rule = new Option<string?>("--rule") { Description = "An audience rule instead of k-means, e.g. \"recency_days > 90 and monetary > 200\" (docs/rules.md)." };
        var seed = new Option<int>("--seed") { Description = "Seed of k-means and sampling.", DefaultValueFactory = _ => 42 };
        var minGroup = new Option<int>("--min-group-size") { Description = "Segment summaries of fewer customers are suppressed.", DefaultValueFactory = _ => 10 };
        var command = new Command("segment", "Segment the latest customer profiles (k-means on standardized features, or a rule), and store the membership.")
        {
            db, json, k, rule, seed, minGroup,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var (version, asOf, profiles) = ProfileTable.Load(store)
                ?? throw new ArgumentException("No customer profiles in this store: run `promopilot profile build` first.");
            var clv = CustomerClvTable.LoadValues(store);
            var privacy = new AggregatePrivacy(new AggregatePrivacyOptions(parse.GetValue(minGroup)));
            object result = parse.GetValue(rule) is { } text
                ? RuleSegment(console, store, text, version, profiles, clv, privacy)
                : KMeans(console, store, parse.GetValue(k)!, parse.GetValue(seed), version, profiles, clv, privacy, printTable: !parse.GetValue(json));
            if (parse.GetValue(json))
            {
                console.WriteJson(result);
            }

            return 0;
        }));
        return command;
    }

    private static object RuleSegment(
        CliConsole console, DuckDbStore store, string text, int version, IReadOnlyList<Core.Customers.CustomerProfile> profiles,
        IReadOnlyDictionary<int, (double? Clv, double ProbabilityAlive)> clv, AggregatePrivacy privacy)
    {
        var parsed = AudienceRule.Parse(text, CustomerRuleContext.Schema);
        var matched = profiles.Where(p =>
        {
            var value = clv.TryGetValue(p.UserKey, out var v) ? v : (null, double.NaN);
            return parsed.Matches(new CustomerRuleContext(p, value.Clv, double.IsNaN(value.ProbabilityAlive) ? null : value.ProbabilityAlive));
        }).ToList();
        var released = privacy.Release(matched.Count);
        var revenue = profiles.Sum(p => p.Monetary);
        var summary = new
        {
            rule = parsed.Text,
            profile_version = version,
            customers = profiles.Count,
            matched = released,
            share = released is null || profiles.Count == 0 ? (double?)null : (double)matched.Count / profiles.Count,
            revenue_share = released is null || revenue <= 0 ? (double?)null : (double)(matched.Sum(p => p.Monetary) / revenue),
            suppressed = released is null,
        };
        var runId = SegmentTables.Save(store, console.Clock.GetUtcNow(), version, "rule", parsed.Text, JsonSerializer.Serialize(summary, CliConsole.Json),
            [.. matched.Select(p => new CustomerSegmentRow(p.UserKey, 1, parsed.Text, null, null))]);
        console.Log(released is null
            ? $"rule matched fewer than {privacy.Options.MinGroupSize} customers (suppressed); run #{runId}"
            : $"rule matched {matched.Count:N0} of {profiles.Count:N0} customers; run #{runId}");
        return new { run_id = runId, summary.rule, summary.profile_version, summary.customers, summary.matched, summary.share, summary.revenue_share, summary.suppressed };
    }

    private static object KMeans(
        CliConsole console, DuckDbStore store, string k, int seed, int version, IReadOnlyList<Core.Customers.CustomerProfile> profiles,
        IReadOnlyDictionary<int, (double? Clv, double ProbabilityAlive)> clv, AggregatePrivacy privacy, bool printTable)
    {
        int? fixedK = string.Equals(k, "auto", StringComparison.OrdinalIgnoreCase) ? null
            : int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
            : throw new ArgumentException($"--k must be auto or a positive number; got '{k}'.");
        var table = ProfileSegmentation.Table(profiles, clv.Where(c => c.Value.Clv is not null).ToDictionary(c => c.Key, c => c.Value.Clv!.Value));
        var fit = Segmenter.Fit(table, SegmentationOptions.Default with { FixedK = fixedK, Seed = seed });
        var segments = fit.Segments.Select(s =>
        {
            var size = privacy.Release(s.Size);
            return new
            {
                id = s.Id,
                name = s.Name,
                size,
                suppressed = size is null,
                customer_share = size is null ? (double?)null : s.CustomerShare,
                revenue_share = size is null ? null : s.RevenueShare,
                clv_share = size is null ? null : s.ClvShare,
                feature_means = size is null ? null : fit.FeatureNames.Select((f, i) => (f, s.FeatureMeans[i])).ToDictionary(x => x.f, x => x.Item2),
                centroid = size is null ? null : s.Centroid,
            };
        }).ToList();
        var summary = new
        {
            profile_version = version,
            customers = profiles.Count,
            k = fit.K,
            criterion = fit.Criterion,
            scores = fit.Scores.Select(s => new { k = s.K, score = s.Score }),
            features = fit.FeatureNames,
            segments,
            explained_variance = fit.ExplainedVariance,
            notes = fit.Notes,
        };
        var names = fit.Segments.ToDictionary(s => s.Id, s => s.Name);
        var runId = SegmentTables.Save(store, console.Clock.GetUtcNow(), version, "kmeans", fixedK is null ? "k=auto" : $"k={fixedK}", JsonSerializer.Serialize(summary, CliConsole.Json),
            [.. fit.Customers.Select(c => new CustomerSegmentRow(c.UserKey, c.SegmentId, names[c.SegmentId], c.X, c.Y))]);
        if (printTable)
        {
            Print(console, runId, fit, segments.Select(s => (s.id, s.name, s.size, s.revenue_share, s.clv_share)), profiles.Count);
        }

        return new { run_id = runId, summary.profile_version, summary.customers, summary.k, summary.criterion, summary.scores, summary.features, summary.segments, summary.explained_variance, summary.notes };
    }

    private static void Print(CliConsole console, int runId, SegmentationResult fit, IEnumerable<(int Id, string Name, long? Size, double? RevenueShare, double? ClvShare)> segments, int customers)
    {
        var view = new Table().Title($"run #{runId}: {fit.K} segments of {customers:N0} customers ({fit.Criterion})")
            .AddColumns("id", "name", "customers", "revenue share", "clv share");
        foreach (var s in segments)
        {
            view.AddRow($"{s.Id}", Markup.Escape(s.Name), s.Size?.ToString("N0", CultureInfo.InvariantCulture) ?? "<min", $"{s.RevenueShare:P1}", $"{s.ClvShare:P1}");
        }

        console.Tables.Write(view);
    }
}
