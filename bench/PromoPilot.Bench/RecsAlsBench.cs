using System.Diagnostics;
using System.Globalization;
using PromoPilot.Models.Recommendation;

/// <summary>
/// ALS speed on a synthetic implicit matrix (issue 7): USERS x ITEMS with about INTERACTIONS distinct cells, item
/// popularity skewed (item = ITEMS · u² for uniform u, so low indices are popular), every user at least one item.
/// Seconds per iteration = (fit with 3 sweeps − fit with 1 sweep) / 2, so set-up (initial factors, transpose) is left
/// out (CPU seconds of the process are reported beside wall seconds: on a shared machine CPU seconds / cores is
/// what a quiet machine would take, roughly); then recommend-all throughput: top-10 over every item for SCORE_USERS users with RecommendBatch.
/// Usage: recs-als USERS ITEMS INTERACTIONS FACTORS [SCORE_USERS=2000] [SEED=1]
/// </summary>
internal static class RecsAlsBench
{
    public static void Run(string[] args)
    {
        var users = int.Parse(args[1], CultureInfo.InvariantCulture);
        var items = int.Parse(args[2], CultureInfo.InvariantCulture);
        var interactions = long.Parse(args[3], CultureInfo.InvariantCulture);
        var factors = int.Parse(args[4], CultureInfo.InvariantCulture);
        var scoreUsers = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2000;
        var seed = args.Length > 6 ? int.Parse(args[6], CultureInfo.InvariantCulture) : 1;

        var clock = Stopwatch.StartNew();
        var matrix = Synthetic(users, items, interactions, seed);
        var generate = clock.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"generated {matrix.Rows:N0} x {matrix.Columns:N0}, {matrix.NonZeros:N0} interactions in {generate:F1} s; load {Load()}");

        var cpu = new double[4];
        double Fit(int iterations)
        {
            var model = new AlsRecommender(new AlsOptions { Factors = factors, Iterations = iterations, Seed = seed });
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
            var t = Stopwatch.StartNew();
            model.Fit(matrix);
            var seconds = t.Elapsed.TotalSeconds;
            cpu[iterations] = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds - cpuBefore;
            Console.Error.WriteLine($"fit {iterations} sweep(s): {seconds:F1} s wall, {cpu[iterations]:F1} s CPU; load {Load()}");
            last = model;
            return seconds;
        }

        var one = Fit(1);
        var three = Fit(3);
        var perIteration = (three - one) / 2;
        var cpuPerIteration = (cpu[3] - cpu[1]) / 2;

        var sample = Enumerable.Range(0, scoreUsers).Select(n => (int)((long)n * users / scoreUsers)).ToArray();
        var score = Stopwatch.StartNew();
        var lists = last!.RecommendBatch(sample, matrix, 10);
        var scoreSeconds = score.Elapsed.TotalSeconds;
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            users = matrix.Rows,
            items = matrix.Columns,
            interactions = matrix.NonZeros,
            factors,
            cg_steps = 3,
            generate_seconds = generate,
            fit_1_sweep_seconds = one,
            fit_3_sweeps_seconds = three,
            seconds_per_iteration = perIteration,
            cpu_seconds_per_iteration = cpuPerIteration,
            recommend_users = lists.Count,
            recommend_seconds = scoreSeconds,
            recommend_users_per_second = lists.Count / scoreSeconds,
            threads = Environment.ProcessorCount,
            load = Load(),
            peak_working_set_mib = Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024),
        }));
    }

    private static AlsRecommender? last;

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static CsrMatrix Synthetic(int users, int items, long interactions, int seed)
    {
        var mean = (double)interactions / users;
        var rows = new int[users][];
        Parallel.For(0, (users + 9999) / 10000, chunk =>
        {
            var random = new Random(seed * 1_000_003 + chunk);
            var set = new HashSet<int>();
            for (var u = chunk * 10000; u < Math.Min(users, (chunk + 1) * 10000); u++)
            {
                // Row length uniform in [1, 2·mean − 1]: mean `mean`, every user active.
                var n = Math.Min(items, 1 + random.Next(Math.Max(1, (int)Math.Round((2 * mean) - 1))));
                set.Clear();
                while (set.Count < n)
                {
                    var x = random.NextDouble();
                    set.Add(Math.Min(items - 1, (int)(items * x * x)));
                }

                var row = set.ToArray();
                Array.Sort(row);
                rows[u] = row;
            }
        });

        var pointers = new int[users + 1];
        for (var u = 0; u < users; u++)
        {
            pointers[u + 1] = checked(pointers[u] + rows[u].Length);
        }

        var cols = new int[pointers[users]];
        var vals = new float[cols.Length];
        Array.Fill(vals, 1f);
        for (var u = 0; u < users; u++)
        {
            rows[u].CopyTo(cols, pointers[u]);
            rows[u] = [];
        }

        return new CsrMatrix(users, items, pointers, cols, vals);
    }
}
