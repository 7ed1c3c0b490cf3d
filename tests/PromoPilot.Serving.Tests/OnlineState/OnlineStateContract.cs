using PromoPilot.Core.Serving;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Serving.Tests.OnlineState;

/// <summary>
/// The contract of <see cref="IOnlineState"/>, run once per implementation (in-process and Redis): caps with expiry,
/// every redemption limit and their order, idempotent replays, stored values with a time to live, feature deltas, and
/// exact limits under contention. The in-process state is the reference semantics.
/// </summary>
public abstract class OnlineStateContract : IAsyncLifetime
{
    /// <summary>The state under test, fresh for each test.</summary>
    protected IOnlineState State { get; set; } = null!;

    /// <summary>The cap window and value lifetime of the expiry tests.</summary>
    protected abstract TimeSpan Window { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    /// <summary>Lets <paramref name="span"/> pass (a fake clock moves; a real server is waited for).</summary>
    protected abstract Task PassAsync(TimeSpan span);

    /// <summary>A second state over the same shared counters (another server), or the same state when in-process.</summary>
    protected virtual IOnlineState SecondServer => State;

    protected static RedemptionClaim Claim(
        string key, long amount = 100, string user = "u1", string campaign = "c1", string offer = "o1",
        long? budget = null, long? max = null, long? perUser = null, long? offerBudget = null, long? stock = null, long? offerPerUser = null) =>
        new(key, user, campaign, offer, amount, budget, max, perUser, offerBudget, stock, offerPerUser);

    [ContractFact]
    public async Task TryClaimImpression_NoCap_AlwaysGranted()
    {
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await State.TryClaimImpressionAsync(new ImpressionClaim("u1", "c1", "o1", null, Window)));
        }
    }

    [ContractFact]
    public async Task TryClaimImpression_CapReached_RefusedUntilWindowEnds()
    {
        var claim = new ImpressionClaim("u1", "c1", "o1", 3, Window);
        Assert.True(await State.TryClaimImpressionAsync(claim));
        Assert.True(await State.TryClaimImpressionAsync(claim with { OfferId = "o2" })); // the cap is per campaign, any offer
        Assert.True(await State.TryClaimImpressionAsync(claim));
        Assert.False(await State.TryClaimImpressionAsync(claim));
        Assert.False(await State.TryClaimImpressionAsync(claim));
        Assert.True(await State.TryClaimImpressionAsync(claim with { UserId = "u2" }));
        Assert.True(await State.TryClaimImpressionAsync(claim with { CampaignId = "c2" }));

        await PassAsync(Window + (Window / 4));
        Assert.True(await State.TryClaimImpressionAsync(claim));
        Assert.True(await State.TryClaimImpressionAsync(claim));
        Assert.True(await State.TryClaimImpressionAsync(claim));
        Assert.False(await State.TryClaimImpressionAsync(claim));
    }

    [ContractFact]
    public async Task TryClaimImpression_CapZero_AlwaysRefused()
    {
        Assert.False(await State.TryClaimImpressionAsync(new ImpressionClaim("u1", "c1", "o1", 0, Window)));
        Assert.False(await State.TryClaimImpressionAsync(new ImpressionClaim("u1", "c1", "o1", 0, Window)));
    }

    [ContractFact]
    public async Task Redeem_WithinLimits_GrantedAndSpendCounted()
    {
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 100, false), await State.RedeemAsync(Claim("k1", 100)));
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 250, false), await State.RedeemAsync(Claim("k2", 250, user: "u2")));
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 0, false), await State.RedeemAsync(Claim("k3", 0)));
        Assert.Equal(new CampaignSpend(350, 3), await State.GetSpendAsync("c1"));
        Assert.Equal(default, await State.GetSpendAsync("c2"));
    }

    [ContractFact]
    public async Task Redeem_BudgetWouldBeExceeded_RefusedWithoutSpending()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k1", 300, budget: 500))).Status);
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.CampaignBudgetExhausted, 0, false), await State.RedeemAsync(Claim("k2", 250, budget: 500)));
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k3", 200, budget: 500))).Status); // exactly the budget
        Assert.Equal(RedemptionStatus.CampaignBudgetExhausted, (await State.RedeemAsync(Claim("k4", 1, budget: 500))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k5", 0, budget: 500))).Status); // nothing to pay
        Assert.Equal(new CampaignSpend(500, 3), await State.GetSpendAsync("c1"));
    }

    [ContractFact]
    public async Task Redeem_MaxRedemptionsReached_Refused()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k1", max: 2))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k2", user: "u2", max: 2))).Status);
        Assert.Equal(RedemptionStatus.CampaignRedemptionLimit, (await State.RedeemAsync(Claim("k3", user: "u3", max: 2))).Status);
        Assert.Equal(new CampaignSpend(200, 2), await State.GetSpendAsync("c1"));
    }

    [ContractFact]
    public async Task Redeem_PerUserLimitReached_RefusedForThatUserOnly()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k1", perUser: 1))).Status);
        Assert.Equal(RedemptionStatus.UserLimit, (await State.RedeemAsync(Claim("k2", offer: "o2", perUser: 1))).Status); // any offer of the campaign
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k3", user: "u2", perUser: 1))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k4", campaign: "c2", perUser: 1))).Status);
    }

    [ContractFact]
    public async Task Redeem_OfferBudgetReached_RefusedForThatOfferOnly()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k1", 100, offerBudget: 150))).Status);
        Assert.Equal(RedemptionStatus.OfferBudgetExhausted, (await State.RedeemAsync(Claim("k2", 100, user: "u2", offerBudget: 150))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k3", 50, user: "u2", offerBudget: 150))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k4", 100, user: "u2", offer: "o2", offerBudget: 150))).Status);
        Assert.Equal(new CampaignSpend(250, 3), await State.GetSpendAsync("c1"));
    }

    [ContractFact]
    public async Task Redeem_OfferStockExhausted_OutOfStock()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k1", user: "u1", stock: 2))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k2", user: "u2", stock: 2))).Status);
        Assert.Equal(RedemptionStatus.OutOfStock, (await State.RedeemAsync(Claim("k3", user: "u3", stock: 2))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k4", user: "u3", offer: "o2", stock: 2))).Status);
    }

    [ContractFact]
    public async Task Redeem_OfferPerUserLimitReached_RefusedForThatUserAndOfferOnly()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k1", offerPerUser: 1))).Status);
        Assert.Equal(RedemptionStatus.OfferUserLimit, (await State.RedeemAsync(Claim("k2", offerPerUser: 1))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k3", offer: "o2", offerPerUser: 1))).Status);
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("k4", user: "u2", offerPerUser: 1))).Status);
    }

    [ContractFact]
    public async Task Redeem_EveryLimitReached_FirstInOrderReported()
    {
        Assert.Equal(RedemptionStatus.Granted, (await State.RedeemAsync(Claim("first", 100))).Status);
        RedemptionClaim all = Claim("next", 100, budget: 150, max: 1, perUser: 1, offerBudget: 150, stock: 1, offerPerUser: 1);
        var expected = new (RedemptionStatus Status, RedemptionClaim Claim)[]
        {
            (RedemptionStatus.CampaignBudgetExhausted, all),
            (RedemptionStatus.CampaignRedemptionLimit, all = all with { CampaignBudgetCents = null }),
            (RedemptionStatus.UserLimit, all = all with { CampaignMaxRedemptions = null }),
            (RedemptionStatus.OfferBudgetExhausted, all = all with { PerUserRedemptions = null }),
            (RedemptionStatus.OutOfStock, all = all with { OfferBudgetCents = null }),
            (RedemptionStatus.OfferUserLimit, all = all with { OfferStock = null }),
            (RedemptionStatus.Granted, all with { OfferPerUserLimit = null }),
        };
        foreach (var (status, claim) in expected)
        {
            Assert.Equal(status, (await State.RedeemAsync(claim)).Status);
        }
    }

    [ContractFact]
    public async Task Redeem_SameKeyAfterGrant_ReplaysFirstAnswerAndSpendsNothing()
    {
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 120, false), await State.RedeemAsync(Claim("k1", 120, budget: 1000)));
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 120, true), await State.RedeemAsync(Claim("k1", 120, budget: 1000)));
        // The first answer stands even if the retry differs (a retry must not become a second, larger grant).
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 120, true), await SecondServer.RedeemAsync(Claim("k1", 999, budget: 100)));
        Assert.Equal(new CampaignSpend(120, 1), await State.GetSpendAsync("c1"));
    }

    [ContractFact]
    public async Task Redeem_SameKeyAfterRefusal_NotRememberedSoRetryMayBeGranted()
    {
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.CampaignBudgetExhausted, 0, false), await State.RedeemAsync(Claim("k1", 100, budget: 50)));
        Assert.Equal(new RedemptionOutcome(RedemptionStatus.Granted, 100, false), await State.RedeemAsync(Claim("k1", 100, budget: 200)));
        Assert.Equal(new CampaignSpend(100, 1), await State.GetSpendAsync("c1"));
    }

    [ContractFact]
    public async Task Redeem_SameKeyInAnotherCampaign_IsAnotherRedemption()
    {
        Assert.False((await State.RedeemAsync(Claim("k1", 100, campaign: "c1"))).Replayed);
        Assert.False((await State.RedeemAsync(Claim("k1", 100, campaign: "c2"))).Replayed);
        Assert.Equal(new CampaignSpend(100, 1), await State.GetSpendAsync("c2"));
    }

    [ContractFact]
    public async Task GetOrAdd_RepeatedKey_FirstValueWinsUntilItExpires()
    {
        Assert.Null(await State.GetAsync("decision:1"));
        Assert.Equal("first", await State.GetOrAddAsync("decision:1", "first", Window));
        Assert.Equal("first", await SecondServer.GetOrAddAsync("decision:1", "second", Window));
        Assert.Equal("first", await State.GetAsync("decision:1"));
        Assert.Equal("other", await State.GetOrAddAsync("decision:2", "other", Window * 10));

        await PassAsync(Window + (Window / 4));
        Assert.Null(await State.GetAsync("decision:1"));
        Assert.Equal("other", await State.GetAsync("decision:2"));
        Assert.Equal("third", await State.GetOrAddAsync("decision:1", "third", Window));
        Assert.Equal("third", await State.GetAsync("decision:1"));
    }

    [ContractFact]
    public async Task AddFeatures_Deltas_AddUpPerUser()
    {
        Assert.Empty(await State.GetFeaturesAsync("u1"));
        await State.AddFeaturesAsync("u1", [new("views", 1), new("cart_adds", 2)]);
        await SecondServer.AddFeaturesAsync("u1", [new("views", 2.5), new("spend", -0.25)]);
        await State.AddFeaturesAsync("u2", [new("views", 7)]);
        await State.AddFeaturesAsync("u1", []);

        var features = await State.GetFeaturesAsync("u1");
        Assert.Equal(3, features.Count);
        Assert.Equal(3.5, features["views"], 12);
        Assert.Equal(2.0, features["cart_adds"], 12);
        Assert.Equal(-0.25, features["spend"], 12);
        Assert.Equal(7.0, (await State.GetFeaturesAsync("u2"))["views"], 12);
    }

    /// <summary>
    /// 64 concurrent clients, 20,000 redemptions of random amounts against a budget far below the demand, about a tenth
    /// of them retries of an earlier claim. Exact: the spend equals the sum of granted answers and stays within the budget,
    /// no budget refusal happened while the final remainder could have paid it, and no retry spent twice.
    /// </summary>
    [ContractFact]
    public async Task Redeem_ConcurrentClients_BudgetExactAndRetriesNeverDoubleSpend()
    {
        const long budget = 250_000; // cents; the demand is about 1,000,000
        const int clients = 64;
        const int perClient = 20_000 / clients;
        var answers = new (RedemptionClaim Claim, RedemptionOutcome Outcome)[clients][];
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(1000 + c);
            var mine = new (RedemptionClaim, RedemptionOutcome)[perClient];
            var server = c % 2 == 0 ? State : SecondServer;
            for (var i = 0; i < perClient; i++)
            {
                var claim = i > 0 && random.NextDouble() < 0.1
                    ? mine[random.Next(i)].Item1 // a retry of an earlier claim, same key and amount
                    : Claim($"c{c}-r{i}", random.Next(1, 101), user: $"u{random.Next(500)}", offer: $"o{random.Next(4)}", budget: budget);
                mine[i] = (claim, await server.RedeemAsync(claim));
            }

            answers[c] = mine;
        })));

        var all = answers.SelectMany(a => a).ToList();
        var firstAnswers = new Dictionary<string, RedemptionOutcome>(StringComparer.Ordinal);
        foreach (var (claim, outcome) in all)
        {
            if (outcome.Replayed)
            {
                Assert.True(firstAnswers.TryGetValue(claim.IdempotencyKey, out var first), $"{claim.IdempotencyKey} replayed before it was granted");
                Assert.Equal(first with { Replayed = true }, outcome);
            }
            else
            {
                Assert.False(firstAnswers.TryGetValue(claim.IdempotencyKey, out var earlier) && earlier.Status == RedemptionStatus.Granted, $"{claim.IdempotencyKey} granted twice");
                firstAnswers[claim.IdempotencyKey] = outcome;
            }
        }

        var granted = firstAnswers.Values.Where(o => o.Status == RedemptionStatus.Granted).ToList();
        var spend = await State.GetSpendAsync("c1");
        Assert.Equal(granted.Sum(o => o.AmountCents), spend.SpentCents);
        Assert.Equal(granted.Count, spend.Redemptions);
        Assert.True(spend.SpentCents <= budget, $"spent {spend.SpentCents} of {budget}");
        var refused = all.Where(a => a.Outcome.Status == RedemptionStatus.CampaignBudgetExhausted).ToList();
        Assert.True(refused.Count > 1000, $"the budget should bind: {refused.Count} refusals");
        Assert.All(refused, r => Assert.True(spend.SpentCents + r.Claim.AmountCents > budget, $"{r.Claim.IdempotencyKey} ({r.Claim.AmountCents}) refused though {budget - spend.SpentCents} remained"));
        Assert.Contains(all, a => a.Outcome.Replayed);
    }

    [ContractFact]
    public async Task Redeem_ConcurrentClients_StockAndCountLimitsExact()
    {
        const int clients = 64;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, clients * 20).Select(i => Task.Run(async () =>
        {
            var server = i % 2 == 0 ? State : SecondServer;
            var stock = await server.RedeemAsync(Claim($"s{i}", 10, user: $"u{i % 300}", campaign: "stock", stock: 100, offerPerUser: 2));
            var count = await server.RedeemAsync(Claim($"m{i}", 10, user: $"u{i}", campaign: "count", max: 37));
            return (stock, count);
        })));

        Assert.Equal(100, outcomes.Count(o => o.stock.Status == RedemptionStatus.Granted));
        Assert.Equal(37, outcomes.Count(o => o.count.Status == RedemptionStatus.Granted));
        Assert.Equal(new CampaignSpend(1000, 100), await State.GetSpendAsync("stock"));
        Assert.Equal(new CampaignSpend(370, 37), await State.GetSpendAsync("count"));
    }
}
