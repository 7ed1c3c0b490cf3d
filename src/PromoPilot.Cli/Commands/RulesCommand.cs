using System.CommandLine;
using System.Globalization;
using PromoPilot.Features.Rules;
using PromoPilot.Storage;
using PromoPilot.Storage.Queries;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot rules: association rules (FP-Growth) over the store's orders, for bundles and cross-sell.</summary>
internal static class RulesCommand
{
    public static Command Create(CliConsole console)
    {
        var support = new Option<double>("--min-support")
        {
            Description = "Minimum support: the fraction of orders an itemset must be in.",
            DefaultValueFactory = _ => AssociationRuleOptions.DefaultMinSupport,
        };
        var confidence = new Option<double>("--min-confidence")
        {
            Description = "Minimum confidence of a rule A -> C: the share of A's orders that also hold C.",
            DefaultValueFactory = _ => AssociationRuleOptions.DefaultMinConfidence,
        };
        var lift = new Option<double>("--min-lift")
        {
            Description = "Minimum lift (1 = no association; default 0: no filter).",
            DefaultValueFactory = _ => AssociationRuleOptions.DefaultMinLift,
        };
        var maxLength = new Option<int?>("--max-length") { Description = "Largest itemset (antecedent plus consequent); no limit by default." };
        var top = new Option<int>("--top") { Description = "Rules to print, by lift (all are stored).", DefaultValueFactory = _ => 20 };
        var dataset = new Option<string?>("--dataset") { Description = "Only orders of this dataset (e.g. online_retail); all by default." };
        var db = CommonOptions.Db();
        var json = CommonOptions.Json();
        var command = new Command("rules", "Association rules over the store's orders (FP-Growth): which products are bought together. Stored in association_rules.")
        {
            support, confidence, lift, maxLength, top, dataset, db, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var options = Options(parse.GetValue(support), parse.GetValue(confidence), parse.GetValue(lift), parse.GetValue(maxLength));
            var topN = parse.GetValue(top);
            if (topN < 0)
            {
                throw new ArgumentException($"--top must be 0 or more, got {topN}.");
            }

            var path = parse.GetValue(db)!;
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"{path}: no store here; import something first (promopilot quickstart).");
            }

            var started = console.Clock.GetTimestamp();
            using var store = CommonOptions.OpenStore(path);
            var name = parse.GetValue(dataset);
            var baskets = BasketsQuery.Load(store, name);
            if (baskets.Baskets.Count == 0)
            {
                throw new InvalidDataException($"{path}: no orders with purchased products{(name is null ? "" : $" in dataset '{name}'")}; import orders first.");
            }

            var result = AssociationRules.Mine(baskets.Baskets, options);
            var seconds = console.Clock.GetElapsedTime(started).TotalSeconds;
            var stored = result.Rules.Select(r => new StoredRule(
                Ids(baskets, r.Antecedent), Ids(baskets, r.Consequent), r.Antecedent, r.Consequent, r.Count,
                r.Support, r.Confidence, r.Lift, r.Leverage, double.IsFinite(r.Conviction) ? r.Conviction : null)).ToList();
            var run = new RuleRun(
                console.Clock.GetUtcNow(), name, options.MinSupport, options.MinConfidence, options.MinLift, options.MaxLength,
                baskets.Baskets.Count, baskets.Items.Count, result.Itemsets.Itemsets.Count, seconds);
            var runId = AssociationRulesTable.Save(store, run, stored);
            console.Log($"rules: {stored.Count:N0} rules from {run.FrequentItemsets:N0} frequent itemsets over {run.Baskets:N0} orders; stored as run {runId} in {AssociationRulesTable.Table}");

            var shown = stored.Take(topN).ToList();
            if (parse.GetValue(json))
            {
                console.WriteJson(new
                {
                    run_id = runId,
                    dataset = name,
                    baskets = run.Baskets,
                    items = run.Items,
                    frequent_itemsets = run.FrequentItemsets,
                    rules_found = stored.Count,
                    rules = shown.Select(r => new { antecedent = r.Antecedent, consequent = r.Consequent, support = r.Support, confidence = r.Confidence, lift = r.Lift }),
                    seconds = Math.Round(seconds, 3),
                });
            }
            else
            {
                Render(console, baskets, run, shown, stored.Count);
            }

            return 0;
        }));
        return command;
    }

    /// <summary>The miner's options, with a mistake reported by the flag's name.</summary>
    private static AssociationRuleOptions Options(double support, double confidence, double lift, int? maxLength)
    {
        var options = new AssociationRuleOptions { MinSupport = support, MinConfidence = confidence, MinLift = lift, MaxLength = maxLength };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            var flag = e.ParamName switch
            {
                nameof(AssociationRuleOptions.MinSupport) => "--min-support",
                nameof(AssociationRuleOptions.MinConfidence) => "--min-confidence",
                nameof(AssociationRuleOptions.MinLift) => "--min-lift",
                nameof(AssociationRuleOptions.MaxLength) => "--max-length",
                _ => e.ParamName,
            };
            throw new ArgumentException($"{flag} {Convert.ToString(e.ActualValue, CultureInfo.InvariantCulture)}: {e.Message.Split(" (Parameter", 2)[0]}", e);
        }

        return options;
    }

    private static string[] Ids(StoreBaskets baskets, int[] keys) => [.. keys.Select(k => baskets.Items[k].ItemId)];

    private static void Render(CliConsole console, StoreBaskets baskets, RuleRun run, List<StoredRule> rules, int total)
    {
        var table = new Table()
            .Title($"{total:N0} rules from {run.FrequentItemsets:N0} frequent itemsets over {run.Baskets:N0} orders, {run.Items:N0} products")
            .AddColumn("if the order holds").AddColumn("it also holds")
            .AddColumn(new TableColumn("support").RightAligned()).AddColumn(new TableColumn("confidence").RightAligned()).AddColumn(new TableColumn("lift").RightAligned());
        foreach (var r in rules)
        {
            table.AddRow(
                Markup.Escape(Describe(baskets, r.AntecedentKeys)), Markup.Escape(Describe(baskets, r.ConsequentKeys)),
                r.Support.ToString("P2", CultureInfo.InvariantCulture), r.Confidence.ToString("P1", CultureInfo.InvariantCulture), r.Lift.ToString("F2", CultureInfo.InvariantCulture));
        }

        console.Tables.Write(table);
    }

    private static string Describe(StoreBaskets baskets, IReadOnlyList<int> keys) =>
        string.Join(" + ", keys.Select(k => baskets.Items[k] is { Title: { } title } item && title != item.ItemId ? $"{item.ItemId} {title}" : baskets.Items[k].ItemId));
}
