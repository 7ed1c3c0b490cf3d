using System.CommandLine;
using System.Globalization;
using PromoPilot.Cli.Forecasting;
using PromoPilot.Models.Elasticity;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot pricing: price elasticity (docs/forecasting.md, "Price elasticity").</summary>
internal static class PricingCommand
{
    public static Command Create(CliConsole console) => new("pricing", "Dynamic pricing: own-price elasticity, price optimization, price experiments, flash-sale planning.")
    {
        Elasticity(console),
        PricingOptimizeCommand.Create(console),
        PricingSimulateCommand.Create(console),
        PricingFlashSaleCommand.Create(console),
    };

    private static Command Elasticity(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "dominicks-oj (the only dataset so far).", DefaultValueFactory = _ => "dominicks-oj" };
        var input = new Option<string>("--input") { Description = "Folder holding oj_yx.csv.gz (../shared/data/dominicks_oj).", Required = true };
        var by = new Option<string?>("--by") { Description = "Also estimate per brand or per store (after the pooled estimate)." };
        var method = new Option<string>("--method") { Description = "ols | dml (double machine learning with LightGBM nuisance models; elasticity by store income quartile).", DefaultValueFactory = _ => "ols" };
        var se = new Option<string>("--se") { Description = "Standard errors: classical | hc1 | cluster (by store).", DefaultValueFactory = _ => "hc1" };
        var json = CommonOptions.Json();
        var command = new Command("elasticity", "Own-price elasticity from a log-log regression with brand effects and deal/feature controls, pooled and per brand or store.")
        {
            dataset, input, by, method, se, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (!string.Equals(parse.GetValue(dataset), "dominicks-oj", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--dataset '{parse.GetValue(dataset)}' is not supported (dominicks-oj).");
            }

            if (parse.GetValue(method)!.ToLowerInvariant() is var m && m is not "ols" and not "dml")
            {
                throw new ArgumentException($"--method '{m}' is not one of ols, dml.");
            }

            var kind = parse.GetValue(se)!.ToLowerInvariant() switch
            {
                "classical" => StandardErrorKind.Classical,
                "hc1" => StandardErrorKind.HC1,
                "cluster" => StandardErrorKind.Cluster,
                var s => throw new ArgumentException($"--se '{s}' is not one of classical, hc1, cluster."),
            };
            var scope = parse.GetValue(by)?.ToLowerInvariant();
            if (scope is not null and not "brand" and not "store")
            {
                throw new ArgumentException($"--by '{scope}' is not one of brand, store.");
            }

            if (m == "dml")
            {
                return Dml(console, parse.GetValue(input)!, kind, parse.GetValue(json));
            }

            var rows = DominicksOj.ReadRows(parse.GetValue(input)!);
            var estimates = new List<ElasticityRow> { Estimate("pooled", rows, withBrandEffects: true, kind) };
            if (scope == "brand")
            {
                estimates.AddRange(rows.GroupBy(r => r.Brand).OrderBy(g => g.Key).Select(g => Estimate($"brand {g.Key}", g.ToList(), withBrandEffects: false, kind)));
            }
            else if (scope == "store")
            {
                estimates.AddRange(rows.GroupBy(r => r.Store).OrderBy(g => g.Key).Select(g => Estimate($"store {g.Key}", g.ToList(), withBrandEffects: true, kind)));
            }

            var report = new ElasticityReport(
                "ols",
                $"log(units) ~ log(own price) + brand effects + feat + deal (per brand: without brand effects); {kind} standard errors{(kind == StandardErrorKind.Cluster ? " clustered by store" : "")}",
                estimates);
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                WriteTable(console, report.Specification, estimates);
            }

            return 0;
        }));
        return command;
    }

    private static int Dml(CliConsole console, string input, StandardErrorKind kind, bool json)
    {
        var rows = DominicksOj.ReadRows(input);
        var (names, stores) = DominicksOj.ReadStoreDemographics(input);
        var income = names.ToList().IndexOf("INCOME");
        var data = rows.Select(r =>
        {
            var demo = stores.TryGetValue(r.Store, out var d) ? d : throw new InvalidDataException($"store {r.Store} has no demographics.");
            var w = Enumerable.Range(1, 11).Select(b => r.Brand == b ? 1.0 : 0.0).Concat([r.Feat, r.Deal]).Concat(demo.Where((_, j) => j != income)).ToArray();
            return new DmlObservation(r.Units, r.Price, w, demo[income], r.Store);
        }).ToList();
        var fit = DoubleMlElasticity.Fit(data, new DmlOptions { StandardErrors = kind });
        var estimates = new List<ElasticityRow> { new("pooled", Math.Round(fit.Elasticity, 6), Math.Round(fit.StdError, 6), fit.N) };
        estimates.AddRange(fit.Groups.Select(g => new ElasticityRow(
            string.Create(CultureInfo.InvariantCulture, $"income q{g.Group} [{g.Low:F3}, {g.High:F3}]"), Math.Round(g.Elasticity, 6), Math.Round(g.StdError, 6), g.N)));
        var report = new DmlReport(
            "dml",
            $"partially linear DML (Chernozhukov et al. 2018): log(units) and log(price) residualized on brand dummies, feat, deal and the store demographics incl. INCOME by LightGBM (150 rounds, 3-fold cross-fitting); elasticity = slope of the residuals, pooled and per store log-income quartile; {kind} standard errors{(kind == StandardErrorKind.Cluster ? " clustered by store" : "")}",
            estimates, Math.Round(fit.Gradient, 6), Math.Round(fit.GradientStdError, 6), Math.Round(fit.OutcomeR2, 6), Math.Round(fit.TreatmentR2, 6));
        if (json)
        {
            console.WriteJson(report);
        }
        else
        {
            WriteTable(console, report.Specification, estimates);
        }

        return 0;
    }

    private static void WriteTable(CliConsole console, string specification, IReadOnlyList<ElasticityRow> estimates)
    {
        var table = new Table().Title(specification).AddColumns("scope", "elasticity", "std error", "n");
        foreach (var e in estimates)
        {
            table.AddRow(e.Scope, e.Elasticity.ToString("F3", CultureInfo.InvariantCulture), e.StdError.ToString("F3", CultureInfo.InvariantCulture), e.N.ToString("N0", CultureInfo.InvariantCulture));
        }

        console.Tables.Write(table);
    }

    private static ElasticityRow Estimate(string scope, IReadOnlyList<OjRow> rows, bool withBrandEffects, StandardErrorKind kind)
    {
        var data = rows.Select(r => new DemandObservation(r.Units, r.Price, [r.Feat, r.Deal], withBrandEffects ? [r.Brand] : [], r.Store)).ToList();
        var fit = LogLogElasticity.Fit(data, new ElasticityOptions { StandardErrors = kind, ControlNames = ["feat", "deal"], GroupNames = ["brand"] });
        return new ElasticityRow(scope, Math.Round(fit.Elasticity, 6), Math.Round(fit.StdError, 6), fit.N);
    }
}

internal sealed record ElasticityRow(string Scope, double Elasticity, double StdError, int N);

internal sealed record DmlReport(string Method, string Specification, IReadOnlyList<ElasticityRow> Estimates, double IncomeGradient, double IncomeGradientStdError, double OutcomeR2, double TreatmentR2);

internal sealed record ElasticityReport(string Method, string Specification, IReadOnlyList<ElasticityRow> Estimates);
