using PromoPilot.Core.Serving;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Serving.Tests.Support;
using PromoPilot.Storage.Serving;

namespace PromoPilot.Serving.Tests.OnlineState;

/// <summary>What only the Redis state has: connection, key layout, prefixes, script cache loss.</summary>
public sealed class RedisOnlineStateTests : IAsyncLifetime
{
    private readonly string _prefix = TestRedis.NewPrefix();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestServers.Redis is null ? Task.CompletedTask : TestRedis.DeleteAsync(_prefix);

    [Fact]
    public async Task ConnectAsync_NothingListening_IOExceptionNamingTheEndpoint()
    {
        var e = await Assert.ThrowsAsync<IOException>(() => RedisOnlineState.ConnectAsync("127.0.0.1:1,connectTimeout=500"));
        Assert.Contains("127.0.0.1:1", e.Message, StringComparison.Ordinal);
    }

    [RedisFact]
    public async Task ConnectAsync_HostAndPort_WorksAndOwnsTheConnection()
    {
        await using var state = await RedisOnlineState.ConnectAsync(TestServers.Redis!, _prefix);
        Assert.Equal("v", await state.GetOrAddAsync("k", "v", TimeSpan.FromMinutes(1)));
        Assert.Equal("v", await new RedisOnlineState(TestRedis.Connection, _prefix).GetAsync("k"));
    }

    [RedisFact]
    public void Constructor_PrefixWithBrace_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new RedisOnlineState(TestRedis.Connection, "a{b"));
        Assert.Throws<ArgumentException>(() => new RedisOnlineState(TestRedis.Connection, ""));
    }

    [RedisFact]
    public async Task Redeem_NegativeAmount_ArgumentOutOfRange()
    {
        var state = new RedisOnlineState(TestRedis.Connection, _prefix);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await state.RedeemAsync(new RedemptionClaim("k", "u", "c", "o", -1, null, null, null, null, null, null)));
        Assert.Equal(default, await state.GetSpendAsync("c"));
    }

    [RedisFact]
    public async Task Keys_OneCampaign_ShareOneHashSlotAndStartWithThePrefix()
    {
        var state = new RedisOnlineState(TestRedis.Connection, _prefix);
        for (var i = 0; i < 20; i++)
        {
            await state.RedeemAsync(new RedemptionClaim($"k{i}", $"user-{i}", "spring-sale", $"offer-{i % 3}", 10, 1000, null, 5, null, null, 2));
        }

        var keys = await TestRedis.KeysAsync(_prefix);
        Assert.Equal(1 + 20 + 3 + 20, keys.Count); // campaign, users, offers, answers
        var slots = keys.Select(k => TestRedis.Connection.HashSlot(k)).Distinct().ToList();
        Assert.Single(slots);
        Assert.Equal(TestRedis.Connection.HashSlot("spring-sale"), slots[0]);
    }

    [RedisFact]
    public async Task Redeem_CampaignIdsWithSeparators_NeverShareCounters()
    {
        var state = new RedisOnlineState(TestRedis.Connection, _prefix);
        string[] campaigns = ["a:b", "a%3Ab", "a}b", "a{b", "a", "b"];
        foreach (var campaign in campaigns)
        {
            Assert.Equal(RedemptionStatus.Granted, (await state.RedeemAsync(new RedemptionClaim("k", "u", campaign, "o", 100, 100, null, null, null, null, null))).Status);
        }

        foreach (var campaign in campaigns)
        {
            Assert.Equal(new CampaignSpend(100, 1), await state.GetSpendAsync(campaign));
        }
    }

    [RedisFact]
    public async Task Prefixes_TwoDeployments_DoNotSeeEachOther()
    {
        var other = TestRedis.NewPrefix();
        try
        {
            var mine = new RedisOnlineState(TestRedis.Connection, _prefix);
            var theirs = new RedisOnlineState(TestRedis.Connection, other);
            await mine.RedeemAsync(new RedemptionClaim("k", "u", "c", "o", 100, null, null, null, null, null, null));
            await mine.AddFeaturesAsync("u", [new("views", 1)]);
            Assert.Equal(default, await theirs.GetSpendAsync("c"));
            Assert.Empty(await theirs.GetFeaturesAsync("u"));
            Assert.False((await theirs.RedeemAsync(new RedemptionClaim("k", "u", "c", "o", 100, null, null, null, null, null, null))).Replayed);
        }
        finally
        {
            await TestRedis.DeleteAsync(other);
        }
    }

    [RedisFact]
    public async Task Redeem_AfterScriptCacheFlush_ScriptsReloadAndLimitsHold()
    {
        var state = new RedisOnlineState(TestRedis.Connection, _prefix);
        Assert.Equal(RedemptionStatus.Granted, (await state.RedeemAsync(new RedemptionClaim("k1", "u", "c", "o", 60, 100, null, null, null, null, null))).Status);

        await using (var admin = TestRedis.Connect(admin: true))
        {
            foreach (var server in admin.GetServers())
            {
                await server.ScriptFlushAsync(); // as after a Redis restart: EVALSHA answers NOSCRIPT
            }
        }

        Assert.Equal(RedemptionStatus.CampaignBudgetExhausted, (await state.RedeemAsync(new RedemptionClaim("k2", "u", "c", "o", 60, 100, null, null, null, null, null))).Status);
        Assert.True((await state.RedeemAsync(new RedemptionClaim("k1", "u", "c", "o", 60, 100, null, null, null, null, null))).Replayed);
        Assert.True(await state.TryClaimImpressionAsync(new ImpressionClaim("u", "c", "o", 1, TimeSpan.FromMinutes(1))));
        Assert.Equal(new CampaignSpend(60, 1), await state.GetSpendAsync("c"));
    }

    [RedisFact]
    public async Task RedeemAnswer_Granted_RememberedWithTheConfiguredLifetime()
    {
        var state = new RedisOnlineState(TestRedis.Connection, _prefix, answerTimeToLive: TimeSpan.FromDays(30));
        await state.RedeemAsync(new RedemptionClaim("k1", "u", "c", "o", 60, null, null, null, null, null, null));
        var answer = (await TestRedis.KeysAsync(_prefix)).Single(k => ((string)k!).EndsWith(":r:k1", StringComparison.Ordinal));
        var ttl = await TestRedis.Connection.GetDatabase().KeyTimeToLiveAsync(answer);
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(29.9), TimeSpan.FromDays(30));
    }

    [RedisFact]
    public async Task AddFeatures_NotFinite_ArgumentExceptionAndNothingAdded()
    {
        var state = new RedisOnlineState(TestRedis.Connection, _prefix);
        await Assert.ThrowsAsync<ArgumentException>(async () => await state.AddFeaturesAsync("u", [new("views", 1), new("bad", double.NaN)]));
        Assert.Empty(await state.GetFeaturesAsync("u"));
    }
}
