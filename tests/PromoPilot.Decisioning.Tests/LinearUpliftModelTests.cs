using PromoPilot.Decisioning.Scoring;

namespace PromoPilot.Decisioning.Tests;

public class LinearUpliftModelTests
{
    // Known answer: data drawn from logit P = b0 + b1 x1 + b2 x2 + t (g0 + g1 x1) with x standard normal, so the
    // standardized coefficients are close to the raw ones; 200k rows put the MLE within a few hundredths of the truth.
    private static (List<IReadOnlyDictionary<string, double>> Rows, List<bool> Treated, List<bool> Converted) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var rows = new List<IReadOnlyDictionary<string, double>>(n);
        var treated = new List<bool>(n);
        var converted = new List<bool>(n);
        for (var i = 0; i < n; i++)
        {
            var x1 = Normal(random);
            var x2 = Normal(random);
            var t = random.NextDouble() < 0.5;
            var eta = -1.0 + (0.8 * x1) - (0.5 * x2) + (t ? 0.4 + (0.6 * x1) : 0.0);
            rows.Add(new Dictionary<string, double> { ["x1"] = x1, ["x2"] = x2 });
            treated.Add(t);
            converted.Add(random.NextDouble() < 1 / (1 + Math.Exp(-eta)));
        }

        return (rows, treated, converted);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Fact]
    public void Fit_SyntheticLogisticData_RecoversTheCoefficients()
    {
        var (rows, treated, converted) = Synthetic(200_000, 7);
        var model = LinearUpliftModel.Fit(["x1", "x2"], rows, treated, converted, new LinearUpliftOptions { Ridge = 0 });
        var v = model.Values;

        // Coefficients are per standard deviation; the draws have sd ≈ 1 and mean ≈ 0, so they match the raw truth.
        Assert.True(v.Converged);
        Assert.Equal(-1.0, v.BaselineIntercept, 0.04);
        Assert.Equal(0.8, v.Baseline[0], 0.04);
        Assert.Equal(-0.5, v.Baseline[1], 0.04);
        Assert.Equal(0.4, v.TreatmentIntercept, 0.04);
        Assert.Equal(0.6, v.Treatment[0], 0.04);
        Assert.Equal(0.0, v.Treatment[1], 0.04);
    }

    [Fact]
    public void Predict_UpliftAndContributions_FollowTheFittedTerms()
    {
        var (rows, treated, converted) = Synthetic(50_000, 3);
        var model = LinearUpliftModel.Fit(["x1", "x2"], rows, treated, converted);
        var high = model.Predict(new Dictionary<string, double> { ["x1"] = 2, ["x2"] = 0 });
        var low = model.Predict(new Dictionary<string, double> { ["x1"] = -2, ["x2"] = 0 });

        // g1 > 0: the offer helps high-x1 shoppers more (on the log-odds scale), and x1's contribution says so.
        var v = model.Values;
        Assert.True(high.Contributions.Single(c => c.Feature == "x1").Contribution > 0);
        Assert.True(low.Contributions.Single(c => c.Feature == "x1").Contribution < 0);
        var logit = (double p) => Math.Log(p / (1 - p));
        Assert.Equal(v.TreatmentIntercept + high.Contributions.Sum(c => c.Contribution), logit(high.TreatedProbability) - logit(high.BaselineProbability), 1e-9);
    }

    [Fact]
    public void Predict_MissingFeature_IsTheTrainingMean()
    {
        var (rows, treated, converted) = Synthetic(5_000, 11);
        var model = LinearUpliftModel.Fit(["x1", "x2"], rows, treated, converted);
        var atMean = model.Predict(new Dictionary<string, double> { ["x1"] = model.Values.Means[0], ["x2"] = model.Values.Means[1] });
        var missing = model.Predict(new Dictionary<string, double> { ["x2"] = double.NaN });
        Assert.Equal(atMean.BaselineProbability, missing.BaselineProbability, 12);
        Assert.Equal(atMean.Uplift, missing.Uplift, 12);
    }

    [Fact]
    public void SaveLoad_RoundTrip_PredictsIdentically()
    {
        var (rows, treated, converted) = Synthetic(5_000, 5);
        var model = LinearUpliftModel.Fit(["x1", "x2"], rows, treated, converted);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = LinearUpliftModel.Load(stream);
        foreach (var row in rows.Take(200))
        {
            Assert.Equal(model.Predict(row).Uplift, loaded.Predict(row).Uplift);
            Assert.Equal(model.Predict(row).BaselineProbability, loaded.Predict(row).BaselineProbability);
        }
    }

    [Fact]
    public void Load_NotAModel_IsAClearError()
    {
        using var stream = new MemoryStream("{\"features\": [\"a\"], \"means\": []}"u8.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => LinearUpliftModel.Load(stream));
        Assert.Contains("one entry per feature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fit_DegenerateData_IsRefusedWithTheReason()
    {
        var (rows, treated, converted) = Synthetic(1_000, 9);
        var oneArm = Assert.Throws<ArgumentException>(() => LinearUpliftModel.Fit(["x1"], rows, [.. treated.Select(_ => true)], converted));
        Assert.Contains("one arm", oneArm.Message, StringComparison.Ordinal);
        var constant = Assert.Throws<ArgumentException>(() => LinearUpliftModel.Fit(["x1"], rows, treated, [.. converted.Select(_ => false)]));
        Assert.Contains("never varies", constant.Message, StringComparison.Ordinal);
        var absent = Assert.Throws<ArgumentException>(() => LinearUpliftModel.Fit(["nope"], rows, treated, converted));
        Assert.Contains("'nope' has no finite value", absent.Message, StringComparison.Ordinal);
    }
}
