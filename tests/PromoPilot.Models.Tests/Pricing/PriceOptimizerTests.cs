using MathNet.Numerics.Distributions;
using PromoPilot.Models.Pricing;

namespace PromoPilot.Models.Tests.Pricing;

public class PriceOptimizerTests
{
    private static PricingItem Item(double e = -2.365, double cost = 0.71, double p0 = 1.0, double baseline = 100, double se = 0, int periods = 1, double? inventory = null) =>
        new("oj", p0, cost, baseline, e, se, periods, inventory);

    [Fact]
    public void Optimize_UnconstrainedProfit_IsTheMarkupRuleOverManyRandomCases()
    {
        var rng = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var e = -1.1 - (4 * rng.NextDouble());
            var cost = 0.2 + (5 * rng.NextDouble());
            var p0 = 0.5 + (10 * rng.NextDouble());
            var decision = PriceOptimizer.Optimize(Item(e, cost, p0));
            Assert.Equal("ok", decision.Status);
            Assert.Equal(cost * e / (1 + e), decision.Price, 1e-9 * decision.Price);
            Assert.Empty(decision.Binding);
        }
    }

    [Fact]
    public void Optimize_MaxChange_BindsAtTheCeilingWhenTheOptimumIsAboveIt()
    {
        // optimum 0.71 · 2.365 / 1.365 = 1.2301 > 1.1
        var decision = PriceOptimizer.Optimize(Item(), new PriceOptimizerOptions { MaxChange = 0.1 });
        Assert.Equal(1.1, decision.Price, 12);
        Assert.Equal(["max_change_up"], decision.Binding);
        Assert.Equal(0.1, decision.Change, 12);
        Assert.Equal(100 * Math.Pow(1.1, -2.365), decision.Units.Value, 9);
        Assert.Equal((1.1 - 0.71) * 100 * Math.Pow(1.1, -2.365), decision.Profit.Value, 9);
    }

    [Fact]
    public void Optimize_MaxChange_DoesNotBindWhenTheOptimumIsInside()
    {
        var decision = PriceOptimizer.Optimize(Item(), new PriceOptimizerOptions { MaxChange = 0.3 });
        Assert.Equal(0.71 * 2.365 / 1.365, decision.Price, 9);
        Assert.Empty(decision.Binding);
    }

    [Fact]
    public void Optimize_RevenueWithElasticDemand_GoesToTheMarginFloor()
    {
        // revenue falls with price when e < −1, so the lowest allowed price wins: cost / (1 − floor) = 0.8 / 0.75
        var decision = PriceOptimizer.Optimize(Item(cost: 0.8), new PriceOptimizerOptions { Objective = PricingObjective.Revenue, MarginFloor = 0.25, MaxChange = 0.5 });
        Assert.Equal(0.8 / 0.75, decision.Price, 12);
        Assert.Equal(["margin_floor"], decision.Binding);
        Assert.Equal(0.25, decision.Margin, 12);
    }

    [Fact]
    public void Optimize_RevenueWithInelasticDemand_GoesToTheCeiling()
    {
        var decision = PriceOptimizer.Optimize(Item(e: -0.6), new PriceOptimizerOptions { Objective = PricingObjective.Revenue, MaxChange = 0.15 });
        Assert.Equal(1.15, decision.Price, 12);
        Assert.Equal(["max_change_up"], decision.Binding);
    }

    [Fact]
    public void Optimize_InelasticProfitWithoutCeiling_IsInfeasibleAndKeepsThePrice()
    {
        var decision = PriceOptimizer.Optimize(Item(e: -0.8));
        Assert.StartsWith("infeasible", decision.Status, StringComparison.Ordinal);
        Assert.Equal(1.0, decision.Price);
    }

    [Fact]
    public void Optimize_MarginFloorAboveCeiling_IsInfeasible()
    {
        var decision = PriceOptimizer.Optimize(Item(cost: 1.0), new PriceOptimizerOptions { MaxChange = 0.1, MarginFloor = 0.2 });
        Assert.StartsWith("infeasible", decision.Status, StringComparison.Ordinal);
        Assert.Contains("margin_floor", decision.Status, StringComparison.Ordinal);
        Assert.Equal(1.0, decision.Price);
        Assert.Equal(decision.CurrentUnits.Value, decision.Units.Value);
    }

    [Fact]
    public void Optimize_Endings_ChoosesTheBestAllowedPriceInRange()
    {
        var rng = new Random(11);
        for (var i = 0; i < 100; i++)
        {
            var p0 = 1.5 + (6 * rng.NextDouble());
            var item = Item(e: -1.5 - (2 * rng.NextDouble()), cost: p0 * (0.4 + (0.4 * rng.NextDouble())), p0: p0);
            var options = new PriceOptimizerOptions { MaxChange = 0.2, Endings = [0.49, 0.99], AllowCurrentPrice = false };
            var decision = PriceOptimizer.Optimize(item, options);
            var allowed = Enumerable.Range(0, 20).SelectMany(k => new[] { k + 0.49, k + 0.99 }).Where(p => p >= p0 * 0.8 && p <= p0 * 1.2).ToList();
            if (allowed.Count == 0)
            {
                Assert.StartsWith("infeasible", decision.Status, StringComparison.Ordinal);
                continue;
            }

            var cents = Math.Round((decision.Price - Math.Floor(decision.Price)) * 100);
            Assert.True(cents is 49 or 99, $"price {decision.Price} does not end in .49 or .99");
            var best = allowed.Max(p => PriceOptimizer.Value(item, p, item.Elasticity, options));
            Assert.Equal(best, PriceOptimizer.Value(item, decision.Price, item.Elasticity, options), 12);
        }
    }

    [Fact]
    public void Optimize_ExplicitLadder_PicksTheLadderPointNearestTheOptimumInValue()
    {
        // optimum 1.2301: of 1.0, 1.19, 1.29, 1.5 the best profit is at 1.19 or 1.29, computed here directly
        var item = Item();
        var options = new PriceOptimizerOptions { Ladder = [1.0, 1.19, 1.29, 1.5], AllowCurrentPrice = false };
        var decision = PriceOptimizer.Optimize(item, options);
        var profit = new[] { 1.0, 1.19, 1.29, 1.5 }.ToDictionary(p => p, p => (p - 0.71) * Math.Pow(p, -2.365));
        Assert.Equal(profit.MaxBy(kv => kv.Value).Key, decision.Price);
        Assert.Contains("ladder", decision.Binding);
    }

    [Fact]
    public void Optimize_LadderWorseThanTheCurrentPrice_KeepsTheCurrentPrice()
    {
        // profit ∝ (p − 0.71)·p^−2.365: 0.153 at 0.8, 0.290 at 1.0 (current), 0.271 at 1.8
        var decision = PriceOptimizer.Optimize(Item(), new PriceOptimizerOptions { Ladder = [0.8, 1.8] });
        Assert.Equal(1.0, decision.Price);
        var without = PriceOptimizer.Optimize(Item(), new PriceOptimizerOptions { Ladder = [0.8, 1.8], AllowCurrentPrice = false });
        Assert.Equal(1.8, without.Price);
    }

    [Fact]
    public void Optimize_SellThrough_LowersThePriceUntilExpectedUnitsReachTheStock()
    {
        // 4 periods × 100 units at 1.0 = 400 < 600 in stock: the price must fall to (600/400)^(1/e)
        var item = Item(periods: 4, inventory: 600);
        var decision = PriceOptimizer.Optimize(item, new PriceOptimizerOptions { RequireSellThrough = true, MaxChange = 0.5 });
        Assert.Equal(Math.Pow(1.5, 1 / -2.365), decision.Price, 9);
        Assert.Equal(600, decision.Units.Value, 6);
        Assert.Equal(["sell_through"], decision.Binding);
    }

    [Fact]
    public void Optimize_ScarceStock_RaisesThePriceToTheInventoryKink()
    {
        // stock 200 over 4 periods of 100 units: selling it all at the highest price is best when salvage is 0 and e < −1
        var item = Item(periods: 4, inventory: 200);
        var decision = PriceOptimizer.Optimize(item, new PriceOptimizerOptions { MaxChange = 0.5 });
        Assert.Equal(Math.Pow(0.5, 1 / -2.365), decision.Price, 9);
        Assert.Equal(200, decision.Units.Value, 6);
        Assert.Contains("inventory", decision.Binding);
    }

    [Fact]
    public void Optimize_Continuous_BeatsEveryFeasibleGridPointOverRandomCases()
    {
        var rng = new Random(3);
        for (var i = 0; i < 300; i++)
        {
            var p0 = 1 + (4 * rng.NextDouble());
            var item = Item(
                e: -0.5 - (4 * rng.NextDouble()), cost: p0 * rng.NextDouble(), p0: p0, baseline: 10 + (100 * rng.NextDouble()),
                periods: 1 + rng.Next(8), inventory: rng.NextDouble() < 0.5 ? null : 50 + (500 * rng.NextDouble()));
            var options = new PriceOptimizerOptions
            {
                Objective = rng.NextDouble() < 0.5 ? PricingObjective.Profit : PricingObjective.Revenue,
                MaxChange = 0.05 + (0.5 * rng.NextDouble()),
                MarginFloor = rng.NextDouble() < 0.5 ? null : 0.3 * rng.NextDouble(),
                SalvageValue = rng.NextDouble() < 0.5 ? 0 : item.UnitCost * 0.5,
            };
            var decision = PriceOptimizer.Optimize(item, options);
            var lo = Math.Max(p0 * (1 - options.MaxChange!.Value), options.MarginFloor is { } f ? item.UnitCost / (1 - f) : 0);
            var hi = p0 * (1 + options.MaxChange!.Value);
            if (lo > hi)
            {
                Assert.StartsWith("infeasible", decision.Status, StringComparison.Ordinal);
                continue;
            }

            Assert.Equal("ok", decision.Status);
            Assert.InRange(decision.Price, lo - 1e-9, hi + 1e-9);
            var chosen = PriceOptimizer.Value(item, decision.Price, item.Elasticity, options);
            for (var g = 0; g <= 400; g++)
            {
                var p = lo + ((hi - lo) * g / 400);
                Assert.True(chosen >= PriceOptimizer.Value(item, p, item.Elasticity, options) - (1e-9 * Math.Abs(chosen)), $"case {i}: {p} beats {decision.Price}");
            }
        }
    }

    [Fact]
    public void Optimize_Intervals_AreTheElasticityQuantilesPushedThroughDemand()
    {
        // units at 1.1 are 100 · 1.1^e, increasing in e: the 5% and 95% points are at e ∓ 1.645 se
        var item = Item(se: 0.1);
        var decision = PriceOptimizer.Optimize(item, new PriceOptimizerOptions { MaxChange = 0.1, Draws = 40000, Seed = 5 });
        var z = Normal.InvCDF(0, 1, 0.95);
        Assert.Equal(100 * Math.Pow(1.1, -2.365 - (z * 0.1)), decision.Units.Low, 0.2);
        Assert.Equal(100 * Math.Pow(1.1, -2.365 + (z * 0.1)), decision.Units.High, 0.2);
        Assert.True(decision.Profit.Low < decision.Profit.Value && decision.Profit.Value < decision.Profit.High);
        Assert.Equal(100, decision.CurrentUnits.Value, 12);
        Assert.Equal(100, decision.CurrentUnits.Low, 12); // at the current price the elasticity does not matter
    }

    [Fact]
    public void Optimize_SameSeed_SameIntervals()
    {
        var options = new PriceOptimizerOptions { MaxChange = 0.1, Seed = 9 };
        Assert.Equal(PriceOptimizer.Optimize(Item(se: 0.2), options), PriceOptimizer.Optimize(Item(se: 0.2), options), new DecisionComparer());
    }

    [Fact]
    public void Optimize_BadInput_ThrowsNamingTheProblem()
    {
        Assert.Contains("current price", Assert.Throws<ArgumentException>(() => PriceOptimizer.Optimize(Item(p0: 0))).Message, StringComparison.Ordinal);
        Assert.Contains("MarginFloor", Assert.Throws<ArgumentException>(() => PriceOptimizer.Optimize(Item(), new PriceOptimizerOptions { MarginFloor = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("Endings", Assert.Throws<ArgumentException>(() => PriceOptimizer.Optimize(Item(), new PriceOptimizerOptions { Endings = [1.2] })).Message, StringComparison.Ordinal);
        Assert.Contains("elasticity", Assert.Throws<ArgumentException>(() => PriceOptimizer.Optimize(Item(e: double.NaN))).Message, StringComparison.Ordinal);
    }

    private sealed class DecisionComparer : IEqualityComparer<PriceDecision>
    {
        public bool Equals(PriceDecision? x, PriceDecision? y) => x is not null && y is not null && x.Price == y.Price && x.Units == y.Units && x.Profit == y.Profit && x.Revenue == y.Revenue;

        public int GetHashCode(PriceDecision obj) => obj.Price.GetHashCode();
    }
}
