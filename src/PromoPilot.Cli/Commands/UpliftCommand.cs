using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using PromoPilot.Cli.Modeling;
using PromoPilot.Models.Evaluation;
using PromoPilot.Models.Response;
using PromoPilot.Models.Uplift;

namespace PromoPilot.Cli.Commands;

/// <summary>promopilot uplift: uplift models on randomized campaign data (docs/response-uplift.md).</summary>
internal static class UpliftCommand
{
    private static readonly string[] HillstromFeatures = ["recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie", "channel"];

    public static Command Create(CliConsole console) => new("uplift", "Uplift models: who buys because of the offer.")
    {
        Eval(console),
    };

    private static Command Eval(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "hillstrom (arm column 'segment', features recency ... channel).", Required = true };
        var input = new Option<string>("--input") { Description = "The CSV (.csv or .csv.gz).", Required = true };
        var treatment = new Option<string>("--treatment") { Description = "The treated arm's value, e.g. \"Womens E-Mail\".", Required = true };
        var control = new Option<string>("--control") { Description = "The control arm's value, e.g. \"No E-Mail\".", Required = true };
        var outcome = new Option<string>("--outcome") { Description = "visit | conversion | spend.", DefaultValueFactory = _ => "visit" };
        var learner = new Option<string>("--learner") { Description = "s | t | x | dr | ct.", DefaultValueFactory = _ => "t" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds 0..N-1, one 70/30 split (stratified by arm and outcome) each.", DefaultValueFactory = _ => 5 };
        var iterations = new Option<int>("--iterations") { Description = "Boosting rounds of each base learner.", DefaultValueFactory = _ => new UpliftOptions().Trees.Iterations };
        var leaves = new Option<int>("--leaves") { Description = "Leaves per tree.", DefaultValueFactory = _ => new UpliftOptions().Trees.Leaves };
        var minLeaf = new Option<int>("--min-leaf") { Description = "Fewest rows in a leaf.", DefaultValueFactory = _ => new UpliftOptions().Trees.MinLeafRows };
        var learningRate = new Option<double>("--learning-rate") { Description = "Shrinkage per round.", DefaultValueFactory = _ => new UpliftOptions().Trees.LearningRate };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Fit an uplift learner on 70% of a randomized campaign and score the other 30%: Qini, AUUC, uplift at 30%; mean and sd over seeds.")
        {
            dataset, input, treatment, control, outcome, learner, seeds, iterations, leaves, minLeaf, learningRate, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            if (!parse.GetValue(dataset)!.Equals("hillstrom", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException($"--dataset '{parse.GetValue(dataset)}' is not one of hillstrom.");
            }

            var learnerName = parse.GetValue(learner)!.ToLowerInvariant();
            var kind = learnerName switch
            {
                "s" => UpliftLearner.S,
                "t" => UpliftLearner.T,
                "x" => UpliftLearner.X,
                "dr" => UpliftLearner.DoublyRobust,
                "ct" => UpliftLearner.ClassTransformation,
                _ => throw new ArgumentException($"--learner '{learnerName}' is not one of s, t, x, dr, ct."),
            };
            var outcomeName = parse.GetValue(outcome)!;
            if (outcomeName is not ("visit" or "conversion" or "spend"))
            {
                throw new ArgumentException($"--outcome '{outcomeName}' is not one of visit, conversion, spend.");
            }

            var seedCount = parse.GetValue(seeds);
            if (seedCount < 1)
            {
                throw new ArgumentException("--seeds must be at least 1.");
            }

            var csv = CsvColumns.Read(parse.GetValue(input)!);
            var arms = csv.Column("segment", "--treatment");
            string treatedArm = parse.GetValue(treatment)!, controlArm = parse.GetValue(control)!;
            foreach (var (arm, option) in new[] { (treatedArm, "--treatment"), (controlArm, "--control") })
            {
                if (!arms.Contains(arm))
                {
                    throw new ArgumentException($"{option} '{arm}' is not a value of column 'segment' (values: {string.Join(", ", arms.Distinct().Order(StringComparer.Ordinal))}).");
                }
            }

            if (treatedArm == controlArm)
            {
                throw new ArgumentException($"treatment column 'segment' has one arm only: --treatment and --control are both '{treatedArm}'.");
            }

            int[] rows = [.. Enumerable.Range(0, arms.Length).Where(i => arms[i] == treatedArm || arms[i] == controlArm)];
            var features = csv.Features(HillstromFeatures).Take(rows);
            var allOutcomes = csv.Numbers(outcomeName, "--outcome");
            double[] y = [.. rows.Select(i => allOutcomes[i])];
            bool[] t = [.. rows.Select(i => arms[i] == treatedArm)];
            var binary = y.All(v => v is 0 or 1);
            var options = new UpliftOptions
            {
                Learner = kind,
                Trees = new UpliftOptions().Trees with
                {
                    Iterations = parse.GetValue(iterations),
                    Leaves = parse.GetValue(leaves),
                    MinLeafRows = parse.GetValue(minLeaf),
                    LearningRate = parse.GetValue(learningRate),
                },
            };

            var qini = new List<double>();
            var auuc = new List<double>();
            var at30 = new List<double>();
            var at30Overall = new List<double>();
            var fitSeconds = new List<double>();
            for (var seed = 0; seed < seedCount; seed++)
            {
                var (train, test) = StratifiedSplit.Split([.. t.Select((ti, i) => (ti ? 2 : 0) + (y[i] > 0 ? 1 : 0))], 0.3, seed);
                var clock = Stopwatch.StartNew();
                var model = UpliftTrainer.Fit(features.Take(train), [.. train.Select(i => t[i])], [.. train.Select(i => y[i])], options with { Seed = seed }, "segment", outcomeName);
                fitSeconds.Add(clock.Elapsed.TotalSeconds);
                var uplift = model.PredictUplift(features.Take(test));
                double[] yt = [.. test.Select(i => y[i])];
                bool[] tt = [.. test.Select(i => t[i])];
                qini.Add(UpliftMetrics.QiniAucScore(yt, uplift, tt));
                if (binary)
                {
                    auuc.Add(UpliftMetrics.UpliftAucScore(yt, uplift, tt));
                }

                at30.Add(UpliftMetrics.UpliftAtK(yt, uplift, tt, 0.3, UpliftAtKStrategy.ByGroup));
                at30Overall.Add(UpliftMetrics.UpliftAtK(yt, uplift, tt, 0.3, UpliftAtKStrategy.Overall));
                console.Log($"seed {seed}: qini {qini[^1]:F4}, uplift@30 {at30[^1]:F4} (overall {at30Overall[^1]:F4}), fit {fitSeconds[^1]:F2} s");
            }

            var report = new JsonObject
            {
                ["learner"] = learnerName,
                ["qini"] = Mean(qini),
                ["auuc"] = binary ? Mean(auuc) : null,
                ["uplift_at_30"] = Mean(at30),
                ["uplift_at_30_overall"] = Mean(at30Overall),
                ["fit_seconds"] = Mean(fitSeconds),
                ["qini_sd"] = Sd(qini),
                ["auuc_sd"] = binary ? Sd(auuc) : null,
                ["uplift_at_30_sd"] = Sd(at30),
                ["uplift_at_30_overall_sd"] = Sd(at30Overall),
                ["fit_seconds_sd"] = Sd(fitSeconds),
                ["seeds"] = seedCount,
                ["outcome"] = outcomeName,
                ["rows"] = rows.Length,
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine($"{learnerName}-learner, {outcomeName}, {seedCount} seeds: Qini {Mean(qini):F4} ± {Sd(qini):F4}, uplift@30% {Mean(at30):F4} ± {Sd(at30):F4} (overall {Mean(at30Overall):F4}), fit {Mean(fitSeconds):F2} s");
            }

            return 0;
        }));
        return command;
    }

    private static double Mean(List<double> values) => values.Average();

    /// <summary>Sample standard deviation (n - 1); 0 for one seed.</summary>
    private static double Sd(List<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
