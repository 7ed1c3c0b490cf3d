using PromoPilot.Models.Pricing;

namespace PromoPilot.Models.Tests.Pricing;

public class PriceExperimentTests
{
    private static PriceExperimentOptions Market(int runs = 40, int horizon = 20000, double? inventory = null) => new()
    {
        Prices = [0.8, 1.0, 1.25, 1.6, 2.0],
        UnitCost = 0.71,
        BasePurchaseProbability = 0.3,
        Elasticity = -2.365,
        ElasticityStdError = 0.3,
        Horizon = horizon,
        Runs = runs,
        Seed = 4,
        Inventory = inventory,
        ReportAt = [500, 2000, 20000],
    };

    [Fact]
    public void Simulate_Thompson_RegretPerPeriodFallsWithTheHorizon()
    {
        var result = PriceExperiment.Simulate(PricePolicy.Thompson, Market());
        var perPeriod = result.Regret.Select(r => r.MeanPerPeriod).ToArray();
        Assert.True(perPeriod[0] > perPeriod[1] && perPeriod[1] > perPeriod[2], string.Join(", ", perPeriod));
        Assert.True(perPeriod[2] < perPeriod[0] / 2, string.Join(", ", perPeriod)); // 40× the horizon, well under half the rate
        Assert.True(result.Regret[2].Mean > result.Regret[0].Mean); // but cumulative regret does grow
    }

    [Fact]
    public void Simulate_Thompson_BeatsTheFixedAbScheduleOnTheSameMarkets()
    {
        var thompson = PriceExperiment.Simulate(PricePolicy.Thompson, Market());
        var ab = PriceExperiment.Simulate(PricePolicy.AbTest, Market());
        Assert.True(thompson.Regret[^1].Mean < ab.Regret[^1].Mean, $"thompson {thompson.Regret[^1].Mean} vs A/B {ab.Regret[^1].Mean}");
        Assert.True(thompson.Regret[^1].P50 < ab.Regret[^1].P50);
    }

    [Fact]
    public void Simulate_ThompsonWithInventory_RegretPerPeriodFallsAndBeatsAb()
    {
        // stock for 15% of customers: the unconstrained best price (1.25) sells to 17.7%, so the stock binds
        var market = Market(inventory: 3000);
        var thompson = PriceExperiment.Simulate(PricePolicy.Thompson, market);
        var ab = PriceExperiment.Simulate(PricePolicy.AbTest, market);
        Assert.True(thompson.Regret[0].MeanPerPeriod > thompson.Regret[^1].MeanPerPeriod, string.Join(", ", thompson.Regret.Select(r => r.MeanPerPeriod)));
        Assert.True(thompson.Regret[^1].Mean < ab.Regret[^1].Mean, $"thompson {thompson.Regret[^1].Mean} vs A/B {ab.Regret[^1].Mean}");
    }

    [Fact]
    public void Simulate_SameSeed_SameResult()
    {
        var a = PriceExperiment.Simulate(PricePolicy.Thompson, Market(runs: 5, horizon: 500) with { ReportAt = [500] });
        var b = PriceExperiment.Simulate(PricePolicy.Thompson, Market(runs: 5, horizon: 500) with { ReportAt = [500] });
        Assert.Equal(a.Regret[0], b.Regret[0]);
    }

    [Fact]
    public void Simulate_Oracle_IsTheBestPriceAtTheEstimate()
    {
        var result = PriceExperiment.Simulate(PricePolicy.AbTest, Market(runs: 1, horizon: 100) with { ReportAt = [] });
        var best = new[] { 0.8, 1.0, 1.25, 1.6, 2.0 }.MaxBy(p => (p - 0.71) * 0.3 * Math.Pow(p, -2.365));
        Assert.Equal(best, result.OraclePrice);
        Assert.Equal((best - 0.71) * 0.3 * Math.Pow(best, -2.365), result.OracleValuePerPeriod, 12);
        Assert.Equal([1, 2, 5, 10, 20, 50, 100], result.Regret.Select(r => r.Period));
    }

    [Fact]
    public void Lp_MatchesAGridSearchOverThePriceProbabilities()
    {
        var rng = new Random(8);
        for (var i = 0; i < 60; i++)
        {
            var n = 2 + rng.Next(2);
            var v = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 3).ToArray();
            var q = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
            var capacity = rng.NextDouble() * 0.6;
            var (x, value) = PriceExperiment.Lp(v, q, capacity);
            Assert.True(x.Sum() <= 1 + 1e-9 && x.Zip(q).Sum(p => p.First * p.Second) <= capacity + 1e-9 && x.All(z => z >= -1e-12));
            Assert.Equal(value, x.Select((z, k) => z * v[k] * q[k]).Sum(), 9);
            var steps = n == 2 ? 400 : 80;
            var upper = q.Select(p => Math.Min(1, capacity / p)).ToArray(); // no x_k can exceed its own box
            var bestGrid = 0.0;
            for (var a = 0; a <= steps; a++)
            {
                for (var b = 0; b <= steps; b++)
                {
                    for (var c = 0; c <= (n == 3 ? steps : 0); c++)
                    {
                        var y = new[] { upper[0] * a / steps, upper[1] * b / steps, n == 3 ? upper[2] * c / steps : 0 };
                        if (y.Sum() <= 1 && y.Take(n).Zip(q).Sum(p => p.First * p.Second) <= capacity)
                        {
                            bestGrid = Math.Max(bestGrid, y.Take(n).Select((z, k) => z * v[k] * q[k]).Sum());
                        }
                    }
                }
            }

            Assert.True(value >= bestGrid - 1e-9, $"case {i}: LP {value} < grid {bestGrid}");
            Assert.True(value <= bestGrid * 1.03, $"case {i}: LP {value} far above grid {bestGrid}");
        }
    }

    [Fact]
    public void Simulate_BadLadder_Throws()
    {
        Assert.Throws<ArgumentException>(() => PriceExperiment.Simulate(PricePolicy.Thompson, Market() with { Prices = [1.0] }));
        Assert.Throws<ArgumentException>(() => PriceExperiment.Simulate(PricePolicy.Thompson, Market() with { Horizon = 100 }));
    }
}
