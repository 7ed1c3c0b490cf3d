using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PromoPilot.Features.Behaviour;
using PromoPilot.Features.Privacy;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

internal static class BehaviourCommand
{
    public static Command Create(CliConsole console)
    {
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var asOf = new Option<DateTime?>("--as-of") { Description = "Cut-off: only activity before it. Default: just after the latest customer event." };
        var dataset = new Option<string?>("--dataset") { Description = "Only this dataset's customers." };
        var minGroup = new Option<int>("--min-group-size") { Description = "Suppress groups of fewer customers.", DefaultValueFactory = _ => 10 };
        var epsilon = new Option<double?>("--epsilon") { Description = "Add Laplace noise to released counts (differential privacy per count)." };
        var seed = new Option<int>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 0 };
        var command = new Command("behaviour", "Funnel, cohort retention and repeat-purchase intervals, with small groups suppressed.")
        {
            db, json, asOf, dataset, minGroup, epsilon, seed,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db)!));
            var set = parse.GetValue(dataset);
            var cutOff = parse.GetValue(asOf) ?? CustomerActivityQuery.DefaultAsOf(store, set)
                ?? throw new ArgumentException("The store has no customer events; import data first.");
            var privacy = new AggregatePrivacy(new AggregatePrivacyOptions(parse.GetValue(minGroup), parse.GetValue(epsilon), parse.GetValue(seed)));
            var gaps = BehaviourQuery.RepeatGaps(store, cutOff, set);
            var report = new
            {
                as_of = cutOff,
                dataset = set,
                min_group_size = privacy.Options.MinGroupSize,
                epsilon = privacy.Options.Epsilon,
                funnel = BehaviourAnalysis.Funnel(BehaviourQuery.EventTypeSets(store, cutOff, set), BehaviourAnalysis.DefaultFunnel, privacy),
                cohorts = BehaviourAnalysis.CohortRetention(BehaviourQuery.Cohorts(store, cutOff, set), privacy),
                repeat_intervals = BehaviourAnalysis.RepeatIntervals(gaps),
                median_gap_days = gaps.Count == 0 ? (double?)null : Median(gaps),
            };
            BehaviourReports.Save(store, cutOff, console.Clock.GetUtcNow(), JsonSerializer.Serialize(report, CliConsole.Json));
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
                return 0;
            }

            var funnel = new Table().Title("funnel (customers)").AddColumns("step", "customers", "from previous", "from first");
            foreach (var step in report.funnel)
            {
                funnel.AddRow(step.EventType, $"{step.Customers:N0}", $"{step.ConversionFromPrevious:P1}", $"{step.ConversionFromFirst:P1}");
            }

            console.Tables.Write(funnel);
            var cohorts = new Table().Title("retention by first-purchase month").AddColumn("cohort").AddColumn("customers");
            var width = report.cohorts.Count == 0 ? 0 : Math.Min(12, report.cohorts.Max(c => c.Retention.Count));
            for (var k = 1; k < width; k++)
            {
                cohorts.AddColumn($"+{k}");
            }

            foreach (var row in report.cohorts)
            {
                cohorts.AddRow([row.CohortMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture), row.Customers?.ToString("N0", CultureInfo.InvariantCulture) ?? "<min",
                    .. Enumerable.Range(1, Math.Max(0, width - 1)).Select(k => k < row.Retention.Count && row.Retention[k] is { } r ? r.ToString("P0", CultureInfo.InvariantCulture) : "")]);
            }

            console.Tables.Write(cohorts);
            console.Tables.WriteLine($"repeat purchases: {gaps.Count:N0} gaps, median {report.median_gap_days} days");
            return 0;
        }));
        return command;
    }

    private static double Median(IReadOnlyList<int> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2.0;
    }
}
