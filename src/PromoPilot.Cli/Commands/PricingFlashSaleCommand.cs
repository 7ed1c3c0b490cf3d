using System.CommandLine;
using System.Globalization;
using PromoPilot.Cli.Forecasting;
using PromoPilot.Models.Pricing;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot pricing flash-sale: expected units over a sale window at an offered price, with an interval (docs/forecasting.md, "Flash-sale planning").</summary>
internal static class PricingFlashSaleCommand
{
    public static Command Create(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "dominicks-oj (the only dataset so far).", DefaultValueFactory = _ => "dominicks-oj" };
        var input = new Option<string>("--input") { Description = "Folder holding oj_yx.csv.gz (../shared/data/dominicks_oj).", Required = true };
        var brand = new Option<int>("--brand") { Description = "Brand on sale (1-11).", Required = true };
        var store = new Option<int?>("--store") { Description = "One store (default: every store of the chain, summed)." };
        var discount = new Option<double?>("--discount") { Description = "Discount off the current price (e.g. 0.2)." };
        var price = new Option<double?>("--price") { Description = "Offered price per package (instead of --discount)." };
        var weeks = new Option<int>("--weeks") { Description = "Weeks in the sale window.", DefaultValueFactory = _ => 1 };
        var deal = new Option<bool>("--deal") { Description = "The sale runs with an in-store deal (adds the fitted deal lift)." };
        var feature = new Option<bool>("--feature") { Description = "The sale is featured in the advertising (adds the fitted feature lift)." };
        var level = new Option<double>("--interval") { Description = "Two-sided interval level.", DefaultValueFactory = _ => 0.9 };
        var draws = new Option<int>("--draws") { Description = "Simulation draws.", DefaultValueFactory = _ => 10000 };
        var seed = new Option<int>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("flash-sale", "Expected units, revenue, profit and discount budget of a flash sale at an offered price, with intervals from the elasticity's standard error and week-to-week noise, and the stock that covers the upper bound.")
        {
            dataset, input, brand, store, discount, price, weeks, deal, feature, level, draws, seed, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (!string.Equals(parse.GetValue(dataset), "dominicks-oj", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--dataset '{parse.GetValue(dataset)}' is not supported (dominicks-oj).");
            }

            if ((parse.GetValue(discount) is null) == (parse.GetValue(price) is null))
            {
                throw new ArgumentException("Give exactly one of --discount and --price.");
            }

            if (parse.GetValue(discount) is { } dd && !(dd >= 0 && dd < 1))
            {
                throw new ArgumentException($"--discount must lie in [0, 1) (got {dd}).");
            }

            var n = parse.GetValue(weeks);
            if (n < 1)
            {
                throw new ArgumentException($"--weeks must be ≥ 1 (got {n}).");
            }

            var b = OjDemand.Calibrate(DominicksOj.ReadRows(parse.GetValue(input)!)).FirstOrDefault(d => d.Brand == parse.GetValue(brand))
                ?? throw new ArgumentException($"--brand {parse.GetValue(brand)} is not in the data (1-11).");
            var stores = parse.GetValue(store) is { } s
                ? [b.Stores.FirstOrDefault(x => x.Store == s) ?? throw new ArgumentException($"--store {s} does not sell brand {b.Brand}.")]
                : b.Stores;
            var regular = stores.Count == 1 ? stores[0].CurrentPrice : b.CurrentPrice;
            var offer = parse.GetValue(price) ?? Math.Round(regular * (1 - parse.GetValue(discount)!.Value), 2);
            var perWeek = stores.Sum(x => x.BaselineUnits);
            // week-level noise of one store is the model's residual sd; a chain total of independent stores averages it down
            var noise = b.ResidualStd * Math.Sqrt(stores.Sum(x => x.BaselineUnits * x.BaselineUnits)) / perWeek;
            var lift = Math.Exp((parse.GetValue(deal) ? b.DealEffect : 0) + (parse.GetValue(feature) ? b.FeatEffect : 0));
            var options = new FlashSaleOptions { PeriodLogStdError = noise, IntervalLevel = parse.GetValue(level), Draws = parse.GetValue(draws), Seed = parse.GetValue(seed) };
            var plan = FlashSale.Plan(new FlashSaleInput(Enumerable.Repeat(perWeek, n).ToArray(), regular, offer, b.Elasticity, b.StdError, b.UnitCost, lift), options);
            var report = new FlashSaleReport(
                "dominicks-oj", b.Brand, b.Name, parse.GetValue(store), n, R(regular), R(offer), R(1 - (offer / regular)), R(b.Elasticity), R(b.StdError),
                R(lift), R(noise), R(plan.BaselineUnits), R(plan.Units.Value), R(plan.Units.Low), R(plan.Units.High),
                R(plan.IncrementalUnits.Value), R(plan.IncrementalUnits.Low), R(plan.IncrementalUnits.High),
                R(plan.Revenue.Value), R(plan.Revenue.Low), R(plan.Revenue.High), R(plan.Profit.Value), R(plan.Profit.Low), R(plan.Profit.High),
                R(plan.DiscountCost.Value), R(plan.DiscountCost.Low), R(plan.DiscountCost.High), plan.StockToCover, options.IntervalLevel,
                OjDemand.Specification + "; units per week = baseline × (offer / regular)^elasticity × exp(deal and feature effects when set); intervals: elasticity ~ N(estimate, se²), log-normal week noise (residual sd), Poisson counts");
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                var table = new Table().Title($"Flash sale: {Markup.Escape(b.Name)} at {F(offer)} for {n} week(s)").AddColumns("measure", "expected", "low", "high");
                table.AddRow("units", F(report.Units), F(report.UnitsLow), F(report.UnitsHigh));
                table.AddRow("incremental units", F(report.IncrementalUnits), F(report.IncrementalUnitsLow), F(report.IncrementalUnitsHigh));
                table.AddRow("revenue", F(report.Revenue), F(report.RevenueLow), F(report.RevenueHigh));
                table.AddRow("profit", F(report.Profit), F(report.ProfitLow), F(report.ProfitHigh));
                table.AddRow("discount budget", F(report.DiscountCost), F(report.DiscountCostLow), F(report.DiscountCostHigh));
                table.AddRow("stock to cover", F(report.StockToCover), "", "");
                console.Tables.Write(table);
            }

            return 0;
        }));
        return command;
    }

    private static double R(double v) => Math.Round(v, 6);

    private static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}

internal sealed record FlashSaleReport(
    string Dataset, int Brand, string Name, int? Store, int Weeks, double RegularPrice, double OfferPrice, double Discount, double Elasticity,
    double ElasticityStdError, double PromotionMultiplier, double WeekLogStdError, double BaselineUnits, double Units, double UnitsLow, double UnitsHigh,
    double IncrementalUnits, double IncrementalUnitsLow, double IncrementalUnitsHigh, double Revenue, double RevenueLow, double RevenueHigh,
    double Profit, double ProfitLow, double ProfitHigh, double DiscountCost, double DiscountCostLow, double DiscountCostHigh, double StockToCover,
    double IntervalLevel, string Specification);
