using System.CommandLine;
using System.Globalization;
using PromoPilot.Campaigns.Forecasting;
using PromoPilot.Cli.Modeling;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot forecast-campaign: a campaign's effect from per-user predictions (docs/response-uplift.md).</summary>
internal static class ForecastCampaignCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Option<string>("--input") { Description = "CSV, one row per targeted user in priority order: p0, p1 [, order_value, order_value_sd] [, p0_r1, p1_r1, p0_r2, p1_r2 ... bootstrap replicates].", Required = true };
        var margin = new Option<double>("--margin-rate") { Description = "Gross margin as a share of order value.", DefaultValueFactory = _ => 1 };
        var perRedemption = new Option<double>("--discount") { Description = "Fixed discount per redemption.", DefaultValueFactory = _ => 0 };
        var percent = new Option<double>("--percent-off") { Description = "Discount as a share of the order, in [0, 1].", DefaultValueFactory = _ => 0 };
        var cap = new Option<double?>("--cap") { Description = "Largest discount per redemption." };
        var perContact = new Option<double>("--cost-per-contact") { Description = "Cost of reaching one user.", DefaultValueFactory = _ => 0 };
        var fixedCost = new Option<double>("--fixed-cost") { Description = "Fixed campaign cost.", DefaultValueFactory = _ => 0 };
        var budget = new Option<double?>("--budget") { Description = "Largest expected cost; users past it (in file order) are not targeted." };
        var reach = new Option<double>("--reach-rate") { Description = "Share of treated users the offer reaches.", DefaultValueFactory = _ => 1 };
        var holdout = new Option<double>("--holdout") { Description = "Share of targeted users held out (the readout's control).", DefaultValueFactory = _ => 0.1 };
        var level = new Option<double>("--level") { Description = "Nominal coverage of the intervals.", DefaultValueFactory = _ => 0.9 };
        var seed = new Option<int>("--seed") { Description = "Seed of the Monte Carlo draws.", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var command = new Command("forecast-campaign", "Forecast reach, redemptions, incremental conversions, revenue and margin, cost and ROI of a campaign, with intervals, from per-user predictions.")
        {
            input, margin, perRedemption, percent, cap, perContact, fixedCost, budget, reach, holdout, level, seed, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var csv = CsvColumns.Read(parse.GetValue(input)!);
            var replicates = new List<EffectReplicate>();
            for (var b = 1; csv.Header.Contains($"p0_r{b}"); b++)
            {
                replicates.Add(new EffectReplicate(csv.Numbers($"p0_r{b}", "--input"), csv.Numbers($"p1_r{b}", "--input")));
            }

            var inputs = new EffectInputs(csv.Numbers("p0", "--input"), csv.Numbers("p1", "--input"))
            {
                OrderValue = csv.Header.Contains("order_value") ? csv.Numbers("order_value", "--input") : null,
                OrderValueSd = csv.Header.Contains("order_value_sd") ? csv.Numbers("order_value_sd", "--input") : null,
                MarginRate = parse.GetValue(margin),
                Cost = new OfferCost
                {
                    PerRedemption = parse.GetValue(perRedemption),
                    PercentOfOrder = parse.GetValue(percent),
                    CapPerRedemption = parse.GetValue(cap),
                    PerContact = parse.GetValue(perContact),
                    Fixed = parse.GetValue(fixedCost),
                },
                Budget = parse.GetValue(budget),
                ReachRate = parse.GetValue(reach),
                HoldoutFraction = parse.GetValue(holdout),
                Replicates = replicates,
            };
            var forecast = CampaignEffectForecaster.Forecast(inputs, new EffectForecastOptions { Level = parse.GetValue(level), Seed = parse.GetValue(seed) });
            if (parse.GetValue(json))
            {
                console.WriteJson(EffectForecastJson.Write(forecast));
            }
            else
            {
                static string Line(string name, EffectInterval f) => string.Create(CultureInfo.InvariantCulture, $"  {name,-24} {f.Value,14:N1}  [{f.Low:N1}, {f.High:N1}]");
                console.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{forecast.Targeted} of {forecast.Audience} users targeted{(forecast.BudgetBinding ? " (budget reached)" : "")}, {forecast.TreatedUsers:N0} treated; {forecast.Level:P0} intervals ({forecast.Method})"));
                console.Output.WriteLine(Line("reach", forecast.Reach));
                console.Output.WriteLine(Line("redemptions", forecast.Redemptions));
                console.Output.WriteLine(Line("incremental conversions", forecast.IncrementalConversions));
                console.Output.WriteLine(Line("incremental revenue", forecast.IncrementalRevenue));
                console.Output.WriteLine(Line("incremental margin", forecast.IncrementalMargin));
                console.Output.WriteLine(Line("cost", forecast.Cost));
                console.Output.WriteLine(forecast.Roi is { } roi ? Line("ROI", roi) : "  ROI                      (no cost)");
            }

            return 0;
        }));
        return command;
    }
}
