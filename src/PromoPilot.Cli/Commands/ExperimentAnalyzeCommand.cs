using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using PromoPilot.Cli.Experiments;
using PromoPilot.Measurement.Experiments.Analysis;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot experiment analyze: the readout of one metric from a unit-level table (docs/experiments.md).</summary>
internal static class ExperimentAnalyzeCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Option<string>("--input") { Description = "Unit-level CSV (.csv or .csv.gz): one row per unit with its variant and metric.", Required = true };
        var variantColumn = new Option<string>("--variant-col") { Description = "Column naming each unit's variant.", Required = true };
        var metricColumn = new Option<string>("--metric-col") { Description = "Column with the metric (a number, or a true/false flag read as 1/0).", Required = true };
        var control = new Option<string?>("--control") { Description = "The control variant. Default: a variant named control, else the first name in ordinal order." };
        var covariate = new Option<string?>("--covariate") { Description = "Pre-period covariate column for CUPED (frequentist method only)." };
        var method = new Option<string>("--method") { Description = "frequentist | bayesian | sequential.", DefaultValueFactory = _ => "frequentist" };
        var alpha = new Option<double>("--alpha") { Description = "Significance level; intervals cover 1 - alpha.", DefaultValueFactory = _ => 0.05 };
        var weights = new Option<string?>("--weights") { Description = "Planned split for the sample-ratio check, e.g. gate_30=1,gate_40=1. Default: equal." };
        var tuning = new Option<double>("--sequential-n") { Description = "Planned total units N* tuning the sequential test.", DefaultValueFactory = _ => 5000 };
        var json = CommonOptions.Json();
        var command = new Command("analyze", "Read out an experiment: effect, interval, p-value or chance to win, sample-ratio check.")
        {
            input, variantColumn, metricColumn, control, covariate, method, alpha, weights, tuning, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var chosenMethod = ParseMethod(parse.GetValue(method)!);
            var table = ExperimentTable.Read(parse.GetValue(input)!, parse.GetValue(variantColumn)!, parse.GetValue(metricColumn)!, parse.GetValue(covariate));
            var names = table.Variants.Select(v => v.Name).ToList();
            var controlName = parse.GetValue(control) ?? names.FirstOrDefault(n => n.Equals("control", StringComparison.OrdinalIgnoreCase)) ?? names[0];
            if (!names.Contains(controlName))
            {
                throw new ArgumentException($"--control '{controlName}' is not a value of column '{table.VariantColumn}' (variants: {string.Join(", ", names)}).");
            }

            if (names.Count < 2)
            {
                throw new ArgumentException($"column '{table.VariantColumn}' has one variant only ('{names[0]}'): nothing to compare.");
            }

            var analysis = ExperimentAnalyzer.Analyze(table.Variants, controlName, new ExperimentAnalysisOptions
            {
                Method = chosenMethod,
                Alpha = parse.GetValue(alpha),
                UseCovariate = table.CovariateColumn is not null,
                BinaryMetric = table.BinaryMetric,
                ExpectedWeights = parse.GetValue(weights) is { } w ? ParseWeights(w, names) : null,
                SequentialTuningSampleSize = parse.GetValue(tuning),
            });
            var report = Report(table, analysis);
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                WriteText(console, table, analysis);
            }

            return 0;
        }));
        return command;
    }

    private static AnalysisMethod ParseMethod(string text) => text.ToLowerInvariant() switch
    {
        "frequentist" => AnalysisMethod.Frequentist,
        "bayesian" => AnalysisMethod.Bayesian,
        "sequential" => AnalysisMethod.Sequential,
        _ => throw new ArgumentException($"--method '{text}' is not one of frequentist, bayesian, sequential."),
    };

    /// <summary>"a=1,b=2" into weights; every name must be a variant of the data.</summary>
    private static Dictionary<string, double> ParseWeights(string text, IReadOnlyList<string> names)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pieces.Length != 2 || !double.TryParse(pieces[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var weight) || !(weight > 0) || !double.IsFinite(weight))
            {
                throw new ArgumentException($"--weights: '{part}' is not name=positive-number.");
            }

            if (!names.Contains(pieces[0]))
            {
                throw new ArgumentException($"--weights: unknown variant '{pieces[0]}' (variants: {string.Join(", ", names)}).");
            }

            weights[pieces[0]] = weight;
        }

        return weights;
    }

    private static JsonObject Report(ExperimentTable table, ExperimentAnalysis analysis)
    {
        var comparisons = new JsonArray([.. analysis.Comparisons.Select(c => (JsonNode)Comparison(c))]);
        var report = new JsonObject
        {
            ["input"] = table.FileName,
            ["metric"] = table.MetricColumn,
            ["covariate"] = table.CovariateColumn,
            ["method"] = analysis.Method.ToString().ToLowerInvariant(),
            ["control"] = analysis.Control,
            ["variants"] = new JsonArray([.. analysis.Variants.Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["n"] = v.Count, ["mean"] = v.Mean })]),
        };

        // One treatment: its fields at the top level too, as scripts expect.
        if (analysis.Comparisons.Count == 1)
        {
            foreach (var (key, value) in Comparison(analysis.Comparisons[0]).Where(p => p.Key != "variant"))
            {
                report[key] = value?.DeepClone();
            }
        }

        report["srm_p_value"] = analysis.SampleRatio.PValue;
        report["srm_alert"] = analysis.SampleRatio.Mismatch;
        report["comparisons"] = comparisons;
        report["rows"] = new JsonObject
        {
            ["read"] = table.RowsRead,
            ["used"] = table.RowsUsed,
            ["missing_metric"] = table.RowsMissingMetric,
            ["missing_variant"] = table.RowsMissingVariant,
            ["missing_covariate"] = table.CovariateColumn is null ? null : table.RowsMissingCovariate,
        };
        return report;
    }

    private static JsonObject Comparison(VariantComparison c) => new()
    {
        ["variant"] = c.Variant,
        ["status"] = c.Status.ToString(),
        ["effect"] = c.Effect,
        ["ci_low"] = c.CiLow,
        ["ci_high"] = c.CiHigh,
        ["p_value"] = c.PValue,
        ["p_value_holm"] = c.AdjustedPValue,
        ["lift"] = c.Lift,
        ["chance_to_win"] = c.ChanceToWin,
        ["risk_treatment"] = c.RiskOfChoosingTreatment,
        ["risk_control"] = c.RiskOfChoosingControl,
        ["significant"] = c.Significant,
        ["variance_reduction"] = c.VarianceReduction,
    };

    private static void WriteText(CliConsole console, ExperimentTable table, ExperimentAnalysis analysis)
    {
        var o = console.Output;
        o.WriteLine($"{table.FileName}: {table.MetricColumn} by {table.VariantColumn}, {analysis.Method.ToString().ToLowerInvariant()}, control {analysis.Control}");
        foreach (var v in analysis.Variants)
        {
            o.WriteLine(FormattableString.Invariant($"  {v.Name}: n {v.Count}, mean {v.Mean:G6}"));
        }

        foreach (var c in analysis.Comparisons)
        {
            o.WriteLine(FormattableString.Invariant(
                $"  {c.Variant} - {analysis.Control}: effect {c.Effect:G4} [{c.CiLow:G4}, {c.CiHigh:G4}]{(c.PValue is { } p ? $", p {p:G3}" : "")}{(c.ChanceToWin is { } w ? $", chance to win {w:P1}" : "")}{(c.Status != Measurement.Experiments.Statistics.TestStatus.Ok ? $" ({c.Status})" : "")}"));
        }

        o.WriteLine(FormattableString.Invariant($"  sample ratio: p {analysis.SampleRatio.PValue:G3}{(analysis.SampleRatio.Mismatch ? " MISMATCH: check the assignment before trusting the effect" : "")}"));
        o.WriteLine($"  rows: {table.RowsRead} read, {table.RowsUsed} used, {table.RowsMissingMetric} without a metric, {table.RowsMissingVariant} without a variant");
    }
}
