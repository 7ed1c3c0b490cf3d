using PromoPilot.Campaigns.Design;
using PromoPilot.Campaigns.Pricing;
using PromoPilot.Core.Campaigns;
using Xunit.Abstractions;

namespace PromoPilot.Campaigns.Tests.Design;

public class ParameterDesignTests(ITestOutputHelper output)
{
    private static readonly decimal[] Shares = [0.04m, 0.06m, 0.08m, 0.10m, 0.12m, 0.15m];

    [Fact]
    public void Evaluate_OneShopperTenPercentOff_MatchesTheResponseCurveByHand()
    {
        var shopper = new Shopper(0.2, 100, 1);
        var offer = new OfferDefinition("ten", OfferType.PercentOff, Percent: 0.1m);

        var result = ParameterDesign.Evaluate(offer, [shopper], new DiscountResponseModel(), budget: 1_000);

        // p(0.1) = 0.2 + 0.8 * 0.3 * (1 - e^-1); profit = p (100 * 0.3 - 10) - 0.2 * 30; spend = 10 p.
        var p = 0.2 + (0.8 * 0.3 * (1 - Math.Exp(-1)));
        Assert.Equal((p * 20) - 6, result.Profit, 10);
        Assert.Equal(10 * p, result.Spend, 10);
        Assert.Equal(p - 0.2, result.IncrementalConversions, 10);
        Assert.Equal(1, result.Users);
    }

    [Fact]
    public void Evaluate_BasketBelowTheThreshold_TradesUpWithTheStatedProbability()
    {
        var shopper = new Shopper(0.2, 80, 1);
        var offer = new OfferDefinition("t", OfferType.SpendThreshold, Tiers: [new(100, 10)]);
        var model = new DiscountResponseModel();

        var response = model.Evaluate(shopper, ParameterDesign.DiscountFunction(offer), [100]);

        // Keep 80 without discount (p0) with 1 - q, or fill up to 100 and save 10 with q = e^(-(100/80 - 1) / 0.25).
        var q = Math.Exp(-1);
        var pUp = 0.2 + (0.8 * 0.3 * (1 - Math.Exp(-1)));
        var profit = ((1 - q) * 0.2 * 24) + (q * pUp * (30 - 10)) - (0.2 * 24);
        Assert.Equal(profit, response.IncrementalProfit, 10);
        Assert.Equal(q * pUp * 10, response.ExpectedDiscount, 10);
    }

    [Fact]
    public void DiscountFunction_AgreesWithThePricingEngineToTheCent()
    {
        var random = new Random(5);
        for (var trial = 0; trial < 2000; trial++)
        {
            OfferDefinition offer = (trial % 3) switch
            {
                0 => new("p", OfferType.PercentOff, Percent: random.Next(1, 100) / 100m, Cap: random.Next(2) == 0 ? random.Next(1, 50) : null, MinimumBasket: random.Next(0, 30)),
                1 => new("a", OfferType.AmountOff, Amount: random.Next(1, 40), MinimumBasket: random.Next(0, 30)),
                _ => new("t", OfferType.SpendThreshold, Tiers: [new(random.Next(10, 60), random.Next(1, 5)), new(random.Next(61, 200), random.Next(6, 30))]),
            };
            var value = random.Next(1, 30_000) / 100.0;
            var engine = new PricingEngine([OfferRules.FromOffer(offer)]).Price([new BasketLine("x", "y", (decimal)value, 1)]).TotalDiscount;

            Assert.Equal((double)engine, ParameterDesign.DiscountFunction(offer)(value), 9);
        }
    }

    [Fact]
    public void ThresholdCandidates_AreRoundedQuantilesOfTheBasketValues()
    {
        var shoppers = Enumerable.Range(1, 100).Select(i => new Shopper(0.1, i + 0.4, 1)).ToList();

        var thresholds = ParameterDesign.ThresholdCandidates(shoppers, [0.5, 0.9, 0.95, 0.951]);

        Assert.Equal([50m, 90m, 95m, 96m], thresholds);
    }

    [Fact]
    public void Annealing_SeededCases_ReachesTheEnumeratedOptimumWithinHalfAPercent()
    {
        var model = new DiscountResponseModel();
        var exact = 0;
        for (var seed = 0; seed < 5; seed++)
        {
            var shoppers = Shoppers(new Random(seed), 1500);
            var space = ParameterDesign.SpendThreshold(ParameterDesign.ThresholdCandidates(shoppers), Shares, tiers: 2);
            var budget = 400.0 + (200 * seed);

            var enumerated = ParameterDesign.Exhaustive(space, shoppers, model, budget);
            var annealed = ParameterDesign.Anneal(space, shoppers, model, budget, new DesignOptions { Seed = seed });

            Assert.NotNull(enumerated.Best);
            Assert.NotNull(annealed.Best);
            Assert.True(annealed.Best.Spend <= budget + 1e-9);
            Assert.True(annealed.Best.Profit <= enumerated.Best.Profit + 1e-9, "annealing cannot beat exhaustive enumeration");
            Assert.True(annealed.Best.Profit >= 0.995 * enumerated.Best.Profit, $"seed {seed}: annealing {annealed.Best.Profit} vs exact {enumerated.Best.Profit}");
            Assert.True(annealed.Evaluated < enumerated.Evaluated);
            exact += annealed.Best.Profit >= enumerated.Best.Profit - 1e-9 ? 1 : 0;
            output.WriteLine($"seed {seed}: exact {enumerated.Best.Profit:F2} over {enumerated.Evaluated} designs; annealing {annealed.Best.Profit:F2} over {annealed.Evaluated}; tiers {string.Join(" ", enumerated.Best.Offer.Tiers!)}");
        }

        output.WriteLine($"annealing found the exact optimum in {exact} of 5 cases");
    }

    [Fact]
    public void Search_SmallSpaceIsExactLargeSpaceAnneals()
    {
        var shoppers = Shoppers(new Random(9), 300);
        var model = new DiscountResponseModel();
        var thresholds = ParameterDesign.ThresholdCandidates(shoppers);

        var small = ParameterDesign.Search(ParameterDesign.PercentOff([0.05m, 0.1m, 0.15m, 0.2m, 0.3m], [null, 10m, 20m]), shoppers, model, 200);
        var large = ParameterDesign.Search(ParameterDesign.SpendThreshold(thresholds, Shares, tiers: 3), shoppers, model, 200, new DesignOptions { Iterations = 200, Restarts = 2 });

        Assert.Equal("exact", small.Method);
        Assert.Equal(15, small.Evaluated);
        Assert.Equal("annealing", large.Method);
        Assert.NotNull(large.Best);
        Assert.Equal(3, large.Best.Offer.Tiers!.Count);
        Assert.Empty(new CampaignDefinition("d", "d", [large.Best.Offer]).Problems());
        Assert.True(large.Best.Spend <= 200 + 1e-9);
    }

    [Fact]
    public void Evaluate_BudgetBinds_SpendsNoMoreAndProfitGrowsWithTheBudget()
    {
        var shoppers = Shoppers(new Random(3), 1000);
        var offer = new OfferDefinition("t", OfferType.SpendThreshold, Tiers: [new(60, 5), new(120, 14)]);
        var model = new DiscountResponseModel();

        var previous = double.NegativeInfinity;
        foreach (var budget in new[] { 0.0, 50, 100, 200, 400, 800, 1e9 })
        {
            var result = ParameterDesign.Evaluate(offer, shoppers, model, budget);
            Assert.True(result.Spend <= budget + 1e-9);
            Assert.True(result.Profit >= previous - 1e-9);
            previous = result.Profit;
        }
    }

    /// <summary>Shoppers with log-normal baskets (median about 55), baseline probabilities 0.02-0.6, sensitivity 0.5-1.5.</summary>
    private static List<Shopper> Shoppers(Random random, int n) =>
        [.. Enumerable.Range(0, n).Select(_ =>
        {
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            return new Shopper(0.02 + (0.58 * random.NextDouble() * random.NextDouble()), Math.Exp(4 + (0.5 * normal)), 0.5 + random.NextDouble());
        })];
}
