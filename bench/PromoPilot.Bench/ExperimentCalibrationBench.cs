using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PromoPilot.Measurement.Experiments.Statistics;

/// <summary>
/// experiment-calibration [--seed S] [--runs N]: checks by simulation that the frequentist tests keep their
/// promises. For a skewed revenue metric (zero-inflated lognormal) and a conversion rate, N A/A experiments give
/// the false-positive rate at α = 0.05 (should be 5 %) and N experiments with a known effect give the coverage of
/// the 95 % intervals, absolute and relative (should be 95 %). For CUPED on correlated normal data (ρ = 0.3, 0.5,
/// 0.7), N experiments give the variance of the adjusted effect over that of the unadjusted one (should be
/// 1 − ρ²). Seeded, single-threaded; prints a table and one JSON line.
/// </summary>
internal static class ExperimentCalibrationBench
{
    private const int UnitsPerArm = 2_000;
    private const int CupedUnitsPerArm = 1_000;
    private const double Alpha = 0.05;

    // Revenue per unit: 10 % of units buy, spending LogNormal(3, 1) (mean e^3.5 ≈ 33); treatment spends 5 % more.
    private const double BuyRate = 0.10;
    private const double RevenueLift = 0.05;

    // Conversion: 10 % in control, 11 % in treatment.
    private const double ControlRate = 0.10;
    private const double TreatmentRate = 0.11;

    private const double CupedEffect = 0.1;

    public static void Run(string[] args)
    {
        var seed = Option(args, "--seed", 20261122);
        var runs = Option(args, "--runs", 10_000);
        var stopwatch = Stopwatch.StartNew();

        var revenue = Calibrate(
            new Random(seed), runs, Revenue, RevenueLift * BuyRate * Math.Exp(3.5), RevenueLift, FrequentistTest.MeanDifference);
        var proportion = Calibrate(
            new Random(seed + 1), runs, Conversion, TreatmentRate - ControlRate, (TreatmentRate / ControlRate) - 1,
            FrequentistTest.ProportionDifference);
        var cuped = new[] { 0.3, 0.5, 0.7 }.Select((rho, i) => CupedVariance(new Random(seed + 2 + i), runs, rho)).ToArray();
        var seconds = stopwatch.Elapsed.TotalSeconds;

        Console.WriteLine($"{runs:N0} experiments per row, {UnitsPerArm:N0} units per arm (CUPED {CupedUnitsPerArm:N0}), seed {seed}, alpha {Alpha}");
        Console.WriteLine("metric                 false positives (5 %)   coverage abs (95 %)   coverage rel (95 %)   power");
        foreach (var (name, row) in new[] { ("revenue (ZI lognormal)", revenue), ("conversion (10 % vs 11 %)", proportion) })
        {
            Console.WriteLine($"{name,-26}{Percent(row.FalsePositiveRate),10}{Percent(row.Coverage),22}{Percent(row.RelativeCoverage),22}{Percent(row.Power),10}");
        }

        Console.WriteLine("CUPED rho   1 - rho^2   measured variance ratio   mean reported ratio   coverage (95 %)");
        foreach (var row in cuped)
        {
            Console.WriteLine($"{row.Rho,9:F1}{row.ExpectedFactor,12:F4}{row.MeasuredRatio,26:F4}{row.MeanReportedRatio,22:F4}{Percent(row.Coverage),18}");
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            mode = "experiment-calibration",
            seed,
            runs,
            units_per_arm = UnitsPerArm,
            revenue,
            proportion,
            cuped,
            monte_carlo_se_at_5_percent = Math.Round(Math.Sqrt(0.05 * 0.95 / runs), 5),
            seconds = Math.Round(seconds, 2),
        }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
    }

    /// <summary>False-positive rate from A/A runs; coverage and power from runs with the effect.</summary>
    private static Calibration Calibrate(
        Random random, int runs, Func<Random, bool, MetricSummary> arm, double trueEffect, double trueLift,
        Func<MetricSummary, MetricSummary, FrequentistOptions?, EffectEstimate> test)
    {
        int falsePositives = 0, covered = 0, relativeCovered = 0, detected = 0;
        for (var run = 0; run < runs; run++)
        {
            var aa = test(arm(random, false), arm(random, false), null);
            falsePositives += aa.PValue < Alpha ? 1 : 0;

            var ab = test(arm(random, false), arm(random, true), null);
            covered += ab.CiLow <= trueEffect && trueEffect <= ab.CiHigh ? 1 : 0;
            relativeCovered += ab.Relative.CiLow <= trueLift && trueLift <= ab.Relative.CiHigh ? 1 : 0;
            detected += ab.PValue < Alpha ? 1 : 0;
        }

        return new Calibration(Rate(falsePositives, runs), Rate(covered, runs), Rate(relativeCovered, runs), Rate(detected, runs));
    }

    /// <summary>Variance over runs of the CUPED effect against the unadjusted one, on Y = ρX + √(1 − ρ²)ε.</summary>
    private static CupedCalibration CupedVariance(Random random, int runs, double rho)
    {
        var adjusted = new double[runs];
        var unadjusted = new double[runs];
        double reported = 0;
        var covered = 0;
        for (var run = 0; run < runs; run++)
        {
            var result = Cuped.Analyze(CorrelatedArm(random, rho, 0), CorrelatedArm(random, rho, CupedEffect));
            adjusted[run] = result.Adjusted.Effect!.Value;
            unadjusted[run] = result.Unadjusted.Effect!.Value;
            reported += result.VarianceRatio!.Value;
            covered += result.Adjusted.CiLow <= CupedEffect && CupedEffect <= result.Adjusted.CiHigh ? 1 : 0;
        }

        return new CupedCalibration(
            rho, Math.Round(1 - (rho * rho), 4), Math.Round(Variance(adjusted) / Variance(unadjusted), 4),
            Math.Round(reported / runs, 4), Rate(covered, runs));
    }

    private static MetricSummary Revenue(Random random, bool treated)
    {
        var scale = treated ? 1 + RevenueLift : 1;
        var summary = MetricSummary.Empty;
        for (var i = 0; i < UnitsPerArm; i++)
        {
            summary = summary.Add(random.NextDouble() < BuyRate ? Math.Exp(3 + Gaussian(random)) * scale : 0);
        }

        return summary;
    }

    private static MetricSummary Conversion(Random random, bool treated)
    {
        var rate = treated ? TreatmentRate : ControlRate;
        var successes = 0;
        for (var i = 0; i < UnitsPerArm; i++)
        {
            successes += random.NextDouble() < rate ? 1 : 0;
        }

        return MetricSummary.OfProportion(UnitsPerArm, successes);
    }

    private static PairedSummary CorrelatedArm(Random random, double rho, double effect)
    {
        var summary = PairedSummary.Empty;
        var noise = Math.Sqrt(1 - (rho * rho));
        for (var i = 0; i < CupedUnitsPerArm; i++)
        {
            var x = Gaussian(random);
            summary = summary.Add(x, (rho * x) + (noise * Gaussian(random)) + effect);
        }

        return summary;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Variance(double[] values)
    {
        var mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    private static double Rate(int count, int runs) => Math.Round((double)count / runs, 4);

    private static string Percent(double rate) => (100 * rate).ToString("F2", CultureInfo.InvariantCulture) + " %";

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Calibration(double FalsePositiveRate, double Coverage, double RelativeCoverage, double Power);

    private sealed record CupedCalibration(double Rho, double ExpectedFactor, double MeasuredRatio, double MeanReportedRatio, double Coverage);
}
