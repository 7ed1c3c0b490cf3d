using PromoPilot.Campaigns.Pricing;
using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Tests.Pricing;

public class OfferRulesTests
{
    [Fact]
    public void FromOffer_EveryOfferType_MapsToARuleThatPricesAsTheTypeSays()
    {
        var items = new OfferScope(Items: ["pen", "ink"]);
        var offers = new OfferDefinition[]
        {
            new("pct", OfferType.PercentOff, Percent: 0.1m, Cap: 1),
            new("amt", OfferType.AmountOff, Amount: 2),
            new("thr", OfferType.SpendThreshold, Tiers: [new(10, 1), new(20, 3)]),
            new("bxgy", OfferType.BuyXGetY, BuyQuantity: 2, FreeQuantity: 1, Scope: new OfferScope(Items: ["pen"])),
            new("bundle", OfferType.BundlePrice, Price: 5, Scope: items),
            new("ship", OfferType.FreeShipping, Amount: 4),
            new("gift", OfferType.GiftWithPurchase, GiftItem: "tote", GiftValue: 1.5m),
            new("member", OfferType.MemberPrice, Price: 1.5m, Scope: new OfferScope(Brands: ["Acme"])),
            new("flash", OfferType.FlashSale, Price: 1, Scope: new OfferScope(Categories: ["Office"]), Stock: 100, PerUserLimit: 2),
            new("launch", OfferType.LaunchOffer, Percent: 0.25m, Scope: new OfferScope(Items: ["ink"])),
            new("launch-amt", OfferType.LaunchOffer, Amount: 1, Scope: new OfferScope(Items: ["ink"])),
        };
        var basket = new[] { new BasketLine("pen", "Office", 2, 3, "Acme"), new BasketLine("ink", "Office", 4.5m, 2, "Other") }; // subtotal 15

        decimal Alone(OfferDefinition offer, PricingContext? context = null) =>
            new PricingEngine([OfferRules.FromOffer(offer)]).Price(basket, context ?? PricingContext.Default).TotalDiscount;

        Assert.Equal(1, Alone(offers[0]));           // 10% of 15 = 1.50, capped at 1
        Assert.Equal(2, Alone(offers[1]));
        Assert.Equal(1, Alone(offers[2]));           // 15 reaches the 10 tier only
        Assert.Equal(2, Alone(offers[3]));           // 3 pens: one free
        Assert.Equal(3, Alone(offers[4]));           // 2 bundles of 6.50 for 5
        Assert.Equal(0, Alone(offers[5]));
        Assert.Equal(0, Alone(offers[6]));
        Assert.Equal(0, Alone(offers[7]));           // not a member
        Assert.Equal(1.5m, Alone(offers[7], new PricingContext(IsMember: true)));   // 3 pens at 1.50 instead of 2
        Assert.Equal(3 + 7, Alone(offers[8]));       // every Office unit at 1
        Assert.Equal(3.5m + 3.5m, Alone(offers[8], new PricingContext(UnitLimits: new Dictionary<string, int> { ["flash"] = 2 })));
        Assert.Equal(2.25m, Alone(offers[9]));       // 25% of the ink
        Assert.Equal(1, Alone(offers[10]));

        var benefits = new PricingEngine([OfferRules.FromOffer(offers[5]), OfferRules.FromOffer(offers[6])]).Price(basket, new PricingContext(ShippingFee: 3)).Benefits;
        Assert.Equal([new OrderBenefit("gift", BenefitKind.Gift, 1.5m, "tote"), new OrderBenefit("ship", BenefitKind.FreeShipping, 3)], benefits); // equal priority: by id
    }

    [Fact]
    public void FromOffer_EveryOfferTypeHasAKind()
    {
        foreach (var type in Enum.GetValues<OfferType>())
        {
            var kind = OfferRules.Kind(new OfferDefinition("o", type, Percent: 0.1m));
            Assert.True(Enum.IsDefined(kind));
        }
    }

    [Fact]
    public void FromOffer_InvalidOffer_ListsItsProblems()
    {
        var error = Assert.Throws<ArgumentException>(() => OfferRules.FromOffer(new OfferDefinition("b", OfferType.BundlePrice)));

        Assert.Contains("b.price: must be positive, not missing", error.Message.Replace("offer.", "b.", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void FromOffer_RandomValidOffers_AlwaysMapToValidRules()
    {
        var random = new Random(11);
        var mapped = 0;
        for (var trial = 0; trial < 3000; trial++)
        {
            var offer = RandomOffer(random, $"o{trial}");
            if (offer.Problems().Count > 0)
            {
                Assert.Throws<ArgumentException>(() => OfferRules.FromOffer(offer));
                continue;
            }

            var engine = new PricingEngine([OfferRules.FromOffer(offer)]);
            var basket = PricingEngineTests.RandomBasket(random);
            Assert.True(engine.Price(basket).TotalDiscount <= basket.Sum(l => l.UnitPrice * l.Quantity));
            mapped++;
        }

        Assert.True(mapped > 1000, $"only {mapped} random offers were valid");
    }

    [Fact]
    public void FromCampaigns_OrdersByCampaignThenOfferPriorityAndPrefixesIds()
    {
        var low = new CampaignDefinition("low", "Low", [new OfferDefinition("a", OfferType.AmountOff, Amount: 1, Priority: 9)], Priority: 1);
        var high = new CampaignDefinition("high", "High", [new OfferDefinition("a", OfferType.AmountOff, Amount: 2, Priority: 0, StopFurtherRules: true)], Priority: 5);

        var rules = OfferRules.FromCampaigns([low, high]);
        var result = new PricingEngine(rules).Price([new BasketLine("x", "y", 10, 1)]);

        Assert.Equal(["low/a", "high/a"], rules.Select(r => r.Id));
        Assert.Equal(["high/a"], result.AppliedRules);
        Assert.Throws<ArgumentException>(() => OfferRules.FromCampaigns([low, low]));
    }

    private static OfferDefinition RandomOffer(Random random, string id)
    {
        var types = Enum.GetValues<OfferType>();
        var skus = Enumerable.Range(0, random.Next(0, 4)).Select(_ => $"sku{random.Next(30)}").Distinct().ToList();
        var scope = random.Next(4) switch
        {
            0 => null,
            1 => new OfferScope(Items: skus),
            2 => new OfferScope(Categories: ["Toys", "Dairy"]),
            _ => new OfferScope(Brands: ["Acme"]),
        };
        decimal? Maybe(decimal value) => random.Next(5) == 0 ? null : value;
        return new OfferDefinition(
            id,
            types[random.Next(types.Length)],
            Percent: Maybe(random.Next(-10, 120) / 100m),
            Cap: Maybe(random.Next(0, 30)),
            Amount: Maybe(random.Next(-2, 20)),
            Tiers: random.Next(3) == 0 ? null : [new(50, 5), new(random.Next(40, 120), random.Next(3, 12))],
            BuyQuantity: random.Next(0, 4),
            FreeQuantity: random.Next(0, 3),
            Price: Maybe(random.Next(-1, 50)),
            GiftItem: random.Next(4) == 0 ? null : "tote",
            GiftValue: Maybe(random.Next(-1, 5)),
            Scope: scope,
            MinimumBasket: random.Next(0, 60));
    }
}
