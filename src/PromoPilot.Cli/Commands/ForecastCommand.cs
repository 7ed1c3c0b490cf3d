using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using PromoPilot.Cli.Forecasting;
using PromoPilot.Models.Forecasting;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot forecast: demand forecasting baselines and their backtests (docs/forecasting.md).</summary>
internal static class ForecastCommand
{
    private static readonly string[] Methods = ["naive", "snaive", "ma4", "ets", "croston", "sba", "gbm"];

    public static Command Create(CliConsole console) => new("forecast", "Demand forecasting: backtests of statistical baselines.") { Eval(console) };

    private static Command Eval(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "dominicks-oj (the only dataset so far).", DefaultValueFactory = _ => "dominicks-oj" };
        var input = new Option<string>("--input") { Description = "Folder holding oj_yx.csv.gz (../shared/data/dominicks_oj).", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "Weeks held out and forecast from each origin.", DefaultValueFactory = _ => 12 };
        var origins = new Option<int>("--origins") { Description = "Rolling origins, one horizon apart (1 = the issue's protocol).", DefaultValueFactory = _ => 1 };
        var level = new Option<string>("--level") { Description = "item-store (store x brand, default) | item (brand totals) | store (store totals).", DefaultValueFactory = _ => "item-store" };
        var method = new Option<string>("--method") { Description = "naive | snaive | ma4 | ets | croston | sba | gbm (global LightGBM, store × brand only) | all.", DefaultValueFactory = _ => "all" };
        var threads = new Option<int>("--threads") { Description = "Series forecast at once by the per-series methods (same results for any value).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var dump = new Option<string?>("--dump-models") { Description = "With ets: write each series' fitted ETS model (type, parameters, log-likelihood, AICc on the first origin's training part) to this CSV file, for comparison with bench/forecast/ets_models.R." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Backtest forecasting methods on store × brand weekly series with rolling origins: WAPE, MASE, bias, interval coverage.")
        {
            dataset, input, level, horizon, origins, method, threads, dump, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (!string.Equals(parse.GetValue(dataset), "dominicks-oj", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--dataset '{parse.GetValue(dataset)}' is not supported (dominicks-oj).");
            }

            var h = parse.GetValue(horizon);
            var o = parse.GetValue(origins);
            if (h < 1 || o < 1)
            {
                throw new ArgumentException("--horizon and --origins must be positive.");
            }

            var chosen = parse.GetValue(method)!.ToLowerInvariant() switch
            {
                "all" => string.Equals(parse.GetValue(level), "item-store", StringComparison.OrdinalIgnoreCase) ? Methods : Methods[..^1],
                var m when Methods.Contains(m) => [m],
                var m => throw new ArgumentException($"--method '{m}' is not one of {string.Join(", ", Methods)}, all."),
            };
            var series = DominicksOj.ReadEligible(parse.GetValue(input)!, parse.GetValue(level)!.ToLowerInvariant());
            var values = series.Select(s => s.Units).ToList();
            var panel = chosen.Contains("gbm") ? GbmPanel(parse.GetValue(input)!, parse.GetValue(level)!) : [];
            if (parse.GetValue(dump) is { } dumpPath)
            {
                EtsModelDump.Write(dumpPath, series, h * o);
            }

            var options = new BacktestOptions { Horizon = h, Origins = o, Step = h, SeasonalPeriod = 1, Parallelism = Math.Max(1, parse.GetValue(threads)) };
            var results = chosen.Select(name =>
            {
                var watch = Stopwatch.StartNew();
                var result = name == "gbm"
                    ? GlobalGbmForecaster.Backtest(panel, options)
                    : Backtest.Run(Create(name), values, options);
                return (Result: result, Seconds: watch.Elapsed.TotalSeconds);
            }).ToList();
            var report = new ForecastEvalReport(
                "dominicks-oj", $"{parse.GetValue(level)} weekly units, gap-free tail of at least 52 weeks, last horizon weeks held out per origin",
                series.Count, h, o, results.Sum(r => r.Result.Accuracy.Points) / Math.Max(results.Count, 1),
                results.Select(r => new ForecastMethodReport(
                    r.Result.Method, Round(r.Result.Accuracy.Wape), Round(r.Result.Accuracy.Mase), Round(r.Result.Accuracy.Bias),
                    Round(r.Result.Accuracy.Coverage80), Round(r.Result.Accuracy.Coverage90), Round(r.Result.Accuracy.Coverage95),
                    r.Result.Accuracy.Series, Math.Round(r.Seconds, 3), r.Result.Warnings.Count, r.Result.Warnings.Distinct().Take(3).ToList())).ToList());
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                var table = new Table().Title($"{report.Series} series, horizon {h}, {o} origin(s)").AddColumns("method", "WAPE", "MASE", "bias", "cov80", "cov90", "cov95", "seconds");
                foreach (var m in report.Methods)
                {
                    table.AddRow(m.Method, F(m.Wape), F(m.Mase), F(m.Bias), F(m.Coverage80), F(m.Coverage90), F(m.Coverage95), F(m.Seconds));
                }

                console.Tables.Write(table);
            }

            return 0;
        }));
        return command;
    }

    private static IForecaster Create(string name) => name switch
    {
        "naive" => BaselineForecaster.Naive(),
        "snaive" => BaselineForecaster.SeasonalNaive(52),
        "ma4" => BaselineForecaster.MovingAverage(4),
        "ets" => new EtsForecaster(new EtsOptions { Period = 1 }),
        "croston" => new CrostonForecaster(),
        "sba" => new CrostonForecaster(sba: true),
        _ => throw new ArgumentException($"unknown method {name}"),
    };

    private static IReadOnlyList<DemandSeries> GbmPanel(string input, string level) =>
        string.Equals(level, "item-store", StringComparison.OrdinalIgnoreCase)
            ? DominicksOjPanel.ReadEligible(input)
            : throw new ArgumentException("--method gbm needs --level item-store (prices and promotions are per store and brand).");

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;

    private static string F(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
}

internal sealed record ForecastMethodReport(
    string Method, double? Wape, double? Mase, double? Bias,
    [property: JsonPropertyName("coverage_80")] double? Coverage80,
    [property: JsonPropertyName("coverage_90")] double? Coverage90,
    [property: JsonPropertyName("coverage_95")] double? Coverage95,
    int Series, double Seconds, int Fallbacks, IReadOnlyList<string> Warnings);

internal sealed record ForecastEvalReport(string Dataset, string Protocol, int Series, int Horizon, int Origins, long Points, IReadOnlyList<ForecastMethodReport> Methods);
