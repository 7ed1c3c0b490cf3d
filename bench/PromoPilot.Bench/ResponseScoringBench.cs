using System.Diagnostics;
using System.Globalization;
using PromoPilot.Models.Response;

/// <summary>
/// Scoring speed of a loaded response model (issue 8 bar: one prediction under 10 µs median; 1M users under 10 s on
/// 2 cores). A LightGBM model (300 rounds of 31 leaves, no early stopping) is trained on 20,000 synthetic rows with 10
/// numeric and 3 categorical features (31 encoded slots), saved to a stream and loaded back; the loaded model scores
/// (1) rows one at a time through its single-row scorer, each call timed, median and p99 reported; (2) a batch of ROWS
/// rows from a FeatureTable with THREADS threads, median of RUNS runs.
/// </summary>
internal static class ResponseScoringBench
{
    public static void Run(string[] args)
    {
        var rows = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 2;
        var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
        var (train, labels) = Synthetic(20_000, 1);
        var fitted = ResponseTrainer.Fit(train, labels, new ResponseOptions { Trees = new GbmOptions { Iterations = 300, Leaves = 31, EarlyStoppingRounds = 0 } });
        using var file = new MemoryStream();
        fitted.Save(file);
        file.Position = 0;
        var model = ResponseModel.Load(file, fitted.Schema);

        var scorer = model.CreateScorer();
        var (one, _) = Synthetic(10_000, 2);
        var encoded = model.Encoder.Encode(one);
        for (var i = 0; i < 20_000; i++)
        {
            scorer.Probability(encoded[i % encoded.Length]); // warm-up (tiered JIT)
        }

        var ticks = new long[200_000];
        var sink = 0.0;
        for (var i = 0; i < ticks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += scorer.Probability(encoded[i % encoded.Length]);
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }

        Array.Sort(ticks);
        double Micro(long t) => t * 1e6 / Stopwatch.Frequency;
        Console.WriteLine(FormattableString.Invariant($"{{\"bench\":\"response-scoring-single\",\"path\":\"{(model.ScoresDirectly ? "direct trees" : "ml.net")}\",\"calls\":{ticks.Length},\"median_us\":{Micro(ticks[ticks.Length / 2]):F2},\"p99_us\":{Micro(ticks[(int)(ticks.Length * 0.99)]):F2},\"slots\":{model.Encoder.Width},\"checksum\":{sink:F3}}}"));

        // Where the time went before: the same rows through ML.NET's PredictionEngine (the reference path).
        var engine = model.CreateScorer(direct: false);
        for (var i = 0; i < 20_000; i++)
        {
            engine.Probability(encoded[i % encoded.Length]);
        }

        var engineTicks = new long[100_000];
        var maxDiff = 0.0;
        for (var i = 0; i < engineTicks.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var p = engine.Probability(encoded[i % encoded.Length]);
            engineTicks[i] = Stopwatch.GetTimestamp() - start;
            maxDiff = Math.Max(maxDiff, Math.Abs(p - scorer.Probability(encoded[i % encoded.Length])));
        }

        Array.Sort(engineTicks);
        Console.WriteLine(FormattableString.Invariant($"{{\"bench\":\"response-scoring-single-mlnet-engine\",\"calls\":{engineTicks.Length},\"median_us\":{Micro(engineTicks[engineTicks.Length / 2]):F2},\"p99_us\":{Micro(engineTicks[(int)(engineTicks.Length * 0.99)]):F2},\"max_abs_diff_vs_direct\":{maxDiff:E2}}}"));

        var (batch, _) = Synthetic(rows, 3);
        var encodeClock = Stopwatch.StartNew();
        var encodedBatch = model.Encoder.Encode(batch); // the encoder alone, one thread, allocating a row each
        Console.WriteLine(FormattableString.Invariant($"{{\"bench\":\"response-scoring-encode\",\"rows\":{rows},\"threads\":1,\"seconds\":{encodeClock.Elapsed.TotalSeconds:F2}}}"));
        sink += encodedBatch[0][0];
        encodedBatch = null;
        var seconds = new List<double>();
        var cpu = new List<double>(); // CPU seconds of the process during each batch: on a shared machine, wall time is not the work
        for (var r = 0; r < runs; r++)
        {
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var p = model.PredictProbabilities(batch, threads);
            seconds.Add(clock.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
            sink += p[0];
        }

        seconds.Sort();
        Console.WriteLine(FormattableString.Invariant($"{{\"bench\":\"response-scoring-batch\",\"rows\":{rows},\"threads\":{threads},\"median_s\":{seconds[seconds.Count / 2]:F2},\"median_cpu_s\":{cpu.Order().ElementAt(cpu.Count / 2):F2},\"runs\":[{string.Join(",", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}]}}"));
    }

    private static (FeatureTable Features, bool[] Labels) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var numeric = Enumerable.Range(0, 10).Select(_ => new double[n]).ToArray();
        string[][] levels = [["a", "b", "c", "d", "e"], ["web", "phone", "store", "app", "mail", "sms"], ["x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10"]];
        var categorical = levels.Select(_ => new string?[n]).ToArray();
        var labels = new bool[n];
        for (var i = 0; i < n; i++)
        {
            var z = -1.0;
            for (var j = 0; j < numeric.Length; j++)
            {
                numeric[j][i] = random.NextDouble() < 0.03 ? double.NaN : (random.NextDouble() * 2) - 1;
                z += double.IsNaN(numeric[j][i]) ? 0 : numeric[j][i] * (j % 3 == 0 ? 1.0 : 0.2);
            }

            for (var j = 0; j < levels.Length; j++)
            {
                var level = random.Next(levels[j].Length);
                categorical[j][i] = levels[j][level];
                z += level % 2 == 0 ? 0.3 : -0.2;
            }

            labels[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z));
        }

        return (new FeatureTable([
            .. numeric.Select((v, j) => FeatureColumn.Numeric($"n{j}", v)),
            .. categorical.Select((v, j) => FeatureColumn.Categorical($"c{j}", v))]), labels);
    }
}
