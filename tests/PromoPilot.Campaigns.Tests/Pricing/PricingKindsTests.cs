using PromoPilot.Campaigns.Pricing;

namespace PromoPilot.Campaigns.Tests.Pricing;

public class PricingKindsTests
{
    private static HashSet<string> Set(params string[] values) => new(values, StringComparer.Ordinal);

    [Fact]
    public void BundlePrice_TwoBundlesOfThree_SaveTheDifferenceOnTheBundledUnitsOnly()
    {
        var engine = new PricingEngine([new PromotionRule("kit", PromotionKind.BundlePrice, Skus: Set("pen", "ink"), Price: 5)]);

        // 3 pens at 2 and 2 inks at 4.50: two bundles (ink is scarcest), each worth 6.50, for 5: saves 3.00.
        var result = engine.Price([new BasketLine("pen", "Office", 2, 3), new BasketLine("ink", "Office", 4.5m, 2), new BasketLine("pad", "Office", 3, 1)]);

        Assert.Equal(3, result.TotalDiscount);
        // Shared by the bundled units' cost: pens 2 x 2 = 4, inks 9, of 13.
        Assert.Equal(0.92m, result.Discounts.Single(d => d.Line == 0).Amount);
        Assert.Equal(2.08m, result.Discounts.Single(d => d.Line == 1).Amount);
        Assert.DoesNotContain(result.Discounts, d => d.Line == 2);
    }

    [Fact]
    public void BundlePrice_MissingAnItemOrPricierThanItsParts_GivesNothing()
    {
        var engine = new PricingEngine([new PromotionRule("kit", PromotionKind.BundlePrice, Skus: Set("pen", "ink"), Price: 5)]);

        Assert.Empty(engine.Price([new BasketLine("pen", "Office", 2, 3)]).AppliedRules);
        Assert.Empty(engine.Price([new BasketLine("pen", "Office", 1, 1), new BasketLine("ink", "Office", 3, 1)]).AppliedRules);
    }

    [Fact]
    public void MemberPrice_AppliesToMembersOnly()
    {
        var engine = new PricingEngine([new PromotionRule("club", PromotionKind.MemberPrice, Categories: Set("Coffee"), Price: 8)]);
        var basket = new[] { new BasketLine("beans", "Coffee", 10, 2), new BasketLine("cheap", "Coffee", 7, 1), new BasketLine("mug", "Home", 12, 1) };

        Assert.Equal(0, engine.Price(basket).TotalDiscount);
        var member = engine.Price(basket, new PricingContext(IsMember: true));

        Assert.Equal(4, member.TotalDiscount); // 2 x (10 - 8); the 7.00 item is already below the price
        Assert.Equal(4, member.Discounts.Single().Amount);
        Assert.Equal(0, member.Discounts.Single().Line);
    }

    [Fact]
    public void FlashSale_UnitLimit_DiscountsTheUnitsSavingMostFirst()
    {
        var engine = new PricingEngine([new PromotionRule("flash", PromotionKind.FlashSale, Brands: Set("Acme"), Price: 5)]);
        var basket = new[] { new BasketLine("a", "Toys", 9, 2, "Acme"), new BasketLine("b", "Toys", 20, 2, "Acme"), new BasketLine("c", "Toys", 30, 1, "Other") };

        var unlimited = engine.Price(basket);
        var three = engine.Price(basket, new PricingContext(UnitLimits: new Dictionary<string, int> { ["flash"] = 3 }));
        var none = engine.Price(basket, new PricingContext(UnitLimits: new Dictionary<string, int> { ["flash"] = 0 }));

        Assert.Equal((2 * 4) + (2 * 15), unlimited.TotalDiscount); // brand scope: c is another brand
        Assert.Equal((2 * 15) + 4, three.TotalDiscount);           // both b units (save 15), then one a unit (saves 4)
        Assert.Equal(0, none.TotalDiscount);
    }

    [Fact]
    public void FreeShippingAndGift_AreOrderBenefitsThatStack()
    {
        var engine = new PricingEngine(
        [
            new PromotionRule("ship", PromotionKind.FreeShipping, Priority: 2, Amount: 6, MinimumBasket: 50),
            new PromotionRule("tote", PromotionKind.GiftWithPurchase, Priority: 1, Categories: Set("Toys"), GiftItem: "tote-bag", GiftValue: 2.5m),
        ]);

        var small = engine.Price([new BasketLine("car", "Toys", 20, 1)], new PricingContext(ShippingFee: 4.99m));
        var large = engine.Price([new BasketLine("car", "Toys", 20, 3)], new PricingContext(ShippingFee: 8.99m));

        Assert.Equal([new OrderBenefit("tote", BenefitKind.Gift, 2.5m, "tote-bag")], small.Benefits);
        Assert.Equal([new OrderBenefit("ship", BenefitKind.FreeShipping, 6), new OrderBenefit("tote", BenefitKind.Gift, 2.5m, "tote-bag")], large.Benefits);
        Assert.Equal(0, large.TotalDiscount);
        Assert.Equal(["ship", "tote"], large.AppliedRules);
    }

    [Fact]
    public void Floor_FixedAmountOnACheapBasket_StopsAtTheFloor()
    {
        var engine = new PricingEngine(
        [
            new PromotionRule("ten", PromotionKind.AmountOff, Priority: 2, Amount: 10),
            new PromotionRule("b1g1", PromotionKind.BuyXGetY, Priority: 1, BuyQuantity: 1, FreeQuantity: 1),
        ]);
        var basket = new[] { new BasketLine("gum", "Snacks", 3, 2), new BasketLine("mint", "Snacks", 2, 1) };

        var unfloored = engine.Price(basket);
        var floored = engine.Price(basket, new PricingContext(Floor: 0.01m));

        Assert.Equal(0, unfloored.Total); // the zero-value order the floor exists to prevent
        Assert.Equal(0.01m, floored.Total);
        Assert.Equal(["ten"], floored.AppliedRules);
        Assert.Equal(0, engine.Price([new BasketLine("gum", "Snacks", 0.5m, 1)], new PricingContext(Floor: 1)).TotalDiscount);
    }

    [Fact]
    public void BrandScope_MatchesByBrandOrCategory()
    {
        var engine = new PricingEngine([new PromotionRule("acme", PromotionKind.PercentOff, Categories: Set("Garden"), Brands: Set("Acme"), Percent: 0.5m)]);

        var result = engine.Price(
        [
            new BasketLine("hose", "Garden", 10, 1, "Other"),
            new BasketLine("drill", "Tools", 40, 1, "Acme"),
            new BasketLine("saw", "Tools", 30, 1, "Other"),
            new BasketLine("nails", "Tools", 2, 1),
        ]);

        Assert.Equal(25, result.TotalDiscount);
        Assert.Equal([0, 1], result.Discounts.Select(d => d.Line).Order());
    }

    [Fact]
    public void NewKinds_WithContradictions_AreRejectedListingEveryProblem()
    {
        var error = Assert.Throws<ArgumentException>(() => new PricingEngine(
        [
            new PromotionRule("bundle", PromotionKind.BundlePrice, Skus: Set("a")),
            new PromotionRule("flash", PromotionKind.FlashSale, Price: 3),
            new PromotionRule("gift", PromotionKind.GiftWithPurchase, GiftValue: -1),
            new PromotionRule("ship", PromotionKind.FreeShipping),
        ]));

        Assert.Contains("bundle: price 0 must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("bundle: a bundle names at least two items and no categories or brands", error.Message, StringComparison.Ordinal);
        Assert.Contains("flash: a price applies to items, categories or brands, not the whole cart", error.Message, StringComparison.Ordinal);
        Assert.Contains("gift: a gift needs a gift_item and a gift_value of at least 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("ship: amount 0 (the most shipping waived) must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Price_NegativeFloor_IsRejected()
    {
        var engine = new PricingEngine([new PromotionRule("ten", PromotionKind.AmountOff, Amount: 10)]);

        var error = Assert.Throws<ArgumentException>(() => engine.Price([new BasketLine("a", "b", 1, 1)], new PricingContext(Floor: -1)));

        Assert.Equal("context", error.ParamName);
    }
}
