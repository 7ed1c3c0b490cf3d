using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Customers;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning.Scoring;
using PromoPilot.Decisioning.State;
using PromoPilot.Measurement.Experiments.Assignment;

namespace PromoPilot.Decisioning.Tests;

public class DecisionEngineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private static CampaignDefinition Campaign(string id, params OfferDefinition[] offers) =>
        new(id, id, offers, CampaignStatus.Live, HoldoutFraction: 0);

    private static OfferDefinition Amount(string id, decimal amount, int priority = 0) => new(id, OfferType.AmountOff, Amount: amount, Priority: priority);

    private static DecisionEngine Engine(params CampaignDefinition[] campaigns) => Engine(null, null, campaigns);

    private static DecisionEngine Engine(LinearUpliftModel? model, DecisionOptions? options, params CampaignDefinition[] campaigns) =>
        new(LiveCatalog.Build(campaigns, DecisionRuleContext.Schema(["history"]), 1), model, null, options);

    private static CustomerProfile Profile(double recencyDays, int frequency, decimal aov, params ShareOf[] categories) =>
        new(1, recencyDays, frequency, aov * frequency, aov, 400, 30, 3, 3, 3, "Loyal", 0, 0, 0, 0, 0, categories, []);

    private static Task<Decision> Decide(DecisionEngine engine, DecisionRequest request, UserSnapshot? user = null, IOnlineState? state = null, IReadOnlyDictionary<string, CampaignSpend>? spend = null) =>
        engine.DecideAsync("d1", request, user, state ?? new InProcessOnlineState(new ManualClock(Now)), spend, Now).AsTask();

    [Fact]
    public async Task Decide_AudienceRule_ServesOnlyShoppersWhoMatch()
    {
        var lapsed = Campaign("lapsed", Amount("ten", 10)) with { Audience = "recency_days > 90" };
        var engine = Engine(lapsed);
        var recent = new UserSnapshot("u1", Profile(10, 5, 40));
        var away = new UserSnapshot("u2", Profile(200, 5, 40));

        var no = await Decide(engine, new DecisionRequest("u1", "home", Explain: true), recent);
        var yes = await Decide(engine, new DecisionRequest("u2", "home"), away);

        Assert.Empty(no.Offers);
        Assert.Contains(no.Trace.Entries, e => e.Outcome == "rejected" && e.Reasons[^1] == "audience: recency_days > 90 failed");
        Assert.Equal(1, no.Trace.Rejections["audience"]);
        Assert.Equal("ten", Assert.Single(yes.Offers).OfferId);
        Assert.Contains("audience: recency_days > 90 passed", yes.Trace.Entries.Single().Reasons);
    }

    [Fact]
    public async Task Decide_WindowChannelPlacementAndStatus_AreEachEnforced()
    {
        var campaigns = new[]
        {
            Campaign("future", Amount("a", 5)) with { Starts = Now.AddDays(1) },
            Campaign("ended", Amount("b", 5)) with { Ends = Now },
            Campaign("app_only", Amount("c", 5)) with { Channels = ["app"] },
            Campaign("cart_slot", Amount("d", 5)) with { Placements = ["cart"] },
            Campaign("draft", Amount("e", 5)) with { Status = CampaignStatus.Draft },
            Campaign("open", Amount("f", 5)),
        };
        var engine = Engine(campaigns);
        var web = await Decide(engine, new DecisionRequest("u", "home", Channel: "web", Limit: 10));
        var app = await Decide(engine, new DecisionRequest("u", "cart", Channel: "app", Limit: 10));

        Assert.Equal(["f"], web.Offers.Select(o => o.OfferId));
        Assert.Equal(["c", "d", "f"], app.Offers.Select(o => o.OfferId).Order());
    }

    [Fact]
    public async Task Decide_Holdout_KeepsTheAssignedShareOutAndAgreesWithTheLaunchAssignment()
    {
        var campaign = Campaign("c", Amount("a", 5)) with { HoldoutFraction = 0.2 };
        var engine = Engine(campaign);
        var assigner = CampaignHoldout.Assigner(campaign);
        var held = 0;
        const int Users = 5_000;
        for (var i = 0; i < Users; i++)
        {
            var decision = await Decide(engine, new DecisionRequest($"user-{i}", "home"));
            var arm = decision.Variants["c"];
            Assert.Equal(CampaignHoldout.Arm(assigner, $"user-{i}"), arm);
            Assert.Equal(arm == CampaignHoldout.Holdout, decision.Offers.Count == 0);
            held += arm == CampaignHoldout.Holdout ? 1 : 0;
        }

        // Binomial(5000, 0.2): sd 28.3; 4 sd either side.
        Assert.InRange(held, 1000 - 113, 1000 + 113);
    }

    [Fact]
    public async Task Decide_WithAnEffectModel_RanksByIncrementalProfitNetOfDiscountsToWouldBeBuyers()
    {
        var model = UpliftModel();
        var user = new UserSnapshot("u", Profile(30, 4, 100), attributes: new Dictionary<string, double> { ["history"] = 1 });
        var cheap = Campaign("cheap", Amount("five", 5));
        var dear = Campaign("dear", Amount("fifty", 50));
        var decision = await Decide(Engine(model, null, cheap, dear), new DecisionRequest("u", "home", Limit: 2), user);

        var prediction = model.Predict(user.Features);
        var top = decision.Offers[0];
        Assert.Equal("five", top.OfferId);
        var score = top.Score!;
        Assert.Equal(prediction.Uplift * 100 * 0.3, score.IncrementalMargin, 9);
        Assert.Equal(prediction.TreatedProbability * 5, score.ExpectedCost, 9);
        Assert.Equal(score.IncrementalMargin - score.ExpectedCost, score.IncrementalProfit, 9);
        Assert.True(decision.Offers[1].Score!.IncrementalProfit < score.IncrementalProfit);
        Assert.NotEmpty(decision.Trace.Contributions);
        Assert.StartsWith("linear_uplift", decision.Trace.Model, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decide_PriorityFactor_SwitchesTheOrderWhenWeighted()
    {
        var low = Campaign("low", Amount("a", 5));
        var high = Campaign("high", Amount("b", 20)) with { Priority = 10 };
        var user = new UserSnapshot("u", Profile(30, 4, 100), attributes: new Dictionary<string, double> { ["history"] = 1 });
        var byValue = await Decide(Engine(UpliftModel(), new DecisionOptions { PriorityWeight = 0 }, low, high), new DecisionRequest("u", "home"), user);
        var byPriority = await Decide(Engine(UpliftModel(), new DecisionOptions { PriorityWeight = 100 }, low, high), new DecisionRequest("u", "home"), user);
        Assert.Equal("a", byValue.Offers.Single().OfferId);
        Assert.Equal("b", byPriority.Offers.Single().OfferId);
    }

    [Fact]
    public async Task Decide_FrequencyCap_StopsServingUntilTheWindowPasses()
    {
        var clock = new ManualClock(Now);
        var state = new InProcessOnlineState(clock);
        var capped = Campaign("capped", Amount("a", 5)) with { FrequencyCap = new FrequencyCap(2, 24) };
        var engine = Engine(capped);
        var served = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            served.Add((await engine.DecideAsync($"d{i}", new DecisionRequest("u", "home"), null, state, null, clock.GetUtcNow())).Offers.Count);
        }

        clock.Advance(TimeSpan.FromHours(25));
        served.Add((await engine.DecideAsync("d4", new DecisionRequest("u", "home"), null, state, null, clock.GetUtcNow())).Offers.Count);
        var other = await engine.DecideAsync("d5", new DecisionRequest("v", "home"), null, state, null, clock.GetUtcNow());

        Assert.Equal([1, 1, 0, 1], served);
        Assert.Single(other.Offers);
    }

    [Fact]
    public async Task Decide_NothingQualifies_ServesTheFallbackMarked()
    {
        var engine = Engine(null, new DecisionOptions { Fallback = new OfferDefinition("free_ship", OfferType.FreeShipping, Amount: 4.95m) },
            Campaign("members", new OfferDefinition("m", OfferType.MemberPrice, Price: 9.99m, Scope: new OfferScope(Items: ["sku1"]))));
        var decision = await Decide(engine, new DecisionRequest("u", "home", IsMember: false));
        var offer = Assert.Single(decision.Offers);
        Assert.True(offer.Fallback);
        Assert.Equal("free_ship", offer.OfferId);
        Assert.Equal(1, decision.Trace.Rejections["membership"]);
        Assert.Empty(DecisionRecord.From(decision).Offers);
    }

    [Fact]
    public async Task Decide_MinimumBasketAndSpentBudget_RejectOffers()
    {
        var threshold = Campaign("spend", new OfferDefinition("t", OfferType.SpendThreshold, Tiers: [new OfferTier(100, 10)], MinimumBasket: 50));
        var budgeted = Campaign("budget", Amount("b", 10)) with { Budget = 1000 };
        var engine = Engine(threshold, budgeted);
        var spend = new Dictionary<string, CampaignSpend> { ["budget"] = new(99_500, 80) };
        var small = await Decide(engine, new DecisionRequest("u", "home", Cart: [new CartLine("x", 1, 20m)], Limit: 5), spend: spend);
        var big = await Decide(engine, new DecisionRequest("u", "home", Cart: [new CartLine("x", 3, 20m)], Limit: 5), spend: spend);

        Assert.Empty(small.Offers);
        Assert.Equal(1, small.Trace.Rejections["minimum_basket"]);
        Assert.Equal(1, small.Trace.Rejections["budget"]);
        Assert.Equal(["t"], big.Offers.Select(o => o.OfferId));
    }

    [Fact]
    public async Task Decide_Explain_TracesEveryOfferConsideredOnce()
    {
        var random = new Random(17);
        var campaigns = Enumerable.Range(0, 20).Select(c => Campaign($"c{c}", [.. Enumerable.Range(0, 5).Select(o => Amount($"c{c}o{o}", random.Next(1, 30), random.Next(0, 3)))])
            with { Audience = c % 3 == 0 ? "history > 0.5" : null, HoldoutFraction = 0.1 }).ToArray();
        var engine = Engine(UpliftModel(), null, campaigns);
        for (var i = 0; i < 200; i++)
        {
            var user = new UserSnapshot($"u{i}", Profile(random.Next(1, 300), random.Next(1, 10), random.Next(10, 200)), attributes: new Dictionary<string, double> { ["history"] = random.NextDouble() });
            var request = new DecisionRequest(user.UserId, "home", Limit: 3, Explain: true);
            var decision = await Decide(engine, request, user);
            Assert.Equal(100, decision.Trace.OffersConsidered);
            Assert.Equal(100, decision.Trace.Entries.Count);
            Assert.Equal(decision.Trace.Entries.Count, decision.Trace.Entries.Select(e => (e.CampaignId, e.OfferId)).Distinct().Count());
            Assert.True(decision.Offers.Count <= 3);
            Assert.Equal(decision.Offers.Count, decision.Offers.Select(o => o.CampaignId).Distinct().Count());
            var scores = decision.Offers.Select(o => o.Score!.Total).ToList();
            Assert.Equal(scores.OrderDescending(), scores);

            // Pure ranking: the same inputs rank the same way.
            var again = engine.Rank(request, user, null, null, Now);
            var first = engine.Rank(request, user, null, null, Now);
            Assert.Equal(first.Eligible.Select(c => c.OfferId), again.Eligible.Select(c => c.OfferId));
        }
    }

    [Fact]
    public async Task Decide_ManyRandomCatalogs_TakesTheFirstOfferOfEachCampaignInRankOrder()
    {
        // The decision picks each campaign's best offer without ranking every offer; it must agree with the full ranking.
        var random = new Random(11);
        var model = UpliftModel();
        for (var round = 0; round < 300; round++)
        {
            var campaigns = Enumerable.Range(0, random.Next(1, 12)).Select(c => Campaign($"c{c:00}", [.. Enumerable.Range(0, random.Next(1, 6)).Select(o =>
                new OfferDefinition($"o{o}", OfferType.AmountOff, Amount: random.Next(1, 4) * 5, Priority: random.Next(0, 3), MinimumBasket: random.Next(3) == 0 ? 50 : 0))])
                with { Priority = random.Next(0, 3) }).ToArray();
            var engine = Engine(model, new DecisionOptions { PriorityWeight = random.Next(0, 2) }, campaigns);
            var user = new UserSnapshot("u", Profile(30, 3, 40), attributes: new Dictionary<string, double> { ["history"] = random.NextDouble() });
            var request = new DecisionRequest("u", "home", Limit: random.Next(1, 5), Cart: [new CartLine("i", 1, random.Next(0, 100))]);

            var decision = await Decide(engine, request, user);
            var expected = engine.Rank(request, user, null, null, Now).Eligible.DistinctBy(c => c.CampaignId).Take(request.Limit).Select(c => (c.CampaignId, c.OfferId, c.Score.Total));

            Assert.Equal(expected, decision.Offers.Select(o => (o.CampaignId, o.OfferId, o.Score!.Total)));
        }
    }

    [Fact]
    public void Redemptions_Claim_ChargesTheCostOrAGivenAmountWithinTheOffersMost()
    {
        var campaign = Campaign("c", Amount("a", 10), new OfferDefinition("p", OfferType.PercentOff, Percent: 0.2m)) with { Budget = 500, PerUserRedemptions = 1 };
        var record = new DecisionRecord("d", "u", Now, [new GrantedOffer("c", "a", 10), new GrantedOffer("c", "p", null)]);
        var byCost = Redemptions.Claim(record, "a", null, "k1", campaign);
        Assert.Equal(1000, byCost.AmountCents);
        Assert.Equal(50_000, byCost.CampaignBudgetCents);
        Assert.Equal(1, byCost.PerUserRedemptions);
        Assert.Equal(1234, Redemptions.Claim(record, "p", 12.34m, "k2", campaign).AmountCents);
        Assert.Contains("more than offer 'a' can give", Assert.Throws<ArgumentException>(() => Redemptions.Claim(record, "a", 10.01m, "k3", campaign)).Message, StringComparison.Ordinal);
        Assert.Contains("must give the discount amount", Assert.Throws<ArgumentException>(() => Redemptions.Claim(record, "p", null, "k4", campaign)).Message, StringComparison.Ordinal);
        Assert.Contains("did not grant", Assert.Throws<ArgumentException>(() => Redemptions.Claim(record, "zzz", null, "k5", campaign)).Message, StringComparison.Ordinal);
    }

    /// <summary>A model where the offer lifts conversion by more for shoppers with a higher "history".</summary>
    private static LinearUpliftModel UpliftModel()
    {
        var random = new Random(1);
        var rows = new List<IReadOnlyDictionary<string, double>>();
        var treated = new List<bool>();
        var converted = new List<bool>();
        for (var i = 0; i < 4_000; i++)
        {
            var history = random.NextDouble();
            var t = i % 2 == 0;
            rows.Add(new Dictionary<string, double> { ["history"] = history });
            treated.Add(t);
            converted.Add(random.NextDouble() < 0.1 + (t ? 0.2 * history : 0));
        }

        return LinearUpliftModel.Fit(["history"], rows, treated, converted, source: "synthetic");
    }
}

public class RecommendingUserDirectoryTests
{
    [Fact]
    public void Find_KnownShopper_AddsRecommendationsOnceAndKeepsTheRest()
    {
        var calls = 0;
        var inner = new UserDirectory([new UserSnapshot("u", attributes: new Dictionary<string, double> { ["history"] = 3 })]);
        var directory = new RecommendingUserDirectory(inner, id =>
        {
            calls++;
            return [new ScoredItem($"{id}-item", 0.9)];
        });

        var first = directory.Find("u")!;
        var second = directory.Find("u")!;
        Assert.Equal("u-item", Assert.Single(first.Recommendations).ItemId);
        Assert.Same(first, second);
        Assert.Equal(1, calls);
        Assert.Equal(3, first.Features["history"]);
        Assert.Null(directory.Find("stranger"));
    }
}
