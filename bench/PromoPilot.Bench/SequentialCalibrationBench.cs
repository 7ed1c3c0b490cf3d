using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PromoPilot.Measurement.Experiments.Bandits;
using PromoPilot.Measurement.Experiments.Sequential;
using PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// experiment-sequential [--seed S=1] [--runs N=10000] [--bandit-runs M=200]: calibration by simulation.
/// (a) N A/A experiments (no true effect) looked at daily for 30 days, 250 new units per arm per day, on a
/// conversion metric (p = 0.05) and a revenue metric (5 % buy, exponential basket of mean 40). False-positive
/// rate of the sequential confidence sequence at α = 0.05 (N* = the planned 15,000 units), stopping at the
/// first look that excludes 0, beside the naive daily z test and the single z test at day 30.
/// (b) M seeded runs of 20,000 offers served one at a time between Bernoulli arms converting at 4 %, 5 % and
/// 6 %: cumulative expected regret Σ (0.06 − p_served) of Thompson sampling, ε-greedy (ε = 0.1) and uniform.
/// Prints a table and one JSON line; the exit code is 1 when a check fails.
/// </summary>
internal static class SequentialCalibrationBench
{
    private const int Days = 30;
    private const int UnitsPerArmPerDay = 250;
    private const double Alpha = 0.05;
    private const int Horizon = 20_000;
    private static readonly double[] Rates = [0.04, 0.05, 0.06];

    public static void Run(string[] args)
    {
        var seed = Option(args, "--seed", 1);
        var runs = Option(args, "--runs", 10_000);
        var banditRuns = Option(args, "--bandit-runs", 200);
        var stopwatch = Stopwatch.StartNew();

        var conversion = AaExperiments(runs, new Random(seed), random => random.NextDouble() < 0.05 ? 1 : 0);
        var revenue = AaExperiments(runs, new Random(seed + 1), random => random.NextDouble() < 0.05 ? -40 * Math.Log(1 - random.NextDouble()) : 0);
        var aaSeconds = stopwatch.Elapsed.TotalSeconds;

        stopwatch.Restart();
        var thompson = Regrets(banditRuns, seed, random => new BernoulliThompsonSampling(Rates.Length, random));
        var greedy = Regrets(banditRuns, seed, random => new EpsilonGreedy(Rates.Length, random));
        var uniform = Regrets(banditRuns, seed, null);
        var banditSeconds = stopwatch.Elapsed.TotalSeconds;

        var checks = new
        {
            sequential_fpr_at_most_alpha = conversion.Sequential <= Alpha && revenue.Sequential <= Alpha,
            thompson_beats_uniform = Median(thompson) < Median(uniform),
        };

        Console.WriteLine($"A/A, {runs} experiments x {Days} daily looks, {UnitsPerArmPerDay} units/arm/day, alpha {Alpha}");
        Console.WriteLine("metric      sequential CS   naive daily z   z at day 30 only");
        foreach (var (name, rates) in new[] { ("conversion", conversion), ("revenue", revenue) })
        {
            Console.WriteLine($"{name,-11} {rates.Sequential,13:P2}   {rates.Naive,13:P2}   {rates.FixedHorizon,16:P2}");
        }

        Console.WriteLine($"Bandits, {banditRuns} runs x {Horizon} offers, arms {string.Join(" / ", Rates)}: cumulative regret (conversions lost)");
        Console.WriteLine("policy            median      p10      p90     mean");
        foreach (var (name, regrets) in new[] { ("thompson", thompson), ("epsilon-greedy", greedy), ("uniform", uniform) })
        {
            Console.WriteLine($"{name,-15} {Median(regrets),8:F1} {Quantile(regrets, 0.1),8:F1} {Quantile(regrets, 0.9),8:F1} {regrets.Average(),8:F1}");
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            mode = "experiment-sequential",
            seed,
            runs,
            bandit_runs = banditRuns,
            days = Days,
            units_per_arm_per_day = UnitsPerArmPerDay,
            alpha = Alpha,
            fpr_sequential = new { conversion = conversion.Sequential, revenue = revenue.Sequential },
            fpr_naive_daily = new { conversion = conversion.Naive, revenue = revenue.Naive },
            fpr_fixed_horizon = new { conversion = conversion.FixedHorizon, revenue = revenue.FixedHorizon },
            horizon = Horizon,
            regret_median = new { thompson = Math.Round(Median(thompson), 1), epsilon_greedy = Math.Round(Median(greedy), 1), uniform = Math.Round(Median(uniform), 1) },
            regret_mean = new { thompson = Math.Round(thompson.Average(), 1), epsilon_greedy = Math.Round(greedy.Average(), 1), uniform = Math.Round(uniform.Average(), 1) },
            checks,
            aa_seconds = Math.Round(aaSeconds, 2),
            bandit_seconds = Math.Round(banditSeconds, 2),
        }));
        if (!checks.sequential_fpr_at_most_alpha || !checks.thompson_beats_uniform)
        {
            Environment.ExitCode = 1;
        }
    }

    private static (double Sequential, double Naive, double FixedHorizon) AaExperiments(int runs, Random random, Func<Random, double> unit)
    {
        var options = new SequentialOptions { Alpha = Alpha, TuningSampleSize = 2 * Days * UnitsPerArmPerDay };
        int sequential = 0, naive = 0, fixedHorizon = 0;
        for (var run = 0; run < runs; run++)
        {
            MetricSummary control = default, treatment = default;
            bool sequentialHit = false, naiveHit = false;
            for (var day = 1; day <= Days; day++)
            {
                for (var i = 0; i < UnitsPerArmPerDay; i++)
                {
                    control = control.Add(unit(random));
                    treatment = treatment.Add(unit(random));
                }

                var look = SequentialTest.Compare(control, treatment, options);
                sequentialHit |= look.ExcludesZero;

                // The naive reading: a fixed-sample z test at α, repeated at every look.
                var zRejects = look.Status == TestStatus.Ok && Math.Abs(look.Effect) > SequentialTest.FixedSampleHalfWidth(look.StandardError, Alpha);
                naiveHit |= zRejects;
                if (day == Days && zRejects)
                {
                    fixedHorizon++;
                }
            }

            sequential += sequentialHit ? 1 : 0;
            naive += naiveHit ? 1 : 0;
        }

        return (sequential / (double)runs, naive / (double)runs, fixedHorizon / (double)runs);
    }

    /// <summary>Expected regret of each run; a null policy factory serves arms uniformly at random.</summary>
    private static double[] Regrets(int runs, int seed, Func<Random, Bandit>? policy)
    {
        var best = Rates.Max();
        var regrets = new double[runs];
        for (var run = 0; run < runs; run++)
        {
            var world = new Random((seed * 7919) + run);
            var chooser = new Random((seed * 104_729) + run);
            var bandit = policy?.Invoke(chooser);
            double regret = 0;
            for (var t = 0; t < Horizon; t++)
            {
                var arm = bandit?.ChooseArm() ?? chooser.Next(Rates.Length);
                regret += best - Rates[arm];
                bandit?.Update(arm, world.NextDouble() < Rates[arm] ? 1 : 0);
            }

            regrets[run] = regret;
        }

        return regrets;
    }

    private static double Median(double[] values) => Quantile(values, 0.5);

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((position - low) * (sorted[high] - sorted[low]));
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
