using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Recommendation;
using Spectre.Console;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot recs: recommendation models and their offline evaluation (docs/recommendation.md).</summary>
internal static class RecsCommand
{
    public static Command Create(CliConsole console) => new("recs", "Recommendation models: evaluate them offline, train them on the store, recommend from them.")
    {
        Eval(console), RecsStoreCommands.Train(console), RecsStoreCommands.Recommend(console),
    };

    private static Command Eval(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "Dataset format: movielens (u.data or u.data.gz: user, item, rating, timestamp).", DefaultValueFactory = _ => "movielens" };
        var input = new Option<string?>("--input") { Description = "Folder holding the dataset files (or use --db)." };
        var db = new Option<string?>("--db") { Description = "Evaluate on the store's interactions instead: global temporal split, the last --holdout-days held out, new items only." };
        var dbDataset = new Option<string?>("--db-dataset") { Description = "With --db: the store's dataset (needed when it holds several)." };
        var holdoutDays = new Option<int>("--holdout-days") { Description = "With --db: days held out at the end.", DefaultValueFactory = _ => 30 };
        var weights = RecsStoreCommands.WeightOption();
        var repeats = RecsStoreCommands.RepeatsOption();
        var tune = RecsStoreCommands.TuneOption();
        var algo = new Option<string>("--algo") { Description = $"Algorithm: {string.Join(" | ", RecommenderCatalog.Names)}.", Required = true };
        var split = new Option<string>("--split") { Description = "stratified (per-user random) | last (leave-last-k) | temporal (global cut at a quantile of time).", DefaultValueFactory = _ => "stratified" };
        var testFraction = new Option<double>("--test-fraction") { Description = "Share held out: per user (stratified) or of the time range's interactions (temporal).", DefaultValueFactory = _ => 0.25 };
        var lastK = new Option<int>("--last-k") { Description = "Interactions held out per user with --split last.", DefaultValueFactory = _ => 1 };
        var seed = new Option<int>("--seed") { Description = "Seed of the split.", DefaultValueFactory = _ => 42 };
        var k = new Option<int>("--k") { Description = "Length of each recommendation list.", DefaultValueFactory = _ => 10 };
        var parameters = new Option<string[]>("--param") { Description = "Model parameter name=value (repeatable), e.g. lambda=300, factors=64.", AllowMultipleArgumentsPerToken = true };
        var validation = new Option<bool>("--validation") { Description = "Score on a validation split carved from train (the same split of train with seed + 1000), never the test split: for tuning parameters." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Fit a model on a train split and score its top-K on the held-out interactions.")
        {
            dataset, input, db, dbDataset, holdoutDays, weights, repeats, tune, algo, split, testFraction, lastK, seed, k, parameters, validation, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (parse.GetValue(db) is { } dbPath)
            {
                return EvalStore(console, dbPath, parse.GetValue(dbDataset), parse.GetValue(holdoutDays), parse.GetValue(algo)!, parse.GetValue(parameters) ?? [],
                    parse.GetValue(weights) ?? [], parse.GetValue(repeats), parse.GetValue(k), parse.GetValue(tune), parse.GetValue(json));
            }

            if (parse.GetValue(input) is null)
            {
                throw new ArgumentException("give --input (a MovieLens folder) or --db (a store).");
            }

            if (!string.Equals(parse.GetValue(dataset), "movielens", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--dataset '{parse.GetValue(dataset)}' is not supported (expected movielens).");
            }

            var data = ReadMovieLens(parse.GetValue(input)!);
            var given = ParseParameters(parse.GetValue(parameters) ?? []);
            RecommenderCatalog.Create(parse.GetValue(algo)!, given);
            var chosen = MakeSplit(data, parse.GetValue(split)!, parse.GetValue(testFraction), parse.GetValue(lastK), parse.GetValue(seed));
            if (parse.GetValue(validation))
            {
                chosen = MakeSplit((Rows(chosen.Train), data.Users, data.Items), parse.GetValue(split)!, parse.GetValue(testFraction), parse.GetValue(lastK), parse.GetValue(seed) + 1000);
            }

            Dictionary<string, object?>? tuning = null;
            double tuneSeconds = 0;
            if (parse.GetValue(tune))
            {
                // The same split of the train part with seed + 1000: the test split is never looked at.
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var carved = MakeSplit((Rows(chosen.Train), data.Users, data.Items), parse.GetValue(split)!, parse.GetValue(testFraction), parse.GetValue(lastK), parse.GetValue(seed) + 1000);
                var result = RecommenderTuning.Search(parse.GetValue(algo)!, carved, parse.GetValue(k), given);
                given = new Dictionary<string, string>(result.Best, StringComparer.OrdinalIgnoreCase);
                tuning = RecsStoreCommands.TuningReport(result, $"{parse.GetValue(split)} split of the train part, seed + 1000");
                tuneSeconds = clock.Elapsed.TotalSeconds;
            }

            var model = RecommenderCatalog.Create(parse.GetValue(algo)!, given);
            var run = RecommenderEvaluator.Run(model, chosen, parse.GetValue(k));
            var m = run.Metrics;
            var report = new
            {
                algo = run.Algorithm,
                k = run.K,
                precision = m.Precision,
                recall = m.Recall,
                ndcg = m.Ndcg,
                map = m.Map,
                coverage = m.Coverage,
                fit_seconds = run.FitSeconds,
                predict_seconds = run.PredictSeconds,
                users = run.Users,
                items = run.Items,
                hit_rate = m.HitRate,
                novelty = m.Novelty,
                evaluated_users = m.Users,
                train_interactions = chosen.Train.NonZeros,
                test_interactions = chosen.Test.NonZeros,
                split = parse.GetValue(split) + (parse.GetValue(validation) ? " (validation carved from train)" : ""),
                seed = parse.GetValue(seed),
                threads = Environment.ProcessorCount,
                parameters = given,
                tuning,
                tune_seconds = parse.GetValue(tune) ? tuneSeconds : (double?)null,
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Tables.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{run.Algorithm} on {run.Users} users x {run.Items} items, {m.Users} evaluated, k = {run.K}: precision {m.Precision:F4}, recall {m.Recall:F4}, nDCG {m.Ndcg:F4}, MAP {m.Map:F4}, hit rate {m.HitRate:F4}, coverage {m.Coverage:F4}, novelty {m.Novelty:F2}; fit {run.FitSeconds:F3} s, predict {run.PredictSeconds:F3} s"));
            }

            return 0;
        }));
        return command;
    }

    private static int EvalStore(CliConsole console, string dbPath, string? dataset, int days, string algorithm, string[] parameters, string[] weights, string? repeats, int k, bool tune, bool json)
    {
        var path = CommonOptions.ExistingDb(dbPath);
        if (days <= 0)
        {
            throw new ArgumentException($"--holdout-days must be positive, not {days}.");
        }

        if (k <= 0)
        {
            throw new ArgumentException($"--k must be positive, not {k}.");
        }

        using var store = CommonOptions.OpenStore(path);
        var data = RecsStoreCommands.Load(store, dataset, RecsStoreCommands.ParseWeights(weights), RecsStoreCommands.SumRepeats(repeats), coldItems: false);
        var given = ParseParameters(parameters);
        RecommenderCatalog.Create(algorithm, given, data.Attributes);
        Dictionary<string, object?>? tuning = null;
        if (tune)
        {
            var end = data.To ?? throw new ArgumentException("the interactions carry no time: no temporal split.");
            (given, tuning) = RecsStoreCommands.Tune(data, algorithm, given, end.AddDays(-days), days, k, console);
        }

        var report = new Dictionary<string, object?> { ["algo"] = algorithm.ToLowerInvariant(), ["dataset"] = data.Dataset };
        foreach (var (key, value) in RecsStoreCommands.Holdout(data, algorithm, given, days, k, null))
        {
            report[key] = value;
        }

        report["split"] = "temporal (new items of the last days; users without earlier history skipped)";
        report["parameters"] = given;
        report["tuning"] = tuning;
        report["threads"] = Environment.ProcessorCount;
        if (json)
        {
            console.WriteJson(report);
        }
        else
        {
            console.Tables.WriteLine(string.Join(", ", report.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value}"))));
        }

        return 0;
    }

    /// <summary>MovieLens u.data: user id, item id, rating, unix time, tab-separated; ids are 1-based and become indices id − 1.</summary>
    internal static (List<RatedInteraction> Rows, int Users, int Items) ReadMovieLens(string folder)
    {
        var plain = Path.Combine(folder, "u.data");
        var gz = plain + ".gz";
        using var stream = File.Exists(plain) ? File.OpenRead(plain)
            : File.Exists(gz) ? (Stream)new GZipStream(File.OpenRead(gz), CompressionMode.Decompress)
            : throw new FileNotFoundException($"{folder}: no u.data or u.data.gz here (MovieLens-100K).");
        using var reader = new StreamReader(stream);
        var rows = new List<RatedInteraction>(100_000);
        int users = 0, items = 0, line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var f = text.Split('\t');
            if (f.Length < 4 || !int.TryParse(f[0], CultureInfo.InvariantCulture, out var u) || !int.TryParse(f[1], CultureInfo.InvariantCulture, out var i)
                || !float.TryParse(f[2], CultureInfo.InvariantCulture, out _) || !long.TryParse(f[3], CultureInfo.InvariantCulture, out var t) || u < 1 || i < 1)
            {
                throw new InvalidDataException($"u.data line {line}: expected user, item, rating, timestamp separated by tabs.");
            }

            // Implicit feedback, as in the Microsoft recommenders ranking benchmark: every rating is an interaction of weight 1.
            rows.Add(new RatedInteraction(u - 1, i - 1, 1f, t));
            users = Math.Max(users, u);
            items = Math.Max(items, i);
        }

        return (rows, users, items);
    }

    private static RecommendationSplit MakeSplit((List<RatedInteraction> Rows, int Users, int Items) data, string split, double testFraction, int lastK, int seed) => split switch
    {
        "stratified" => RecommendationSplits.Stratified(data.Rows, data.Users, data.Items, testFraction, seed),
        "last" => RecommendationSplits.LeaveLastK(data.Rows, data.Users, data.Items, lastK),
        "temporal" => RecommendationSplits.Temporal(data.Rows, data.Users, data.Items, TimeQuantile(data.Rows, 1 - testFraction)),
        _ => throw new ArgumentException($"--split '{split}' is not one of stratified, last, temporal."),
    };

    private static List<RatedInteraction> Rows(CsrMatrix train)
    {
        var rows = new List<RatedInteraction>(train.NonZeros);
        for (var u = 0; u < train.Rows; u++)
        {
            for (var p = train.RowPointers[u]; p < train.RowPointers[u + 1]; p++)
            {
                rows.Add(new RatedInteraction(u, train.ColumnIndices[p], train.Values[p], 0));
            }
        }

        return rows;
    }

    private static long TimeQuantile(List<RatedInteraction> rows, double q)
    {
        var times = rows.Select(r => r.Timestamp).Order().ToArray();
        return times[Math.Clamp((int)(q * times.Length), 0, times.Length - 1)];
    }

    private static Dictionary<string, string> ParseParameters(string[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in values)
        {
            var eq = v.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new ArgumentException($"--param '{v}' is not name=value.");
            }

            result[v[..eq].Trim()] = v[(eq + 1)..].Trim();
        }

        return result;
    }
}
