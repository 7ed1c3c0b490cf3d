using PromoPilot.Models.Uplift;

namespace PromoPilot.Models.Tests.Uplift;

public class UpliftCalibrationTests
{
    // Known answer: effect τ(x) = 2x with x ~ U(0, 1) (mean 1, variance 1/3). A score equal to τ has slope 1; a score
    // τ + noise of the same variance has slope Var τ / (Var τ + Var noise) = 1/2 (the BLP of τ on the score).
    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.5)]
    public void Fit_ScoreWithKnownNoise_SlopeIsTheShrinkageFactor(double noiseScale, double expectedSlope)
    {
        var (score, baseline, t, y) = Synthetic(40_000, noiseScale, seed: 1);

        var calibration = UpliftCalibration.Fit(score, baseline, t, y);

        Assert.Equal(1.0, calibration.Ate, 0.05);
        Assert.Equal(expectedSlope, calibration.Slope, 0.08);
        Assert.Equal(score.Average(), calibration.ScoreMean, 12);
    }

    // The robust standard errors are honest: over 300 independent samples the 90% normal interval of the slope covers
    // the true 1/2 between 85% and 95% of the time (and the Ate's covers 1).
    [Fact]
    public void Fit_RepeatedSamples_NinetyPercentIntervalsCoverTheTruth()
    {
        int slopeCovered = 0, ateCovered = 0;
        const int trials = 300;
        for (var trial = 0; trial < trials; trial++)
        {
            var (score, baseline, t, y) = Synthetic(2000, 1.0, seed: 100 + trial);
            var c = UpliftCalibration.Fit(score, baseline, t, y);
            slopeCovered += Math.Abs(c.Slope - 0.5) <= 1.6449 * Math.Sqrt(c.SlopeVariance) ? 1 : 0;
            ateCovered += Math.Abs(c.Ate - 1.0) <= 1.6449 * Math.Sqrt(c.AteVariance) ? 1 : 0;
        }

        Assert.InRange(slopeCovered / (double)trials, 0.85, 0.95);
        Assert.InRange(ateCovered / (double)trials, 0.85, 0.95);
    }

    [Fact]
    public void Draw_ManyDraws_MatchTheCovariance()
    {
        var (score, baseline, t, y) = Synthetic(3000, 1.0, seed: 7);
        var c = UpliftCalibration.Fit(score, baseline, t, y);
        var random = new Random(3);

        var draws = Enumerable.Range(0, 20_000).Select(_ => c.Draw(random)).ToArray();

        var ateMean = draws.Average(d => d.Ate);
        var slopeMean = draws.Average(d => d.Slope);
        Assert.Equal(c.Ate, ateMean, 4 * Math.Sqrt(c.AteVariance / 20_000));
        Assert.Equal(c.SlopeVariance, draws.Average(d => (d.Slope - slopeMean) * (d.Slope - slopeMean)), c.SlopeVariance * 0.05);
        Assert.Equal(c.Covariance, draws.Average(d => (d.Slope - slopeMean) * (d.Ate - ateMean)), Math.Sqrt(c.AteVariance * c.SlopeVariance) * 0.05);
    }

    [Fact]
    public void Fit_ConstantScore_SlopeZeroNoError()
    {
        var (_, baseline, t, y) = Synthetic(1000, 0, seed: 2);

        var calibration = UpliftCalibration.Fit(new double[1000], baseline, t, y);

        Assert.Equal(0, calibration.Slope);
        Assert.Equal(0, calibration.SlopeVariance);
        Assert.True(calibration.AteVariance > 0);
    }

    [Fact]
    public void Fit_OneArm_ClearError()
    {
        var (score, baseline, t, y) = Synthetic(100, 0, seed: 3);

        var error = Assert.Throws<ArgumentException>(() => UpliftCalibration.Fit(score, baseline, [.. t.Select(_ => false)], y));
        Assert.Contains("one arm only", error.Message, StringComparison.Ordinal);
    }

    private static (double[] Score, double[] Baseline, bool[] Treatment, double[] Outcome) Synthetic(int n, double noiseScale, int seed)
    {
        var random = new Random(seed);
        var score = new double[n];
        var baseline = new double[n];
        var t = new bool[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var x = random.NextDouble();
            var tau = 2 * x;
            var noise = (random.NextDouble() - 0.5) * 2; // variance 1/3, as τ's
            score[i] = tau + (noiseScale * noise);
            baseline[i] = 3 * random.NextDouble();
            t[i] = random.NextDouble() < 0.5;
            y[i] = baseline[i] + (t[i] ? tau : 0) + Gaussian(random);
        }

        return (score, baseline, t, y);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
