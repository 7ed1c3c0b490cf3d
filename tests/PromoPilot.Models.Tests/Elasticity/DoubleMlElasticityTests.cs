using MathNet.Numerics.Distributions;
using PromoPilot.Models.Elasticity;

namespace PromoPilot.Models.Tests.Elasticity;

public class DoubleMlElasticityTests
{
    /// <summary>
    /// Confounded synthetic market: prices are set high where demand is high (log price depends on w1, w2 non-linearly,
    /// and so do log units), and the true elasticity is θ(x) = −3 + 2x with x ~ U(0, 1) (mean −2).
    /// </summary>
    private static List<DmlObservation> Market(int n, int seed)
    {
        var rng = new Random(seed);
        var rows = new List<DmlObservation>();
        for (var i = 0; i < n; i++)
        {
            var w1 = rng.NextDouble();
            var w2 = rng.NextDouble();
            var x = rng.NextDouble();
            var logPrice = (0.4 * Math.Sin(3 * w1)) + (0.3 * w2 * w2) + (0.15 * Normal.Sample(rng, 0, 1));
            var theta = -3 + (2 * x);
            var logUnits = 4 + (2 * Math.Sin(3 * w1)) + w2 + (0.5 * x) + (theta * logPrice) + (0.2 * Normal.Sample(rng, 0, 1));
            rows.Add(new DmlObservation(Math.Exp(logUnits), Math.Exp(logPrice), [w1, w2], x, i % 50));
        }

        return rows;
    }

    [Fact]
    public void Fit_ConfoundedMarket_RecoversTheMeanElasticityAndItsGradient()
    {
        var rows = Market(6000, 2);
        var fit = DoubleMlElasticity.Fit(rows, new DmlOptions { Groups = 4 });
        Assert.InRange(fit.Elasticity, -2 - (3 * fit.StdError) - 0.05, -2 + (3 * fit.StdError) + 0.05);
        Assert.InRange(fit.Gradient, 2 - (3 * fit.GradientStdError) - 0.1, 2 + (3 * fit.GradientStdError) + 0.1);
        Assert.True(fit.Groups.Zip(fit.Groups.Skip(1)).All(p => p.First.Elasticity < p.Second.Elasticity), string.Join(", ", fit.Groups.Select(g => g.Elasticity)));
        Assert.True(fit.TreatmentR2 > 0.3 && fit.OutcomeR2 > 0.5, $"R² outcome {fit.OutcomeR2}, price {fit.TreatmentR2}"); // price: about 0.6 explainable

        // the naive log-log slope is biased by the confounding (prices are high where demand is high)
        var naive = LogLogElasticity.Fit(rows.Select(r => new DemandObservation(r.Units, r.Price, [], [])).ToList());
        Assert.True(naive.Elasticity > -1, $"naive {naive.Elasticity}");
    }

    [Fact]
    public void Fit_TooFewRows_Throws()
    {
        Assert.Throws<ArgumentException>(() => DoubleMlElasticity.Fit(Market(20, 1)));
        Assert.Throws<ArgumentException>(() => DoubleMlElasticity.Fit(Market(200, 1), new DmlOptions { Folds = 1 }));
    }
}
