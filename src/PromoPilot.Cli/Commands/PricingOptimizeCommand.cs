using System.CommandLine;
using System.Globalization;
using PromoPilot.Cli.Forecasting;
using PromoPilot.Models.Pricing;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot pricing optimize: prices per brand (or brand × store) from calibrated log-log demand (docs/forecasting.md, "Price optimization").</summary>
internal static class PricingOptimizeCommand
{
    public static Command Create(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "dominicks-oj (the only dataset so far).", DefaultValueFactory = _ => "dominicks-oj" };
        var input = new Option<string>("--input") { Description = "Folder holding oj_yx.csv.gz (../shared/data/dominicks_oj).", Required = true };
        var objective = new Option<string>("--objective") { Description = "profit | revenue.", DefaultValueFactory = _ => "profit" };
        var level = new Option<string>("--level") { Description = "item (one price per brand, average store) | item-store.", DefaultValueFactory = _ => "item" };
        var maxChange = new Option<double?>("--max-change") { Description = "Largest relative price change, up or down (e.g. 0.1); default 0.1. 0 keeps prices.", DefaultValueFactory = _ => 0.1 };
        var marginFloor = new Option<double?>("--margin-floor") { Description = "Smallest gross margin (price - cost) / price (e.g. 0.2); default none." };
        var endings = new Option<string>("--endings") { Description = "Allowed price endings, comma-separated (e.g. 0.49,0.99), or none for any price.", DefaultValueFactory = _ => "0.49,0.99" };
        var costRatio = new Option<double?>("--cost-ratio") { Description = "Unit cost as a share of the current price (default: 1 - the median profit column / 100)." };
        var weeks = new Option<int>("--weeks") { Description = "Weeks the price holds; units, revenue and profit are totals over them.", DefaultValueFactory = _ => 1 };
        var inventory = new Option<double?>("--inventory-weeks") { Description = "Stock on hand in weeks of baseline demand (sales capped at it; the stock is already paid for)." };
        var sellThrough = new Option<bool>("--sell-through") { Description = "Require expected units to reach the stock by the end of --weeks." };
        var levelOfInterval = new Option<double>("--interval") { Description = "Two-sided interval level.", DefaultValueFactory = _ => 0.9 };
        var draws = new Option<int>("--draws") { Description = "Elasticity draws for the intervals.", DefaultValueFactory = _ => 4000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the draws.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("optimize", "Choose prices that maximize expected profit or revenue under a maximum change, a margin floor, price endings and stock, with intervals from the elasticity's standard error.")
        {
            dataset, input, objective, level, maxChange, marginFloor, endings, costRatio, weeks, inventory, sellThrough, levelOfInterval, draws, seed, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (!string.Equals(parse.GetValue(dataset), "dominicks-oj", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--dataset '{parse.GetValue(dataset)}' is not supported (dominicks-oj).");
            }

            var goal = parse.GetValue(objective)!.ToLowerInvariant() switch
            {
                "profit" => PricingObjective.Profit,
                "revenue" => PricingObjective.Revenue,
                var o => throw new ArgumentException($"--objective '{o}' is not one of profit, revenue."),
            };
            var scope = parse.GetValue(level)!.ToLowerInvariant();
            if (scope is not "item" and not "item-store")
            {
                throw new ArgumentException($"--level '{scope}' is not one of item, item-store.");
            }

            if (parse.GetValue(costRatio) is { } cr && !(cr >= 0 && cr < 1))
            {
                throw new ArgumentException($"--cost-ratio must lie in [0, 1) (got {cr}).");
            }

            var periods = parse.GetValue(weeks);
            if (periods < 1)
            {
                throw new ArgumentException($"--weeks must be ≥ 1 (got {periods}).");
            }

            var options = new PriceOptimizerOptions
            {
                Objective = goal,
                MaxChange = parse.GetValue(maxChange),
                MarginFloor = parse.GetValue(marginFloor),
                Endings = ParseList(parse.GetValue(endings)!, "--endings"),
                RequireSellThrough = parse.GetValue(sellThrough),
                IntervalLevel = parse.GetValue(levelOfInterval),
                Draws = parse.GetValue(draws),
                Seed = parse.GetValue(seed),
            };
            var stockWeeks = parse.GetValue(inventory);
            if (stockWeeks is { } sw && !(sw >= 0))
            {
                throw new ArgumentException($"--inventory-weeks must be ≥ 0 (got {sw}).");
            }

            var brands = OjDemand.Calibrate(DominicksOj.ReadRows(parse.GetValue(input)!), parse.GetValue(costRatio));
            var items = new List<(OjBrandDemand Brand, int? Store, PricingItem Item)>();
            foreach (var b in brands)
            {
                if (scope == "item")
                {
                    items.Add((b, null, new PricingItem($"brand {b.Brand}", b.CurrentPrice, b.UnitCost, b.BaselineUnits, b.Elasticity, b.StdError, periods, stockWeeks * b.BaselineUnits)));
                }
                else
                {
                    items.AddRange(b.Stores.Select(s => (b, (int?)s.Store, new PricingItem(
                        $"brand {b.Brand} store {s.Store}", s.CurrentPrice, b.UnitCost, s.BaselineUnits, b.Elasticity, b.StdError, periods, stockWeeks * s.BaselineUnits))));
                }
            }

            var decisions = PriceOptimizer.Optimize(items.Select(i => i.Item).ToList(), options);
            var rows = items.Zip(decisions, (i, d) => new OptimizeRow(
                i.Item.Id, i.Brand.Brand, i.Brand.Name, i.Store, R(d.CurrentPrice), R(d.Price), R(d.Change), R(i.Item.UnitCost), R(d.Margin),
                R(i.Brand.Elasticity), R(i.Brand.StdError), R(i.Item.BaselineUnits),
                R(d.Units.Value), R(d.Units.Low), R(d.Units.High), R(d.Revenue.Value), R(d.Revenue.Low), R(d.Revenue.High),
                R(d.Profit.Value), R(d.Profit.Low), R(d.Profit.High), R(d.CurrentProfit.Value), d.Binding, d.Status)).ToList();
            var report = new OptimizeReport(
                "dominicks-oj", goal.ToString().ToLowerInvariant(), scope, options.MaxChange, options.MarginFloor, options.Endings, periods,
                stockWeeks, options.RequireSellThrough, options.IntervalLevel, options.Draws, options.Seed, OjDemand.Specification,
                R(rows.Sum(r => r.CurrentProfit)), R(rows.Sum(r => r.Profit)), rows);
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                var table = new Table().Title($"{report.Objective}-optimal prices ({scope})").AddColumns("item", "current", "price", "units", "profit (interval)", "binding", "status");
                foreach (var r in rows)
                {
                    table.AddRow(
                        Markup.Escape(r.Item), F(r.CurrentPrice), F(r.Price), $"{F(r.Units)} [{F(r.UnitsLow)}, {F(r.UnitsHigh)}]",
                        $"{F(r.Profit)} [{F(r.ProfitLow)}, {F(r.ProfitHigh)}]", string.Join(' ', r.Binding), Markup.Escape(r.Status));
                }

                console.Tables.Write(table);
            }

            return 0;
        }));
        return command;
    }

    internal static double[] ParseList(string text, string option) =>
        text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) || text.Trim().Length == 0
            ? []
            : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new ArgumentException($"{option}: '{t}' is not a number."))
                .ToArray();

    private static double R(double v) => Math.Round(v, 6);

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}

internal sealed record OptimizeRow(
    string Item, int Brand, string Name, int? Store, double CurrentPrice, double Price, double Change, double UnitCost, double Margin,
    double Elasticity, double ElasticityStdError, double BaselineUnits, double Units, double UnitsLow, double UnitsHigh,
    double Revenue, double RevenueLow, double RevenueHigh, double Profit, double ProfitLow, double ProfitHigh, double CurrentProfit,
    IReadOnlyList<string> Binding, string Status);

internal sealed record OptimizeReport(
    string Dataset, string Objective, string Level, double? MaxChange, double? MarginFloor, IReadOnlyList<double> Endings, int Weeks,
    double? InventoryWeeks, bool SellThrough, double IntervalLevel, int Draws, int Seed, string Specification,
    double CurrentProfit, double Profit, IReadOnlyList<OptimizeRow> Items);
