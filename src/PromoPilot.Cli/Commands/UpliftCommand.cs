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
    internal static readonly string[] HillstromFeatures = ["recency", "history_segment", "history", "mens", "womens", "zip_code", "newbie", "channel"];

    public static Command Create(CliConsole console) => new("uplift", "Uplift models: who buys because of the offer.")
    {
        Eval(console),
        Backtest(console),
        UpliftModelCommands.Fit(console),
        UpliftModelCommands.Score(console),
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
            CheckDataset(parse.GetValue(dataset)!);

            var learnerName = parse.GetValue(learner)!.ToLowerInvariant();
            var kind = ParseLearner(learnerName);
            var outcomeName = parse.GetValue(outcome)!;
            CheckOutcome(outcomeName);

            var seedCount = parse.GetValue(seeds);
            if (seedCount < 1)
            {
                throw new ArgumentException("--seeds must be at least 1.");
            }

            var csv = CsvColumns.Read(parse.GetValue(input)!);
            string treatedArm = parse.GetValue(treatment)!, controlArm = parse.GetValue(control)!;
            var (rows, features, y, t) = ReadCampaign(csv, treatedArm, controlArm, outcomeName);
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

    private static Command Backtest(CliConsole console)
    {
        var dataset = new Option<string>("--dataset") { Description = "hillstrom (arm column 'segment', outcomes visit, conversion, spend).", Required = true };
        var input = new Option<string>("--input") { Description = "The CSV (.csv or .csv.gz).", Required = true };
        var treatments = new Option<string[]>("--treatment") { Description = "Treated arm(s) (repeatable); default both e-mail arms.", AllowMultipleArgumentsPerToken = false, DefaultValueFactory = _ => ["Womens E-Mail", "Mens E-Mail"] };
        var control = new Option<string>("--control") { Description = "The control arm's value.", DefaultValueFactory = _ => "No E-Mail" };
        var outcomes = new Option<string[]>("--outcome") { Description = "visit | conversion | spend (repeatable); default all three.", DefaultValueFactory = _ => ["visit", "conversion", "spend"] };
        var learner = new Option<string>("--learner") { Description = "s | t | x | dr | ct (the forecast needs both arms: the control-arm model plus the uplift).", DefaultValueFactory = _ => "t" };
        var seeds = new Option<int>("--seeds") { Description = "Seeds 0..N-1, one random half/half split each.", DefaultValueFactory = _ => 10 };
        var replicates = new Option<int>("--replicates") { Description = "Draws of the calibrated model (its sampling distribution) handed to the forecaster.", DefaultValueFactory = _ => 200 };
        var calibrationScope = new Option<string>("--calibration") { Description = "audience (each audience calibrated on its own users in the training half) | global (one calibration).", DefaultValueFactory = _ => "audience" };
        var folds = new Option<int>("--folds") { Description = "Cross-fitting folds of the training half.", DefaultValueFactory = _ => 5 };
        var level = new Option<double>("--level") { Description = "Nominal coverage of the forecast intervals.", DefaultValueFactory = _ => 0.9 };
        var threads = new Option<int>("--threads") { Description = "Threads fitting the bootstrap refits.", DefaultValueFactory = _ => 1 };
        var details = new Option<string?>("--details") { Description = "Write every check (seed, arm, outcome, audience, forecast, interval, measured) to this CSV." };
        var json = CommonOptions.Json();
        var command = new Command("backtest", "Forecast campaign effects on one random half of a randomized campaign from a model fitted on the other half, and report how often the intervals cover the measured effects.")
        {
            dataset, input, treatments, control, outcomes, learner, seeds, replicates, folds, calibrationScope, level, threads, details, json,
        };
        command.SetAction(parse => console.Guard(parse.GetValue(json), () =>
        {
            CheckDataset(parse.GetValue(dataset)!);

            var learnerName = parse.GetValue(learner)!.ToLowerInvariant();
            var outcomeNames = parse.GetValue(outcomes)!.Distinct(StringComparer.Ordinal).ToArray();
            foreach (var o in outcomeNames.Where(o => o is not ("visit" or "conversion" or "spend")))
            {
                throw new ArgumentException($"--outcome '{o}' is not one of visit, conversion, spend.");
            }

            if (parse.GetValue(seeds) < 1 || parse.GetValue(replicates) < 2 || parse.GetValue(threads) < 1 || parse.GetValue(folds) < 2)
            {
                throw new ArgumentException("--seeds and --threads must be at least 1, --replicates and --folds at least 2.");
            }

            var csv = CsvColumns.Read(parse.GetValue(input)!);
            var arms = csv.Column("segment", "--treatment");
            var controlArm = parse.GetValue(control)!;
            var treatedArms = parse.GetValue(treatments)!.Distinct(StringComparer.Ordinal).ToArray();
            foreach (var arm in treatedArms.Append(controlArm).Where(a => !arms.Contains(a)))
            {
                throw new ArgumentException($"arm '{arm}' is not a value of column 'segment' (values: {string.Join(", ", arms.Distinct().Order(StringComparer.Ordinal))}).");
            }

            if (treatedArms.Contains(controlArm))
            {
                throw new ArgumentException($"treatment column 'segment' has one arm only: --treatment and --control are both '{controlArm}'.");
            }

            var settings = new BacktestSettings
            {
                Treatments = treatedArms,
                Control = controlArm,
                Outcomes = outcomeNames,
                Seeds = parse.GetValue(seeds),
                Replicates = parse.GetValue(replicates),
                Folds = parse.GetValue(folds),
                AudienceCalibration = parse.GetValue(calibrationScope) switch
                {
                    "audience" => true,
                    "global" => false,
                    var other => throw new ArgumentException($"--calibration '{other}' is not one of audience, global."),
                },
                Level = parse.GetValue(level),
                Threads = parse.GetValue(threads),
                Uplift = new UpliftOptions { Learner = ParseLearner(learnerName) },
            };
            var clock = Stopwatch.StartNew();
            var checks = UpliftBacktest.Run(csv, HillstromFeatures, settings, console.Log);
            var seconds = clock.Elapsed.TotalSeconds;
            if (checks.Count == 0)
            {
                throw new ArgumentException("no audience had 30 treated and 30 control users in the test half: the file is too small for a backtest.");
            }

            if (parse.GetValue(details) is { } path)
            {
                File.WriteAllLines(path, checks.Select(c => FormattableString.Invariant($"{c.Seed},\"{c.Arm}\",{c.Outcome},\"{c.Audience}\",{c.Treated},{c.Control},{c.Forecast},{c.Low},{c.High},{c.Measured},{(c.Covered ? 1 : 0)}"))
                    .Prepend("seed,arm,outcome,audience,treated,control,forecast,low,high,measured,covered"));
            }

            static JsonObject By(IEnumerable<BacktestCheck> checks, Func<BacktestCheck, string> key)
            {
                var groups = new JsonObject();
                foreach (var g in checks.GroupBy(key))
                {
                    groups[g.Key] = g.Average(c => c.Covered ? 1.0 : 0.0);
                }

                return groups;
            }

            var covered = checks.Count(c => c.Covered);
            var report = new JsonObject
            {
                ["dataset"] = "hillstrom",
                ["learner"] = learnerName,
                ["level"] = settings.Level,
                ["seeds"] = settings.Seeds,
                ["replicates"] = settings.Replicates,
                ["folds"] = settings.Folds,
                ["calibration"] = settings.AudienceCalibration ? "audience" : "global",
                ["checks"] = checks.Count,
                ["covered"] = covered,
                ["coverage"] = covered / (double)checks.Count,
                ["coverage_by_outcome"] = By(checks, c => c.Outcome),
                ["coverage_by_arm"] = By(checks, c => c.Arm),
                ["coverage_by_audience"] = By(checks, c => c.Audience),
                ["below"] = checks.Count(c => c.Measured < c.Low),
                ["above"] = checks.Count(c => c.Measured > c.High),
                ["mean_error_over_width"] = checks.Average(c => (c.Forecast - c.Measured) / Math.Max(c.High - c.Low, 1e-12)),
                ["seconds"] = seconds,
            };
            if (parse.GetValue(json))
            {
                console.WriteJson(report);
            }
            else
            {
                console.Output.WriteLine(FormattableString.Invariant($"{checks.Count} forecasts ({settings.Seeds} seeds): {settings.Level:P0} intervals covered {covered / (double)checks.Count:P1} of the measured effects ({report["below"]} below, {report["above"]} above)"));
                foreach (var (key, value) in (JsonObject)report["coverage_by_outcome"]!)
                {
                    console.Output.WriteLine(FormattableString.Invariant($"  {key}: {(double)value!:P1}"));
                }
            }

            return 0;
        }));
        return command;
    }

    internal static UpliftLearner ParseLearner(string name) => name switch
    {
        "s" => UpliftLearner.S,
        "t" => UpliftLearner.T,
        "x" => UpliftLearner.X,
        "dr" => UpliftLearner.DoublyRobust,
        "ct" => UpliftLearner.ClassTransformation,
        _ => throw new ArgumentException($"--learner '{name}' is not one of s, t, x, dr, ct."),
    };

    internal static void CheckDataset(string name)
    {
        if (!name.Equals("hillstrom", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"--dataset '{name}' is not one of hillstrom.");
        }
    }

    internal static void CheckOutcome(string name)
    {
        if (name is not ("visit" or "conversion" or "spend"))
        {
            throw new ArgumentException($"--outcome '{name}' is not one of visit, conversion, spend.");
        }
    }

    /// <summary>
    /// The Hillstrom rows of the two arms (column 'segment'): their features, outcomes and whether each was treated;
    /// refuses an arm the file lacks, or the same arm twice.
    /// </summary>
    internal static (int[] Rows, FeatureTable Features, double[] Outcomes, bool[] Treated) ReadCampaign(CsvColumns csv, string treatedArm, string controlArm, string outcomeName)
    {
        var arms = csv.Column("segment", "--treatment");
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
        return (rows, features, [.. rows.Select(i => allOutcomes[i])], [.. rows.Select(i => arms[i] == treatedArm)]);
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
