using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage;
using Xunit.Abstractions;

namespace PromoPilot.Server.Tests;

/// <summary>
/// The guarantees that need real processes: several servers sharing Redis never overspend a budget, and no event
/// acknowledged before a kill -9 is lost or stored twice.
/// </summary>
public sealed class MultiServerTests(ITestOutputHelper output)
{
    private const string AdminKey = "multi-admin-key-0123456789";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Uri server, string path, string json, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path)) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    [RedisPostgresFact]
    public async Task Budget_TwoServersSharingRedis_64Clients_NeverOverspendAndReplaysNeverDoubleSpend()
    {
        using var folder = new TempFolder();
        var schema = $"t_{Guid.NewGuid():N}";
        await AdminAsync($"CREATE SCHEMA {schema}");
        var prefix = $"pp-multi-{Guid.NewGuid():N}";
        var common = new[] { "--redis", TestServers.Redis!, "--redis-prefix", prefix, "--postgres", $"{TestServers.Postgres};Search Path={schema}", "--admin-key", AdminKey };
        await using var first = await ServeProcess.StartAsync(folder.Path, [.. common, "--db", Path.Combine(folder.Path, "a.duckdb")]);
        await using var second = await ServeProcess.StartAsync(folder.Path, [.. common, "--db", Path.Combine(folder.Path, "b.duckdb")]);
        Uri[] servers = [first.Address, second.Address];
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(30) };

        const decimal Budget = 2_500m;
        var campaign = """
            {"id": "flash", "name": "Flash", "status": "live", "budget": 2500, "holdout_fraction": 0,
             "offers": [{"id": "one", "type": "amount_off", "amount": 1}, {"id": "pct", "type": "percent_off", "percent": 0.2, "cap": 2.5, "priority": 1}]}
            """;
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(client, first.Address, "/v1/campaigns", campaign)).StatusCode);
        await WaitUntilServedAsync(client, second.Address, "flash");

        // Phase 1: 64 clients take 51,200 decisions (all granted an offer: nothing is spent yet). Phase 2: they redeem
        // every one at once from both servers, with retries: over 100k requests, the budget allows about 2,000.
        const int Clients = 64;
        const int DecisionsPerClient = 800;
        var decisions = new ConcurrentBag<(int Client, int Index, string Id, string OfferId)>();
        var failures = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(c => Task.Run(async () =>
        {
            var random = new Random(c);
            for (var i = 0; i < DecisionsPerClient; i++)
            {
                var decide = await PostAsync(client, servers[random.Next(2)], "/v1/decisions", $"{{\"user_id\": \"u{c}-{i}\", \"placement\": \"home\"}}");
                if (decide.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"decide {(int)decide.StatusCode}");
                    continue;
                }

                var decision = JsonNode.Parse(await decide.Content.ReadAsStringAsync())!;
                if (decision["offers"]!.AsArray() is [{ } offer, ..])
                {
                    decisions.Add((c, i, decision["decision_id"]!.GetValue<string>(), offer["offer_id"]!.GetValue<string>()));
                }
            }
        })));

        var granted = new ConcurrentBag<long>();
        var conflicts = 0;
        var replays = 0;
        var byClient = decisions.GroupBy(d => d.Client).ToList();
        await Task.WhenAll(byClient.Select(group => Task.Run(async () =>
        {
            var random = new Random(1000 + group.Key);
            foreach (var (c, i, id, offerId) in group)
            {
                var amount = offerId == "pct" ? random.Next(1, 251) / 100m : (decimal?)null;
                var body = amount is null ? $"{{\"offer_id\": \"{offerId}\"}}" : $"{{\"offer_id\": \"{offerId}\", \"amount\": {amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}";
                var key = $"redeem-{c}-{i}";
                var redeem = await PostAsync(client, servers[random.Next(2)], $"/v1/decisions/{id}/redeem", body, key);
                if (redeem.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref conflicts);
                    continue;
                }

                if (redeem.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"redeem {(int)redeem.StatusCode}: {await redeem.Content.ReadAsStringAsync()}");
                    continue;
                }

                var cents = (long)(JsonNode.Parse(await redeem.Content.ReadAsStringAsync())!["amount"]!.GetValue<decimal>() * 100);
                granted.Add(cents);

                // A client retry with the same key on either server: the same answer, nothing spent twice.
                if (random.NextDouble() < 0.3)
                {
                    var retry = JsonNode.Parse(await (await PostAsync(client, servers[random.Next(2)], $"/v1/decisions/{id}/redeem", body, key)).Content.ReadAsStringAsync())!;
                    if (!retry["replayed"]!.GetValue<bool>() || (long)(retry["amount"]!.GetValue<decimal>() * 100) != cents)
                    {
                        failures.Add($"replay of {key} answered {retry.ToJsonString()}");
                    }

                    Interlocked.Increment(ref replays);
                }
            }
        })));

        var view = JsonNode.Parse(await (await GetAsync(client, second.Address, "/v1/campaigns/flash")).Content.ReadAsStringAsync())!;
        var spent = view["spent"]!.GetValue<decimal>();
        var total = granted.Sum() / 100m;
        output.WriteLine($"{decisions.Count} decisions; granted {granted.Count} redemptions worth {total} of {Budget}; refused {conflicts}; replays {replays}; failures {failures.Count}");
        Assert.Empty(failures);
        Assert.True(total <= Budget, $"overspent: {total} > {Budget}");
        Assert.Equal(total, spent);
        Assert.Equal(granted.Count, view["redemptions"]!.GetValue<long>());
        Assert.True(total > Budget - 2.5m, $"the budget was not reached ({total}): the test did not test the limit");
        Assert.Equal(Clients * DecisionsPerClient, decisions.Count);
        Assert.True(conflicts > 0 && replays > 0);
        await AdminAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
    }

    [Fact]
    public async Task Events_KillNineDuringABurst_NoAcknowledgedEventLostNoneTwice()
    {
        using var folder = new TempFolder();
        var db = Path.Combine(folder.Path, "events.duckdb");
        var acknowledged = new ConcurrentBag<string>();
        var unacknowledged = new ConcurrentBag<(string Key, string Body)>();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { Timeout = TimeSpan.FromSeconds(30) };
        var server = await ServeProcess.StartAsync(folder.Path, "--db", db, "--admin-key", AdminKey);
        using var stop = new CancellationTokenSource();
        var senders = Enumerable.Range(0, 16).Select(c => Task.Run(async () =>
        {
            for (var batch = 0; !stop.IsCancellationRequested; batch++)
            {
                var ids = Enumerable.Range(0, 100).Select(i => $"c{c}-b{batch}-e{i}").ToList();
                var body = "[" + string.Join(",", ids.Select(id => $"{{\"event_id\": \"{id}\", \"user_id\": \"u{c}\", \"type\": \"view\", \"item_id\": \"i{batch % 50}\"}}")) + "]";
                try
                {
                    var response = await PostAsync(client, server.Address, "/v1/events", body);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        foreach (var id in ids)
                        {
                            acknowledged.Add(id);
                        }

                        continue;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                unacknowledged.Add(($"c{c}-b{batch}", body));
                await Task.Delay(50);
            }
        })).ToList();

        // Bursty load: let it run, then kill the server without warning in the middle of it.
        while (acknowledged.Count < 20_000)
        {
            await Task.Delay(100);
        }

        server.KillHard();
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        var acked = acknowledged.ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"acknowledged {acked.Count} events before the kill; {unacknowledged.Count} batches unanswered");

        // Restart on the same store and let the clients retry what was not acknowledged (some of it was written).
        await using (var restarted = await ServeProcess.StartAsync(folder.Path, "--db", db, "--admin-key", AdminKey))
        {
            foreach (var (_, body) in unacknowledged)
            {
                Assert.Equal(HttpStatusCode.OK, (await PostAsync(client, restarted.Address, "/v1/events", body)).StatusCode);
            }

            await restarted.StopAsync();
        }

        using var store = DuckDbStore.Open(db);
        var rows = store.Query("SELECT event_id, count(*) AS n FROM served_events GROUP BY event_id");
        var stored = rows.Select(r => (string)r["event_id"]!).ToHashSet(StringComparer.Ordinal);
        Assert.All(rows, r => Assert.Equal(1L, Convert.ToInt64(r["n"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(acked.Where(id => !stored.Contains(id)).Take(5));
        Assert.True(acked.Count >= 20_000);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient client, Uri server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return await client.SendAsync(request);
    }

    private static async Task WaitUntilServedAsync(HttpClient client, Uri server, string campaignId)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await GetAsync(client, server, $"/v1/campaigns/{campaignId}")).StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{server} never saw campaign {campaignId}");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestServers.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A fact that needs both the test Redis and the test PostgreSQL, and says which is missing when skipped.</summary>
public sealed class RedisPostgresFactAttribute : FactAttribute
{
    public RedisPostgresFactAttribute() =>
        Skip = TestServers.SkipReason(TestServers.RedisVariable) ?? TestServers.SkipReason(TestServers.PostgresVariable);
}
