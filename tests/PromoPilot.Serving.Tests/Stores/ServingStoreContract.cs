using System.Text.Json;
using PromoPilot.Core.Campaigns;
using PromoPilot.Core.Serving;
using PromoPilot.Ingestion.Tests.Support;

namespace PromoPilot.Serving.Tests.Stores;

/// <summary>
/// The contract of <see cref="IServingStore"/>, run once per implementation (DuckDB, PostgreSQL): optimistic versions,
/// audit written with the change it records (and not without it), event dedupe, concurrent appends all durable and
/// counted once, and everything still there after the store is closed and opened again.
/// </summary>
public abstract class ServingStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    protected IServingStore Store { get; private set; } = null!;

    /// <summary>Opens the store of this test (the same location every time, so a reopen finds what was written).</summary>
    protected abstract Task<IServingStore> OpenAsync();

    /// <summary>Reads every stored event straight from the database, on a connection of its own.</summary>
    protected abstract Task<IReadOnlyList<ServedEvent>> ReadEventsAsync();

    /// <summary>Event transactions the store has committed.</summary>
    protected abstract long EventCommits { get; }

    /// <summary>Creates the test's location (an empty folder, an empty schema).</summary>
    protected abstract Task CreateLocationAsync();

    /// <summary>Removes the test's location.</summary>
    protected abstract Task DropLocationAsync();

    public async Task InitializeAsync()
    {
        await CreateLocationAsync();
        Store = await OpenAsync();
    }

    public async Task DisposeAsync()
    {
        await Store.DisposeAsync();
        await DropLocationAsync();
    }

    protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        Store = await OpenAsync();
    }

    protected static CampaignDefinition Campaign(string id = "spring-sale", string name = "Spring sale", decimal? budget = 5000m) => new(
        id,
        name,
        [
            new OfferDefinition("ten-off", OfferType.PercentOff, "10% off", Percent: 0.1m, Cap: 20m, PerUserLimit: 2),
            new OfferDefinition("five", OfferType.AmountOff, "5 off", Amount: 5m, Stock: 100, Scope: new OfferScope(Categories: ["shoes"])),
        ],
        Status: CampaignStatus.Live,
        Starts: T0,
        Ends: T0.AddDays(30),
        Audience: "orders_90d >= 1",
        Channels: ["web", "app"],
        Budget: budget,
        MaxRedemptions: 1000,
        PerUserRedemptions: 3,
        FrequencyCap: new FrequencyCap(3, 24),
        HoldoutFraction: 0.1);

    protected static AuditEntry Audit(string action, string id, int minute = 0, string? detail = null) =>
        new(T0.AddMinutes(minute), "ops-key", "admin", action, "campaign", id, detail);

    protected static string Json(CampaignDefinition campaign) => JsonSerializer.Serialize(campaign, CampaignJson.Options);

    protected static ServedEvent Event(string id, string user = "u1", int second = 0) =>
        new(id, user, "view", T0.AddSeconds(second), T0.AddSeconds(second + 1), ItemId: "item-7");

    [ContractFact]
    public async Task SaveCampaign_New_VersionOneAndLoadedAsSaved()
    {
        var saved = await Store.SaveCampaignAsync(Campaign(), 0, Audit("create", "spring-sale"));
        Assert.Equal(1, saved.Version);
        Assert.Equal(T0, saved.UpdatedAt);

        var loaded = Assert.Single(await Store.LoadCampaignsAsync());
        Assert.Equal(1, loaded.Version);
        Assert.Equal(T0, loaded.UpdatedAt);
        Assert.Equal(Json(Campaign()), Json(loaded.Definition));
    }

    [ContractFact]
    public async Task SaveCampaign_CurrentVersion_IncrementsAndReplaces()
    {
        await Store.SaveCampaignAsync(Campaign(), 0, Audit("create", "spring-sale"));
        var updated = await Store.SaveCampaignAsync(Campaign(budget: 9000m), 1, Audit("update", "spring-sale", 5));
        Assert.Equal(2, updated.Version);
        await Store.SaveCampaignAsync(Campaign("other", "Other"), 0, Audit("create", "other", 6));

        var loaded = await Store.LoadCampaignsAsync();
        Assert.Equal(["other", "spring-sale"], loaded.Select(c => c.Definition.Id).Order(StringComparer.Ordinal));
        var spring = loaded.Single(c => c.Definition.Id == "spring-sale");
        Assert.Equal(2, spring.Version);
        Assert.Equal(9000m, spring.Definition.Budget);
        Assert.Equal(T0.AddMinutes(5), spring.UpdatedAt);
    }

    [ContractFact]
    public async Task SaveCampaign_WrongVersion_ConflictAndNothingWrittenNorAudited()
    {
        await Store.SaveCampaignAsync(Campaign(), 0, Audit("create", "spring-sale"));
        await Store.SaveCampaignAsync(Campaign(budget: 6000m), 1, Audit("update", "spring-sale", 1));

        await Assert.ThrowsAsync<VersionConflictException>(() => Store.SaveCampaignAsync(Campaign(budget: 1m), 1, Audit("stale", "spring-sale", 2)));
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.SaveCampaignAsync(Campaign(budget: 2m), 0, Audit("recreate", "spring-sale", 3)));
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.SaveCampaignAsync(Campaign(budget: 3m), 7, Audit("future", "spring-sale", 4)));
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.SaveCampaignAsync(Campaign("missing", "Missing"), 1, Audit("update", "missing", 5)));

        var loaded = Assert.Single(await Store.LoadCampaignsAsync());
        Assert.Equal(2, loaded.Version);
        Assert.Equal(6000m, loaded.Definition.Budget);
        Assert.Equal(["update", "create"], (await Store.LoadAuditAsync(100)).Select(a => a.Action));
    }

    [ContractFact]
    public async Task SaveCampaign_ConcurrentUpdatesOfOneVersion_ExactlyOneWins()
    {
        await Store.SaveCampaignAsync(Campaign(), 0, Audit("create", "spring-sale"));
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await Store.SaveCampaignAsync(Campaign(budget: 100m + i), 1, Audit($"update-{i}", "spring-sale", i + 1));
                return i;
            }
            catch (VersionConflictException)
            {
                return -1;
            }
        })));

        var winner = Assert.Single(attempts, a => a >= 0);
        var loaded = Assert.Single(await Store.LoadCampaignsAsync());
        Assert.Equal(2, loaded.Version);
        Assert.Equal(100m + winner, loaded.Definition.Budget);
        Assert.Equal([$"update-{winner}", "create"], (await Store.LoadAuditAsync(100)).Select(a => a.Action));
    }

    [ContractFact]
    public async Task SaveExperiment_Versions_LikeCampaigns()
    {
        var first = await Store.SaveExperimentAsync("hero-test", """{"variants":["a","b"]}""", 0, Audit("create", "hero-test"));
        Assert.Equal(new StoredExperiment("hero-test", """{"variants":["a","b"]}""", 1, T0), first);
        var second = await Store.SaveExperimentAsync("hero-test", """{"variants":["a","b","c"]}""", 1, Audit("update", "hero-test", 1));
        Assert.Equal(2, second.Version);
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.SaveExperimentAsync("hero-test", "{}", 1, Audit("stale", "hero-test", 2)));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SaveExperimentAsync("bad", "{not json", 0, Audit("create", "bad", 3)));

        var loaded = Assert.Single(await Store.LoadExperimentsAsync());
        Assert.Equal(new StoredExperiment("hero-test", """{"variants":["a","b","c"]}""", 2, T0.AddMinutes(1)), loaded);
        Assert.Equal(2, (await Store.LoadAuditAsync(100)).Count);
    }

    [ContractFact]
    public async Task SaveApiKey_AddThenRevoke_ReplacedByIdAndAudited()
    {
        var key = new StoredApiKey("k-1", "storefront", "decision_client", "ab12", T0, Revoked: false);
        await Store.SaveApiKeyAsync(key, Audit("create_key", "k-1"));
        await Store.SaveApiKeyAsync(new StoredApiKey("k-2", "analyst", "analyst", "cd34", T0.AddMinutes(1), false), Audit("create_key", "k-2", 1));
        await Store.SaveApiKeyAsync(key with { Revoked = true }, Audit("revoke_key", "k-1", 2));

        var keys = await Store.LoadApiKeysAsync();
        Assert.Equal([key with { Revoked = true }, new StoredApiKey("k-2", "analyst", "analyst", "cd34", T0.AddMinutes(1), false)], keys);
        Assert.Equal(["revoke_key", "create_key", "create_key"], (await Store.LoadAuditAsync(10)).Select(a => a.Action));
    }

    [ContractFact]
    public async Task LoadAudit_Limit_NewestFirstWithAllFields()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.SaveExperimentAsync($"e{i}", "{}", 0, Audit($"create-{i}", $"e{i}", i, i % 2 == 0 ? $$"""{"n":{{i}}}""" : null));
        }

        var entries = await Store.LoadAuditAsync(3);
        Assert.Equal(
            [Audit("create-4", "e4", 4, """{"n":4}"""), Audit("create-3", "e3", 3), Audit("create-2", "e2", 2, """{"n":2}""")],
            entries);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.LoadAuditAsync(0));
    }

    [ContractFact]
    public async Task AppendEvents_RepeatedIds_StoredOnce()
    {
        Assert.Equal(new EventAppendResult(3, 1), await Store.AppendEventsAsync([Event("e1"), Event("e2"), Event("e1"), Event("e3")]));
        Assert.Equal(new EventAppendResult(1, 2), await Store.AppendEventsAsync([Event("e3"), Event("e4"), Event("e1")]));
        Assert.Equal(new EventAppendResult(0, 0), await Store.AppendEventsAsync([]));
        Assert.Equal(4, await Store.CountEventsAsync());
    }

    [ContractFact]
    public async Task AppendEvents_EveryField_ReadBackAsWritten()
    {
        ServedEvent[] events =
        [
            new("p1", "u1", "purchase", T0.AddMilliseconds(1.5), T0.AddSeconds(2), "item-1", 3, 12.99m, "order-9", "dec-1", "ten-off"),
            new("v1", "u2", "view", T0, T0, null, null, null, null, null, null),
            new("c1", "ü-ß-漢字", "add_to_cart", T0.AddDays(-400), T0, "item-'quoted'", 1, 0.0001m),
        ];
        await Store.AppendEventsAsync(events);

        var stored = (await ReadEventsAsync()).OrderBy(e => e.EventId, StringComparer.Ordinal).ToList();
        Assert.Equal(events.OrderBy(e => e.EventId, StringComparer.Ordinal), stored);
    }

    [ContractFact]
    public async Task AppendEvents_Invalid_ArgumentExceptionAndNothingStored()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendEventsAsync([Event("ok"), Event("")]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendEventsAsync([Event("ok"), null!]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendEventsAsync([Event("ok"), Event("nul\0")]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendEventsAsync([Event("ok"), Event("lone-\uD800-surrogate")]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendEventsAsync([Event("ok"), Event("ok2", user: null!)]));
        Assert.Equal(0, await Store.CountEventsAsync());
    }

    /// <summary>
    /// 16 writers, 40 batches of 100 each, a fifth of the ids shared between writers (retried batches): every event
    /// is stored once, the writers' Stored counts add up to the distinct ids, and all of them are there after a reopen.
    /// </summary>
    [ContractFact]
    public async Task AppendEvents_ConcurrentWriters_AllDurableAndCountedOnce()
    {
        const int writers = 16;
        const int batches = 40;
        var results = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(77 + w);
            var ids = new List<string>();
            var total = new EventAppendResult(0, 0);
            for (var b = 0; b < batches; b++)
            {
                var batch = new ServedEvent[100];
                for (var i = 0; i < batch.Length; i++)
                {
                    var id = random.NextDouble() < 0.2 ? $"shared-{random.Next(2000)}" : $"w{w}-b{b}-{i}";
                    ids.Add(id);
                    batch[i] = Event(id, $"u{random.Next(100)}", random.Next(3600));
                }

                var result = await Store.AppendEventsAsync(batch);
                total = new EventAppendResult(total.Stored + result.Stored, total.Duplicates + result.Duplicates);
            }

            return (Ids: ids, Total: total);
        })));

        var distinct = results.SelectMany(r => r.Ids).ToHashSet(StringComparer.Ordinal);
        Assert.InRange(EventCommits, 1, (writers * batches) - 1); // callers shared commits (group commit)
        Assert.Equal(writers * batches * 100, results.Sum(r => r.Total.Stored + r.Total.Duplicates));
        Assert.Equal(distinct.Count, results.Sum(r => r.Total.Stored));
        Assert.Equal(distinct.Count, await Store.CountEventsAsync());

        await ReopenAsync();
        Assert.Equal(distinct.Count, await Store.CountEventsAsync());
        Assert.True(distinct.SetEquals((await ReadEventsAsync()).Select(e => e.EventId)));
    }

    [ContractFact]
    public async Task AppendEvents_Acknowledged_VisibleOnAnotherConnection()
    {
        for (var i = 0; i < 20; i++)
        {
            await Store.AppendEventsAsync([Event($"a{i}"), Event($"b{i}")]);
            Assert.Equal(2 * (i + 1), (await ReadEventsAsync()).Count);
        }
    }

    [ContractFact]
    public async Task Reopen_AfterDispose_KeepsEverything()
    {
        await Store.SaveCampaignAsync(Campaign(), 0, Audit("create", "spring-sale"));
        await Store.SaveCampaignAsync(Campaign(budget: 7000m), 1, Audit("update", "spring-sale", 1));
        await Store.SaveExperimentAsync("x", """{"a":1}""", 0, Audit("create", "x", 2));
        await Store.SaveApiKeyAsync(new StoredApiKey("k", "n", "admin", "h", T0, false), Audit("create_key", "k", 3));
        await Store.AppendEventsAsync([Event("e1"), Event("e2")]);

        await ReopenAsync();

        var campaign = Assert.Single(await Store.LoadCampaignsAsync());
        Assert.Equal((2, 7000m), (campaign.Version, campaign.Definition.Budget));
        Assert.Equal(1, Assert.Single(await Store.LoadExperimentsAsync()).Version);
        Assert.Equal("k", Assert.Single(await Store.LoadApiKeysAsync()).Id);
        Assert.Equal(["create_key", "create", "update", "create"], (await Store.LoadAuditAsync(10)).Select(a => a.Action));
        Assert.Equal(2, await Store.CountEventsAsync());
        Assert.Equal(new EventAppendResult(1, 1), await Store.AppendEventsAsync([Event("e2"), Event("e3")]));
        await Assert.ThrowsAsync<VersionConflictException>(() => Store.SaveCampaignAsync(Campaign(), 1, Audit("stale", "spring-sale", 9)));
    }

    [ContractFact]
    public async Task AppendEvents_AfterDispose_ObjectDisposed()
    {
        await Store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.AppendEventsAsync([Event("late")]));
        Store = await OpenAsync();
        Assert.Equal(0, await Store.CountEventsAsync());
    }
}
