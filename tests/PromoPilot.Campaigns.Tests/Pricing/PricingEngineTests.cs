using PromoPilot.Campaigns.Pricing;

namespace PromoPilot.Campaigns.Tests.Pricing;

public class PricingEngineTests
{
    private static readonly string[] Categories = ["Bakery", "Dairy", "Toys", "Garden"];
    private static readonly string[] Brands = ["Acme", "Globex", "Initech"];

    [Fact]
    public void PercentOff_WithCap_GivesTheCapOnALargeBasket()
    {
        var engine = new PricingEngine([new PromotionRule("ten", PromotionKind.PercentOff, Percent: 0.10m, Cap: 50)]);

        var result = engine.Price([new BasketLine("a", "Toys", 200, 2), new BasketLine("b", "Toys", 100, 2)]);

        Assert.Equal(600, result.Subtotal);
        Assert.Equal(50, result.TotalDiscount);
        // Shared by what each line costs: 400 and 200 out of 600.
        Assert.Equal(33.33m, result.Discounts.Single(d => d.Line == 0).Amount);
        Assert.Equal(16.67m, result.Discounts.Single(d => d.Line == 1).Amount);
    }

    [Fact]
    public void SpendThreshold_TakesTheHighestTierReached()
    {
        var engine = new PricingEngine([new PromotionRule("manjian", PromotionKind.SpendThreshold, Tiers: [new(100, 10), new(200, 25), new(300, 45)])]);

        Assert.Equal(0, engine.Price([new BasketLine("a", "Dairy", 99.99m, 1)]).TotalDiscount);
        Assert.Equal(10, engine.Price([new BasketLine("a", "Dairy", 100, 1)]).TotalDiscount);
        Assert.Equal(25, engine.Price([new BasketLine("a", "Dairy", 125, 2)]).TotalDiscount);
        Assert.Equal(45, engine.Price([new BasketLine("a", "Dairy", 1000, 1)]).TotalDiscount);
    }

    [Fact]
    public void BuyTwoGetOne_MakesTheCheapestUnitsFree()
    {
        var engine = new PricingEngine([new PromotionRule("b2g1", PromotionKind.BuyXGetY, Categories: new HashSet<string> { "Toys" }, BuyQuantity: 2, FreeQuantity: 1)]);

        var result = engine.Price([new BasketLine("car", "Toys", 10, 2), new BasketLine("doll", "Toys", 4, 4), new BasketLine("milk", "Dairy", 1, 3)]);

        // 6 toy units -> 2 free, the two cheapest (dolls at 4); milk is out of scope.
        Assert.Equal(8, result.TotalDiscount);
        Assert.All(result.Discounts, d => Assert.Equal(1, d.Line));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BuyOneGetOne_EqualUnitPricesStraddlingTheLastFreeUnit_EarlierItemIdFirst(bool wholeCart)
    {
        var scope = wholeCart ? null : new HashSet<string> { "Toys" };
        var engine = new PricingEngine([new PromotionRule("b1g1", PromotionKind.BuyXGetY, Categories: scope, BuyQuantity: 1, FreeQuantity: 1)]);

        // 4 units -> 2 free, both at 5: "a" (1 unit) comes before "b" (2 units) by item id, whatever the line order, so
        // each gives one unit (b first would give both of its own). Whole cart and a category take different paths.
        var result = engine.Price([new BasketLine("c", "Toys", 9, 1), new BasketLine("b", "Toys", 5, 2), new BasketLine("a", "Toys", 5, 1)]);

        Assert.Equal(10, result.TotalDiscount);
        Assert.Equal([(1, 5m), (2, 5m)], result.Discounts.Select(d => (d.Line, d.Amount)));
    }

    [Fact]
    public void Stacking_ExclusiveGroupAndStopFurtherRules_AreRespected()
    {
        var engine = new PricingEngine(
        [
            new PromotionRule("vip", PromotionKind.PercentOff, Priority: 10, Percent: 0.2m, ExclusiveGroup: "site"),
            new PromotionRule("welcome", PromotionKind.AmountOff, Priority: 5, Amount: 5, ExclusiveGroup: "site"),
            new PromotionRule("bakery", PromotionKind.AmountOff, Priority: 3, Categories: new HashSet<string> { "Bakery" }, Amount: 2, StopFurtherRules: true),
            new PromotionRule("late", PromotionKind.AmountOff, Priority: 1, Amount: 1),
        ]);

        var result = engine.Price([new BasketLine("bread", "Bakery", 10, 1), new BasketLine("toy", "Toys", 40, 1)]);

        Assert.Equal(["vip", "bakery"], result.AppliedRules);
        Assert.Equal(10 + 2, result.TotalDiscount); // 20% of 50, then 2 off bread; "late" never runs
    }

    [Fact]
    public void Rules_WithContradictions_AreRejectedListingEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new PricingEngine(
        [
            new PromotionRule("tiers", PromotionKind.SpendThreshold, Tiers: [new(200, 20), new(100, 30)]),
            new PromotionRule("pct", PromotionKind.PercentOff, Percent: 1.5m),
            new PromotionRule("pct", PromotionKind.AmountOff, Amount: -1),
        ]));

        Assert.Contains("tiers: tiers[1]: thresholds and savings must both increase", error.Message, StringComparison.Ordinal);
        Assert.Contains("pct: percent 1.5 must lie in (0, 1]", error.Message, StringComparison.Ordinal);
        Assert.Contains("pct: amount -1 must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("pct: id used by 2 rules", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Properties_OverThousandsOfRandomBaskets_Hold()
    {
        var random = new Random(2026);
        for (var trial = 0; trial < 5000; trial++)
        {
            var rules = RandomRules(random);
            var engine = new PricingEngine(rules);
            var basket = RandomBasket(random);
            var context = RandomContext(random, rules);

            var result = engine.Price(basket, context);

            // Never more than the basket above its floor, no line below zero, every discount positive.
            Assert.True(result.TotalDiscount <= result.Subtotal);
            Assert.True(result.Subtotal < context.Floor ? result.TotalDiscount == 0 : result.Total >= context.Floor, $"trial {trial}: total {result.Total} below the floor {context.Floor}");
            Assert.Equal(result.TotalDiscount, result.Discounts.Sum(d => d.Amount));
            for (var i = 0; i < basket.Count; i++)
            {
                Assert.True(result.Discounts.Where(d => d.Line == i).Sum(d => d.Amount) <= basket[i].UnitPrice * basket[i].Quantity);
            }

            Assert.All(result.Discounts, d => Assert.True(d.Amount > 0));

            // Caps hold; at most one rule per exclusive group; member prices only for members; a flash sale within its
            // unit limit saves at most (unit price - sale price) on that many units.
            foreach (var rule in rules.Where(r => r.Cap is not null))
            {
                Assert.True(result.Discounts.Where(d => d.RuleId == rule.Id).Sum(d => d.Amount) <= rule.Cap);
            }

            Assert.All(rules.Where(r => r.ExclusiveGroup is not null).GroupBy(r => r.ExclusiveGroup),
                g => Assert.True(g.Count(r => result.AppliedRules.Contains(r.Id)) <= 1));
            if (!context.IsMember)
            {
                Assert.DoesNotContain(result.AppliedRules, id => rules.Single(r => r.Id == id).Kind == PromotionKind.MemberPrice);
            }

            foreach (var rule in rules.Where(r => r.Kind == PromotionKind.FlashSale && context.UnitLimits!.ContainsKey(r.Id)))
            {
                var most = basket.Select(l => l.UnitPrice - rule.Price).DefaultIfEmpty(0).Max() * context.UnitLimits![rule.Id];
                Assert.True(result.Discounts.Where(d => d.RuleId == rule.Id).Sum(d => d.Amount) <= Math.Max(0, most));
            }

            // Benefits come from applied benefit rules only, free shipping never above the fee.
            Assert.All(result.Benefits, b => Assert.Contains(b.RuleId, result.AppliedRules));
            Assert.All(result.Benefits.Where(b => b.Kind == BenefitKind.FreeShipping), b => Assert.True(b.Value <= (context.ShippingFee ?? b.Value)));

            // The order of the lines does not matter: the same discount per item and rule, the same benefits.
            var shuffled = basket.OrderBy(_ => random.Next()).ToList();
            var again = engine.Price(shuffled, context);
            Assert.Equal(result.TotalDiscount, again.TotalDiscount);
            Assert.Equal(Summary(basket, result), Summary(shuffled, again));
            Assert.Equal(result.Benefits, again.Benefits);
        }
    }

    [Fact]
    public void SpendThreshold_MoreSpend_NeverLessDiscount()
    {
        var random = new Random(7);
        for (var trial = 0; trial < 500; trial++)
        {
            var thresholds = Enumerable.Range(1, random.Next(1, 5)).Select(t => t * 50m).ToList();
            var engine = new PricingEngine([new PromotionRule("t", PromotionKind.SpendThreshold, Tiers: [.. thresholds.Select((x, k) => new ThresholdTier(x, 5m * (k + 1)))])]);
            var previous = 0m;
            for (var spend = 0m; spend <= 300; spend += 7.5m)
            {
                var discount = engine.Price([new BasketLine("x", "Dairy", spend, 1)]).TotalDiscount;
                Assert.True(discount >= previous, $"spend {spend}: {discount} < {previous}");
                previous = discount;
            }
        }
    }

    private static string Summary(IReadOnlyList<BasketLine> basket, PricingResult result) =>
        string.Join(";", result.Discounts.GroupBy(d => (basket[d.Line].Sku, d.RuleId)).OrderBy(g => g.Key.Sku, StringComparer.Ordinal).ThenBy(g => g.Key.RuleId, StringComparer.Ordinal)
            .Select(g => $"{g.Key.Sku}/{g.Key.RuleId}={g.Sum(d => d.Amount)}"));

    internal static List<PromotionRule> RandomRules(Random random)
    {
        var rules = new List<PromotionRule>();
        var kinds = random.Next(2) == 0 ? 4 : 9; // half the sets use only the first four kinds, as the benchmark does
        for (var r = 0; r < random.Next(1, 10); r++)
        {
            var categories = random.Next(3) == 0 ? null : new HashSet<string> { Categories[random.Next(Categories.Length)] };
            var brands = categories is null || random.Next(3) > 0 ? null : new HashSet<string> { Brands[random.Next(Brands.Length)] };
            var skus = random.Next(4) == 0 ? new HashSet<string> { $"sku{random.Next(30)}", $"sku{random.Next(30)}" } : null;
            var group = random.Next(3) == 0 ? "g" + random.Next(2) : null;
            var priority = random.Next(5);
            var stop = random.Next(8) == 0;
            var rule = new PromotionRule($"r{r}", PromotionKind.PercentOff, priority, Skus: skus, Categories: categories, Brands: brands, ExclusiveGroup: group, StopFurtherRules: stop,
                MinimumBasket: random.Next(4) == 0 ? random.Next(0, 100) : 0);
            rules.Add(random.Next(kinds) switch
            {
                0 => rule with { Percent = random.Next(1, 60) / 100m, Cap = random.Next(2) == 0 ? random.Next(1, 40) : null },
                1 => rule with { Kind = PromotionKind.AmountOff, Amount = random.Next(1, 30) },
                2 => rule with { Kind = PromotionKind.SpendThreshold, Tiers = [new(50, 5), new(100, 15), new(200, 40)] },
                3 => rule with { Kind = PromotionKind.BuyXGetY, BuyQuantity = random.Next(1, 4), FreeQuantity = random.Next(1, 3) },
                4 => rule with { Kind = PromotionKind.BundlePrice, Skus = new HashSet<string> { $"sku{random.Next(30)}", $"sku{random.Next(30)}", $"sku{random.Next(30)}" } is { Count: >= 2 } b ? b : new HashSet<string> { "sku1", "sku2" }, Categories = null, Brands = null, Price = random.Next(1, 100) },
                5 => rule with { Kind = PromotionKind.FreeShipping, Amount = random.Next(1, 10) },
                6 => rule with { Kind = PromotionKind.GiftWithPurchase, GiftItem = "tote", GiftValue = random.Next(0, 5) },
                7 => rule with { Kind = PromotionKind.MemberPrice, Categories = categories ?? new HashSet<string> { "Toys" }, Price = random.Next(1, 60) },
                _ => rule with { Kind = PromotionKind.FlashSale, Categories = categories ?? new HashSet<string> { "Dairy" }, Price = random.Next(1, 60) },
            });
        }

        return rules;
    }

    internal static PricingContext RandomContext(Random random, IReadOnlyList<PromotionRule> rules) => new(
        IsMember: random.Next(2) == 0,
        ShippingFee: random.Next(3) == 0 ? null : random.Next(0, 800) / 100m,
        Floor: random.Next(3) == 0 ? random.Next(0, 5000) / 100m : 0,
        UnitLimits: rules.Where(r => r.Kind == PromotionKind.FlashSale && random.Next(2) == 0).ToDictionary(r => r.Id, _ => random.Next(0, 6)));

    internal static List<BasketLine> RandomBasket(Random random) =>
        [.. Enumerable.Range(0, random.Next(1, 12)).Select(i => new BasketLine($"sku{random.Next(30)}", Categories[random.Next(Categories.Length)], random.Next(0, 10000) / 100m, random.Next(1, 5), random.Next(4) == 0 ? null : Brands[random.Next(Brands.Length)]))];
}
