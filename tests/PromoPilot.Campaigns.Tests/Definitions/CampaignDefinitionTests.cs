using PromoPilot.Core.Campaigns;

namespace PromoPilot.Campaigns.Tests.Definitions;

public class CampaignDefinitionTests
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);

    private static CampaignDefinition Valid() => new(
        "winter-26",
        "Winter coupons",
        [
            new OfferDefinition("ten", OfferType.PercentOff, Percent: 0.1m, Cap: 50),
            new OfferDefinition("manjian", OfferType.SpendThreshold, Tiers: [new(100, 10), new(200, 25)]),
        ],
        Starts: Monday,
        Ends: Monday.AddDays(14),
        Budget: 10_000);

    [Fact]
    public void Problems_ValidCampaign_IsEmpty()
    {
        Assert.Empty(Valid().Problems());
    }

    [Fact]
    public void Problems_EveryContradiction_IsListedWithItsField()
    {
        var campaign = Valid() with
        {
            Budget = -5,
            Starts = Monday,
            Ends = Monday.AddHours(-1),
            HoldoutFraction = 1.0,
            Offers =
            [
                new OfferDefinition("manjian", OfferType.SpendThreshold, Tiers: [new(200, 20), new(100, 30)]),
                new OfferDefinition("manjian", OfferType.PercentOff, Percent: 1.5m),
            ],
        };

        var problems = campaign.Problems();

        Assert.Contains("budget: -5 is negative", problems);
        Assert.Contains("ends: the window ends before it starts", problems);
        Assert.Contains("holdout_fraction: 1 must lie in [0, 1)", problems);
        Assert.Contains("offers[0].tiers[1]: thresholds and savings must both increase (tiers not increasing)", problems);
        Assert.Contains("offers[1].percent: must lie in (0, 1], not 1.5", problems);
        Assert.Contains("offers: id 'manjian' used by 2 offers", problems);
        Assert.Equal(6, problems.Count);
    }

    [Fact]
    public void Problems_WindowEndingExactlyAtItsStart_IsRejected()
    {
        var problems = (Valid() with { Ends = Monday }).Problems();

        Assert.Equal(["ends: the window ends before it starts"], problems);
    }

    [Theory]
    [InlineData(OfferType.BundlePrice, "offers[0].price: must be positive, not missing", "offers[0].scope.items: a bundle names at least two items")]
    [InlineData(OfferType.FlashSale, "offers[0].price: must be positive, not missing", "offers[0].scope: a price applies to items, categories or brands, not the whole cart")]
    [InlineData(OfferType.MemberPrice, "offers[0].price: must be positive, not missing", "offers[0].scope: a price applies to items, categories or brands, not the whole cart")]
    [InlineData(OfferType.GiftWithPurchase, "offers[0].gift_item: missing", "offers[0].gift_value: must be given and not negative, not missing")]
    [InlineData(OfferType.LaunchOffer, "offers[0].percent: a launch offer needs exactly one of percent in (0, 1] or a positive amount", "offers[0].scope.items: a launch offer names the new items it applies to")]
    [InlineData(OfferType.BuyXGetY, "offers[0].buy_quantity: must be at least 1, not missing", "offers[0].free_quantity: must be at least 1, not missing")]
    public void Problems_OfferMissingItsTypesFields_NamesEach(OfferType type, string first, string second)
    {
        var problems = (Valid() with { Offers = [new OfferDefinition("o", type)] }).Problems();

        Assert.Equal([first, second], problems);
    }

    [Fact]
    public void Problems_LaunchOfferWithPercentAndAmount_IsRejected()
    {
        var offer = new OfferDefinition("l", OfferType.LaunchOffer, Percent: -0.1m, Amount: 5, Scope: new OfferScope(Items: ["new"]));

        Assert.Equal(["offers[0].amount: a launch offer gives a percent or an amount, not both"], (Valid() with { Offers = [offer] }).Problems());
    }

    [Fact]
    public void Problems_OfferBudgetAboveCampaignBudget_IsRejected()
    {
        var campaign = Valid() with { Budget = 100, Offers = [new OfferDefinition("a", OfferType.AmountOff, Amount: 5, Budget: 150)] };

        Assert.Equal(["offers[0].budget: 150 exceeds the campaign budget 100"], campaign.Problems());
    }

    [Fact]
    public void Problems_NoOffersAndBadId_AreBothListed()
    {
        var problems = (Valid() with { Id = "no spaces", Offers = [] }).Problems();

        Assert.Equal(["id: must be 1-64 letters, digits, '-', '_' or '.'", "offers: at least one offer is needed"], problems);
    }

    [Fact]
    public void CostPerRedemption_FollowsTheOfferType()
    {
        Assert.Equal(50, new OfferDefinition("p", OfferType.PercentOff, Percent: 0.1m, Cap: 50).CostPerRedemption);
        Assert.Null(new OfferDefinition("p", OfferType.PercentOff, Percent: 0.1m).CostPerRedemption);
        Assert.Equal(25, new OfferDefinition("t", OfferType.SpendThreshold, Tiers: [new(100, 10), new(200, 25)]).CostPerRedemption);
        Assert.Equal(3, new OfferDefinition("g", OfferType.GiftWithPurchase, GiftItem: "mug", GiftValue: 3).CostPerRedemption);
        Assert.Equal(7, new OfferDefinition("g", OfferType.GiftWithPurchase, GiftItem: "mug", GiftValue: 3, ExpectedCost: 7).CostPerRedemption);
    }
}
