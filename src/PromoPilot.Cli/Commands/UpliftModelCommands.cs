using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using PromoPilot.Cli.Modeling;
using PromoPilot.Core.Modeling;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;
using PromoPilot.Storage.Models;

namespace PromoPilot.Cli.Commands;

/// <summary>
/// promopilot uplift fit / uplift score: train an uplift model and keep it (a file, or a version in the model
/// registry of a store), then score new users with it; the feature schema is checked before scoring.
/// </summary>
internal static class UpliftModelCommands
{
    public static Command Fit(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "hillstrom (arm column 'segment', features recency ... channel).", Required = true };
        var input = new Option<string>("--input") { Description = "The CSV (.csv or .csv.gz).", Required = true };
        var treatment = new Option<string>("--treatment") { Description = "The treated arm's value, e.g. \"Womens E-Mail\".", Required = true };
        var control = new Option<string>("--control") { Description = "The control arm's value, e.g. \"No E-Mail\".", Required = true };
        var outcome = new Option<string>("--outcome") { Description = "visit | conversion | spend.", DefaultValueFactory = _ => "visit" };
        var learner = new Option<string>("--learner") { Description = "s | t | x | dr | ct.", DefaultValueFactory = _ => "s" };
        var seed = new Option<int>("--seed") { Description = "Seed of the holdout split and of the learners.", DefaultValueFactory = _ => 0 };
        var holdout = new Option<double>("--holdout") { Description = "Share of rows held out (stratified by arm and outcome) to measure the saved model's Qini and uplift@30%; 0 = fit on every row, no metrics.", DefaultValueFactory = _ => 0.3 };
        var output = new Option<string?>("--out") { Description = "Write the model file here." };
        var db = new Option<string?>("--db") { Description = "Register the model in this store's model registry (with --name)." };
        var name = new Option<string?>("--name") { Description = "Registry name (letters, digits, '-', '_'); each fit adds a version." };
        var json = CommonOptions.Json();
        var command = new Command("fit", "Fit an uplift learner on a randomized campaign and save it (--out FILE and/or --db DB --name NAME) with its metadata: features, parameters, holdout metrics, seed.")
        {
            dataset, input, treatment, control, outcome, learner, seed, holdout, output, db, name, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            UpliftCommand.CheckDataset(parse.GetValue(dataset)!);

            var outPath = parse.GetValue(output);
            var registryName = parse.GetValue(name);
            if (outPath is null && registryName is null)
            {
                throw new ArgumentException("say where the model goes: --out FILE, or --db DB --name NAME (or both).");
            }

            var share = parse.GetValue(holdout);
            if (!(share >= 0 && share < 1))
            {
                throw new ArgumentException($"--holdout {share.ToString(CultureInfo.InvariantCulture)} must be in [0, 1).");
            }

            var learnerName = parse.GetValue(learner)!.ToLowerInvariant();
            var kind = UpliftCommand.ParseLearner(learnerName);
            var outcomeName = parse.GetValue(outcome)!;
            UpliftCommand.CheckOutcome(outcomeName);

            var csv = CsvColumns.Read(parse.GetValue(input)!);
            string treatedArm = parse.GetValue(treatment)!, controlArm = parse.GetValue(control)!;
            var (rows, features, y, t) = UpliftCommand.ReadCampaign(csv, treatedArm, controlArm, outcomeName);
            var seedValue = parse.GetValue(seed);
            var options = new UpliftOptions { Learner = kind, Seed = seedValue };
            var (train, test) = share > 0
                ? StratifiedSplit.Split([.. t.Select((ti, i) => (ti ? 2 : 0) + (y[i] > 0 ? 1 : 0))], share, seedValue)
                : ([.. Enumerable.Range(0, rows.Length)], Array.Empty<int>());

            var clock = Stopwatch.StartNew();
            var model = UpliftTrainer.Fit(features.Take(train), [.. train.Select(i => t[i])], [.. train.Select(i => y[i])], options, "segment", outcomeName);
            var fitSeconds = clock.Elapsed.TotalSeconds;
            var metrics = new Dictionary<string, double>(StringComparer.Ordinal) { ["rows_train"] = train.Length, ["rows_holdout"] = test.Length };
            if (test.Length > 0)
            {
                var uplift = model.PredictUplift(features.Take(test));
                double[] yt = [.. test.Select(i => y[i])];
                bool[] tt = [.. test.Select(i => t[i])];
                metrics["qini"] = UpliftMetrics.QiniAucScore(yt, uplift, tt);
                metrics["uplift_at_30"] = UpliftMetrics.UpliftAtK(yt, uplift, tt, 0.3, UpliftAtKStrategy.ByGroup);
                metrics["uplift_at_30_overall"] = UpliftMetrics.UpliftAtK(yt, uplift, tt, 0.3, UpliftAtKStrategy.Overall);
            }

            var trees = options.Trees;
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["learner"] = learnerName,
                ["treatment"] = treatedArm,
                ["control"] = controlArm,
                ["outcome"] = outcomeName,
                ["propensity"] = model.Propensity.ToString("R", CultureInfo.InvariantCulture),
                ["holdout"] = share.ToString("R", CultureInfo.InvariantCulture),
                ["iterations"] = trees.Iterations.ToString(CultureInfo.InvariantCulture),
                ["leaves"] = trees.Leaves.ToString(CultureInfo.InvariantCulture),
                ["min_leaf"] = trees.MinLeafRows.ToString(CultureInfo.InvariantCulture),
                ["learning_rate"] = trees.LearningRate.ToString("R", CultureInfo.InvariantCulture),
            };

            // Hillstrom has no event times (one two-week campaign in 2008): the data range stays unknown.
            var metadata = new ModelMetadata(registryName ?? Path.GetFileNameWithoutExtension(outPath!), "uplift", learnerName, model.Schema,
                $"hillstrom {csv.FileName}: '{treatedArm}' vs '{controlArm}', outcome {outcomeName}, {rows.Length} rows", null, null, parameters, metrics, seedValue);
            if (outPath is not null)
            {
                using var file = new FileStream(outPath, FileMode.Create, FileAccess.Write);
                model.Save(file);
            }

            int? version = null;
            if (registryName is not null)
            {
                using var store = CommonOptions.OpenStore(parse.GetValue(db) ?? Storage.DuckDbStore.DefaultPath);
                version = new ModelRegistry(store, TimeProvider.System).Register(metadata with { Name = registryName }, model.Save).Version;
            }

            var report = new JsonObject
            {
                ["learner"] = learnerName,
                ["outcome"] = outcomeName,
                ["rows_train"] = train.Length,
                ["rows_holdout"] = test.Length,
                ["qini"] = metrics.TryGetValue("qini", out var q) ? q : null,
                ["uplift_at_30"] = metrics.TryGetValue("uplift_at_30", out var u) ? u : null,
                ["fit_seconds"] = fitSeconds,
                ["file"] = outPath,
                ["name"] = registryName,
                ["version"] = version,
                ["features"] = new JsonArray([.. model.Schema.Select(f => (JsonNode)f.Name)]),
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine($"{learnerName}-learner on {train.Length} rows, fit {fitSeconds:F2} s; holdout Qini {report["qini"]?.ToString() ?? "-"}, uplift@30% {report["uplift_at_30"]?.ToString() ?? "-"}; saved to {outPath ?? $"registry '{registryName}' v{version}"}");
            }

            return 0;
        }));
        return command;
    }

    public static Command Score(CliConsole console)
    {
        var input = new Option<string>("--input") { Description = "The users to score (CSV with the model's feature columns; other columns are ignored).", Required = true };
        var modelFile = new Option<string?>("--model") { Description = "A model file written by uplift fit --out." };
        var db = new Option<string?>("--db") { Description = "The store whose model registry holds the model (with --name)." };
        var name = new Option<string?>("--name") { Description = "Registry name of the model." };
        var version = new Option<int?>("--version") { Description = "Registry version (default: the latest)." };
        var output = new Option<string?>("--out") { Description = "Write row,uplift,control,treated per user to this CSV." };
        var json = CommonOptions.Json();
        var command = new Command("score", "Score users with a saved uplift model (file or registry): predicted uplift and both arms' expected outcomes; refuses data of another feature schema.")
        {
            input, modelFile, db, name, version, output, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            var file = parse.GetValue(modelFile);
            var registryName = parse.GetValue(name);
            if ((file is null) == (registryName is null))
            {
                throw new ArgumentException("name exactly one model: --model FILE, or --db DB --name NAME [--version N].");
            }

            var csv = CsvColumns.Read(parse.GetValue(input)!);
            UpliftModel model;
            FeatureTable features;
            try
            {
                if (file is not null)
                {
                    using var stream = File.OpenRead(file);
                    model = UpliftModel.Load(stream);
                    features = Features(csv, model.Schema, $"uplift model {file}", out _);
                }
                else
                {
                    using var store = CommonOptions.OpenStore(CommonOptions.ExistingDb(parse.GetValue(db) ?? Storage.DuckDbStore.DefaultPath));
                    var registry = new ModelRegistry(store, TimeProvider.System);
                    var trained = registry.Find(registryName!, parse.GetValue(version)).Features;
                    features = Features(csv, trained, $"model '{registryName}'", out var actual);
                    using var stream = registry.Open(registryName!, parse.GetValue(version), actual, out _);
                    model = UpliftModel.Load(stream, actual);
                }
            }
            catch (Exception e) when (e is ModelSchemaException or KeyNotFoundException)
            {
                throw new InvalidDataException(e.Message, e);
            }

            var uplift = model.PredictUplift(features);
            var (control, treated) = model.PredictArms(features);
            if (parse.GetValue(output) is { } path)
            {
                var text = new StringBuilder("row,uplift,control,treated\n");
                for (var i = 0; i < uplift.Length; i++)
                {
                    text.Append(CultureInfo.InvariantCulture, $"{i + 1},{uplift[i]:R},{control[i]:R},{treated[i]:R}\n");
                }

                File.WriteAllText(path, text.ToString());
            }

            var report = new JsonObject
            {
                ["learner"] = model.Learner.ToString(),
                ["rows"] = uplift.Length,
                ["mean_uplift"] = uplift.Average(),
                ["min_uplift"] = uplift.Min(),
                ["max_uplift"] = uplift.Max(),
                ["mean_control"] = control.Average(),
                ["mean_treated"] = treated.Average(),
                ["out"] = parse.GetValue(output),
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine(FormattableString.Invariant($"{uplift.Length} users scored: mean uplift {uplift.Average():F4} (from {uplift.Min():F4} to {uplift.Max():F4}), control {control.Average():F4}, treated {treated.Average():F4}"));
            }

            return 0;
        }));
        return command;
    }

    /// <summary>
    /// The model's features from the CSV: a feature the model knows as categorical is read as categories even when its
    /// values look numeric; a numeric one is numeric only if its values parse. <paramref name="actual"/> is what the
    /// CSV offers (missing columns left out), for the schema check.
    /// </summary>
    private static FeatureTable Features(CsvColumns csv, IReadOnlyList<ModelFeature> trained, string what, out IReadOnlyList<ModelFeature> actual)
    {
        var columns = new List<FeatureColumn>();
        foreach (var feature in trained.Where(f => csv.Header.Contains(f.Name)))
        {
            columns.Add(feature.Categorical
                ? FeatureColumn.Categorical(feature.Name, [.. csv.Column(feature.Name, "--input").Select(v => v.Length == 0 ? null : v)])
                : csv.Features([feature.Name]).Columns[0]);
        }

        actual = [.. columns.Select(c => new ModelFeature(c.Name, c.IsCategorical))];
        ModelSchema.Check(what, trained, actual);
        return new FeatureTable(columns);
    }
}
