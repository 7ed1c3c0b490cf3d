using System.CommandLine;
using System.Globalization;
using PromoPilot.Cli.Forecasting;
using PromoPilot.Models.Pricing;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot pricing simulate: Thompson sampling or a fixed A/B price test in a calibrated demand simulator (docs/forecasting.md, "Price experiments").</summary>
internal static class PricingSimulateCommand
{
    public static Command Create(CliConsole console)
    {
        var policy = new Option<string>("--policy") { Description = "thompson | ab (equal split for --ab-explore of the horizon, then commit).", DefaultValueFactory = _ => "thompson" };
        var runs = new Option<int>("--runs") { Description = "Simulated runs.", DefaultValueFactory = _ => 100 };
        var seed = new Option<int>("--seed") { Description = "Seed (the same seed gives every policy the same simulated markets).", DefaultValueFactory = _ => 1 };
        var horizon = new Option<int>("--horizon") { Description = "Customers (periods) per run.", DefaultValueFactory = _ => 5000 };
        var ladder = new Option<string>("--ladder") { Description = "Price ladder as multiples of the reference price.", DefaultValueFactory = _ => "0.8,0.9,1,1.1,1.2,1.3,1.4" };
        var elasticity = new Option<double>("--elasticity") { Description = "Elasticity estimate (default: Dominick's OJ pooled, -2.365).", DefaultValueFactory = _ => -2.365 };
        var elasticitySe = new Option<double>("--elasticity-se") { Description = "Its standard error; each run draws its true elasticity from N(estimate, se^2).", DefaultValueFactory = _ => 0.062 };
        var costRatio = new Option<double>("--cost-ratio") { Description = "Unit cost as a share of the reference price (0: maximize revenue; default 0.71, Dominick's median margin 29%).", DefaultValueFactory = _ => 0.71 };
        var probability = new Option<double>("--purchase-probability") { Description = "Purchase probability at the reference price.", DefaultValueFactory = _ => 0.3 };
        var inventory = new Option<double?>("--inventory") { Description = "Stock for the whole horizon (units); Thompson sampling then solves the LP over price probabilities." };
        var explore = new Option<double>("--ab-explore") { Description = "Share of the horizon the A/B test spends on its equal split.", DefaultValueFactory = _ => 0.2 };
        var input = new Option<string?>("--input") { Description = "Calibrate from Dominick's OJ (folder with oj_yx.csv.gz): the brand's elasticity, se, current price and cost." };
        var brand = new Option<int>("--brand") { Description = "Brand to calibrate from with --input (1-11).", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var command = new Command("simulate", "Cumulative regret of Thompson sampling (Ferreira, Simchi-Levi & Wang 2018) or a fixed A/B price test over a price ladder, in a demand simulator calibrated from an elasticity estimate.")
        {
            policy, runs, seed, horizon, ladder, elasticity, elasticitySe, costRatio, probability, inventory, explore, input, brand, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var kind = parse.GetValue(policy)!.ToLowerInvariant() switch
            {
                "thompson" => PricePolicy.Thompson,
                "ab" => PricePolicy.AbTest,
                var p => throw new ArgumentException($"--policy '{p}' is not one of thompson, ab."),
            };
            var multiples = PricingOptimizeCommand.ParseList(parse.GetValue(ladder)!, "--ladder");
            double p0 = 1, e = parse.GetValue(elasticity), se = parse.GetValue(elasticitySe), cost = parse.GetValue(costRatio);
            string calibration = "elasticity and standard error as given; reference price 1";
            if (parse.GetValue(input) is { } dir)
            {
                var b = OjDemand.Calibrate(DominicksOj.ReadRows(dir)).FirstOrDefault(d => d.Brand == parse.GetValue(brand))
                    ?? throw new ArgumentException($"--brand {parse.GetValue(brand)} is not in the data (1-11).");
                (p0, e, se, cost) = (b.CurrentPrice, b.Elasticity, b.StdError, b.UnitCost / b.CurrentPrice);
                calibration = $"Dominick's OJ brand {b.Brand} ({b.Name}): {OjDemand.Specification}";
            }

            var options = new PriceExperimentOptions
            {
                Prices = multiples.Select(m => Math.Round(m * p0, 6)).ToArray(),
                ReferencePrice = p0,
                BasePurchaseProbability = parse.GetValue(probability),
                Elasticity = e,
                ElasticityStdError = se,
                UnitCost = cost * p0,
                Horizon = parse.GetValue(horizon),
                Inventory = parse.GetValue(inventory),
                AbExploreShare = parse.GetValue(explore),
                Runs = parse.GetValue(runs),
                Seed = parse.GetValue(seed),
            };
            var result = PriceExperiment.Simulate(kind, options);
            var report = new SimulateReport(
                kind == PricePolicy.Thompson ? "thompson" : "ab", result.Runs, result.Horizon, options.Seed, options.Prices, R(options.UnitCost), R(e), R(se),
                options.BasePurchaseProbability, options.Inventory, kind == PricePolicy.AbTest ? options.AbExploreShare : null, calibration,
                R(result.OraclePrice), R(result.OracleValuePerPeriod), R(result.MeanOptimalPriceShare), result.RegretDefinition,
                result.Regret.Select(r => new RegretRow(r.Period, R(r.Mean), R(r.P10), R(r.P50), R(r.P90), R(r.MeanPerPeriod))).ToList());
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                var table = new Table().Title($"{report.Policy}: cumulative regret over {report.Runs} runs").AddColumns("period", "mean", "p10", "p50", "p90", "per period");
                foreach (var r in report.Regret)
                {
                    table.AddRow(r.Period.ToString(CultureInfo.InvariantCulture), F(r.Mean), F(r.P10), F(r.P50), F(r.P90), F(r.MeanPerPeriod));
                }

                console.Tables.Write(table);
            }

            return 0;
        }));
        return command;
    }

    private static double R(double v) => Math.Round(v, 6);

    private static string F(double v) => v.ToString("G5", CultureInfo.InvariantCulture);
}

internal sealed record RegretRow(int Period, double Mean, double P10, double P50, double P90, double MeanPerPeriod);

internal sealed record SimulateReport(
    string Policy, int Runs, int Horizon, int Seed, IReadOnlyList<double> Prices, double UnitCost, double Elasticity, double ElasticityStdError,
    double PurchaseProbability, double? Inventory, double? AbExploreShare, string Calibration, double OraclePrice, double OracleValuePerPeriod,
    double OptimalPriceShare, string RegretDefinition, IReadOnlyList<RegretRow> Regret);
