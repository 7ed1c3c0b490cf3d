using System.CommandLine;
using System.Text.Json;
using System.Diagnostics;
using PromoPilot.Cli.Modeling;
using System.Text.Json.Nodes;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Explanations;
using PromoPilot.Models.Response;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot response: response (click / conversion / acceptance) models (docs/response-uplift.md).</summary>
internal static class ResponseCommand
{
    public static Command Create(CliConsole console) => new("response", "Response models: who will accept an offer.")
    {
        Eval(console),
    };

    private static Command Eval(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "in-vehicle-coupon (label Y, every other column a feature) | mapped (any CSV with --label).", Required = true };
        var input = new Option<string>("--input") { Description = "The CSV (.csv or .csv.gz).", Required = true };
        var label = new Option<string?>("--label") { Description = "The 0/1 label column (mapped dataset)." };
        var model = new Option<string>("--model") { Description = "lightgbm | fasttree | ffm (field-aware factorization machine) | logistic.", DefaultValueFactory = _ => "lightgbm" };
        var seed = new Option<int>("--seed") { Description = "Seed of the 80/20 split (stratified by label) and of the learner.", DefaultValueFactory = _ => 42 };
        var calibration = new Option<string>("--calibration") { Description = "platt | isotonic | none (fitted on a validation split of the training rows).", DefaultValueFactory = _ => "platt" };
        var threads = new Option<int>("--threads") { Description = "Trainer threads.", DefaultValueFactory = _ => 1 };
        var iterations = new Option<int>("--iterations") { Description = "Most boosting rounds (early stopping may end sooner).", DefaultValueFactory = _ => 500 };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => 127 };
        var learningRate = new Option<double>("--learning-rate") { Description = "Shrinkage per round.", DefaultValueFactory = _ => 0.08 };
        var earlyStopping = new Option<int>("--early-stopping") { Description = "Stop when the validation log loss has not improved for this many rounds (0 = off); the model keeps the best round.", DefaultValueFactory = _ => 10 };
        var minLeaf = new Option<int>("--min-leaf") { Description = "Fewest rows in a leaf.", DefaultValueFactory = _ => 10 };
        var explain = new Option<bool>("--explain") { Description = "Add permutation feature importance on the test rows (JSON field 'importance', after the contract fields)." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Train on 80% of a labelled CSV and score the held-out 20%: AUC, log loss, Brier, accuracy.")
        {
            dataset, input, label, model, seed, calibration, threads, iterations, leaves, learningRate, minLeaf, earlyStopping, explain, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var learner = parse.GetValue(model)!.ToLowerInvariant() switch
            {
                "lightgbm" => ResponseLearner.LightGbm,
                "fasttree" => ResponseLearner.FastTree,
                "logistic" => ResponseLearner.Logistic,
                "ffm" => ResponseLearner.Ffm,
                var other => throw new ArgumentException($"--model '{other}' is not one of lightgbm, fasttree, ffm, logistic."),
            };
            var calibrationMethod = parse.GetValue(calibration)!.ToLowerInvariant() switch
            {
                "platt" => CalibrationMethod.Platt,
                "isotonic" => CalibrationMethod.Isotonic,
                "none" => CalibrationMethod.None,
                var other => throw new ArgumentException($"--calibration '{other}' is not one of platt, isotonic, none."),
            };
            var labelColumn = parse.GetValue(dataset)!.ToLowerInvariant() switch
            {
                "in-vehicle-coupon" => "Y",
                "mapped" => parse.GetValue(label) ?? throw new ArgumentException("--dataset mapped needs --label COLUMN."),
                var other => throw new ArgumentException($"--dataset '{other}' is not one of in-vehicle-coupon, mapped."),
            };

            var csv = CsvColumns.Read(parse.GetValue(input)!);
            var labels = csv.Flags(labelColumn, "--label");
            var features = csv.Features(csv.Header.Where(h => h != labelColumn));
            var split = StratifiedSplit.Split([.. labels.Select(l => l ? 1 : 0)], 0.2, parse.GetValue(seed));
            var options = new ResponseOptions
            {
                Learner = learner,
                Calibration = calibrationMethod,
                Seed = parse.GetValue(seed),
                Trees = new GbmOptions
                {
                    Threads = parse.GetValue(threads),
                    Iterations = parse.GetValue(iterations),
                    Leaves = parse.GetValue(leaves),
                    LearningRate = parse.GetValue(learningRate),
                    MinLeafRows = parse.GetValue(minLeaf),
                    EarlyStoppingRounds = parse.GetValue(earlyStopping),
                },
            };

            var clock = Stopwatch.StartNew();
            var fitted = ResponseTrainer.Fit(features.Take(split.Train), [.. split.Train.Select(i => labels[i])], options, labelColumn);
            var fitSeconds = clock.Elapsed.TotalSeconds;
            var p = fitted.PredictProbabilities(features.Take(split.Test));
            bool[] y = [.. split.Test.Select(i => labels[i])];
            var report = new ResponseReport(
                parse.GetValue(model)!.ToLowerInvariant(),
                ClassificationMetrics.Auc(y, p),
                ClassificationMetrics.LogLoss(y, p),
                ClassificationMetrics.Brier(y, p),
                ClassificationMetrics.Accuracy(y, p),
                fitSeconds,
                split.Train.Length,
                split.Test.Length,
                fitted.TrainingTime.TotalSeconds);
            var importance = parse.GetValue(explain)
                ? ResponseExplainer.PermutationImportance(fitted, features.Take(split.Test), y, new PermutationImportanceOptions { Seed = parse.GetValue(seed) })
                : null;
            if (parse.GetValue(json) && importance is not null)
            {
                var node = JsonSerializer.SerializeToNode(report, CliConsole.Json)!.AsObject();
                node["importance"] = new JsonArray([.. importance.Select(i => (JsonNode)new JsonObject
                {
                    ["feature"] = i.Feature,
                    ["auc_drop"] = i.AucDrop,
                    ["auc_drop_sd"] = i.AucDropSd,
                    ["logloss_increase"] = i.LogLossIncrease,
                })]);
                console.WriteJson(node);
            }
            else if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine($"{report.Model}: AUC {report.Auc:F4}, log loss {report.Logloss:F4}, Brier {report.Brier:F4}, accuracy {report.Accuracy:F4}; fit {report.FitSeconds:F2} s on {report.RowsTrain} rows, scored {report.RowsTest}");
                console.Output.WriteLine("reliability on the validation split (bin, rows, mean predicted, observed):");
                foreach (var bin in fitted.Reliability)
                {
                    console.Output.WriteLine($"  [{bin.Lower:F1}, {bin.Upper:F1})  {bin.Count,6}  {bin.MeanPredicted:F3}  {bin.ObservedRate:F3}");
                }

                foreach (var i in importance ?? [])
                {
                    console.Output.WriteLine($"  importance {i.Feature}: AUC drop {i.AucDrop:F4} ± {i.AucDropSd:F4}, log loss +{i.LogLossIncrease:F4}");
                }
            }

            return 0;
        }));
        return command;
    }

    private sealed record ResponseReport(string Model, double Auc, double Logloss, double Brier, double Accuracy, double FitSeconds, int RowsTrain, int RowsTest, double TrainSeconds);
}
