using System.Net;
using System.Text.Json.Nodes;

namespace PromoPilot.Server.Tests;

public sealed class ApiTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static object Campaign(string id, decimal? budget = 100, string? audience = null, object[]? offers = null) => new Dictionary<string, object?>
    {
        ["id"] = id,
        ["name"] = id,
        ["status"] = "live",
        ["budget"] = budget,
        ["holdout_fraction"] = 0,
        ["audience"] = audience,
        ["offers"] = offers ?? [new { id = "ten", type = "amount_off", amount = 10 }],
    }.Where(p => p.Value is not null).ToDictionary();

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? detailContains = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal((int)status, problem["status"]!.GetValue<int>());
        if (detailContains is not null)
        {
            Assert.Contains(detailContains, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Health_Anonymous_IsOk()
    {
        var response = await _server.SendAsync(HttpMethod.Get, "/health", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await TestServer.JsonAsync(response))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApi_DocumentAndUi_AreServedLocally()
    {
        var document = await _server.SendAsync(HttpMethod.Get, "/openapi/v1.json", null);
        Assert.Equal(HttpStatusCode.OK, document.StatusCode);
        var paths = (await TestServer.JsonAsync(document))["paths"]!.AsObject();
        foreach (var path in new[] { "/v1/decisions", "/v1/decisions/{id}/redeem", "/v1/events", "/v1/campaigns", "/v1/campaigns/{id}", "/v1/experiments", "/v1/keys" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} missing from the OpenAPI document");
        }

        var ui = await _server.SendAsync(HttpMethod.Get, "/docs", null);
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("<html", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("GET", "/v1/campaigns")]
    [InlineData("POST", "/v1/campaigns")]
    [InlineData("PUT", "/v1/campaigns/x")]
    [InlineData("GET", "/v1/experiments")]
    [InlineData("POST", "/v1/experiments")]
    [InlineData("POST", "/v1/decisions")]
    [InlineData("POST", "/v1/decisions/abc/redeem")]
    [InlineData("POST", "/v1/events")]
    [InlineData("GET", "/v1/keys")]
    [InlineData("POST", "/v1/keys")]
    [InlineData("DELETE", "/v1/keys/abc")]
    [InlineData("GET", "/v1/audit")]
    public async Task EveryEndpoint_WithoutOrWithAWrongKey_Is401(string method, string path)
    {
        await AssertProblem(await _server.SendAsync(new HttpMethod(method), path, null, "{}"), HttpStatusCode.Unauthorized, "API key is required");
        await AssertProblem(await _server.SendAsync(new HttpMethod(method), path, "pp_not_a_key", "{}"), HttpStatusCode.Unauthorized, "unknown or revoked");
    }

    [Theory]
    [InlineData("decision", "GET", "/v1/campaigns", false)]
    [InlineData("decision", "POST", "/v1/campaigns", false)]
    [InlineData("decision", "GET", "/v1/keys", false)]
    [InlineData("decision", "GET", "/v1/audit", false)]
    [InlineData("decision", "POST", "/v1/decisions", true)]
    [InlineData("decision", "POST", "/v1/events", true)]
    [InlineData("analyst", "GET", "/v1/campaigns", true)]
    [InlineData("analyst", "GET", "/v1/experiments", true)]
    [InlineData("analyst", "GET", "/v1/audit", true)]
    [InlineData("analyst", "POST", "/v1/campaigns", false)]
    [InlineData("analyst", "PUT", "/v1/campaigns/x", false)]
    [InlineData("analyst", "POST", "/v1/experiments", false)]
    [InlineData("analyst", "POST", "/v1/decisions", false)]
    [InlineData("analyst", "POST", "/v1/events", false)]
    [InlineData("analyst", "POST", "/v1/keys", false)]
    public async Task Roles_AllowOnlyTheirEndpoints(string role, string method, string path, bool allowed)
    {
        var key = await _server.NewKeyAsync(role);
        var response = await _server.SendAsync(new HttpMethod(method), path, key, "{}");
        if (allowed)
        {
            Assert.NotEqual(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        else
        {
            await AssertProblem(response, HttpStatusCode.Forbidden, $"role '{role}'");
        }
    }

    [Fact]
    public async Task Keys_AreStoredHashedShownOnceAndRevocable()
    {
        var created = await _server.SendAsync(HttpMethod.Post, "/v1/keys", TestServer.AdminKey, new { name = "shop", role = "decision" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await TestServer.JsonAsync(created);
        var secret = body["key"]!.GetValue<string>();
        var id = body["id"]!.GetValue<string>();

        var stored = (await _server.Store.LoadApiKeysAsync()).Single(k => k.Id == id);
        Assert.NotEqual(secret, stored.SecretHash);
        Assert.DoesNotContain(secret, (await (await _server.SendAsync(HttpMethod.Get, "/v1/keys", TestServer.AdminKey)).Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Post, "/v1/decisions", secret, new { user_id = "u", placement = "home" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await _server.SendAsync(HttpMethod.Delete, $"/v1/keys/{id}", TestServer.AdminKey)).StatusCode);
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", secret, new { user_id = "u", placement = "home" }), HttpStatusCode.Unauthorized);
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/keys", TestServer.AdminKey, new { name = "x", role = "superuser" }), HttpStatusCode.UnprocessableEntity, "role: must be one of");
        await AssertProblem(await _server.SendAsync(HttpMethod.Delete, "/v1/keys/nope", TestServer.AdminKey), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Campaigns_CreateReadUpdate_WithVersionsAndAudit()
    {
        var created = await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, Campaign("spring"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/v1/campaigns/spring", created.Headers.Location?.ToString());
        var view = await TestServer.JsonAsync(created);
        Assert.Equal(1, view["version"]!.GetValue<int>());
        Assert.Equal("amount_off", view["campaign"]!["offers"]![0]!["type"]!.GetValue<string>());

        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, Campaign("spring")), HttpStatusCode.Conflict, "exists");
        var updated = await _server.SendAsync(HttpMethod.Put, "/v1/campaigns/spring", TestServer.AdminKey, Campaign("spring", budget: 500), headers: new Dictionary<string, string> { ["If-Match"] = "1" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, (await TestServer.JsonAsync(updated))["version"]!.GetValue<int>());
        await AssertProblem(await _server.SendAsync(HttpMethod.Put, "/v1/campaigns/spring", TestServer.AdminKey, Campaign("spring"), headers: new Dictionary<string, string> { ["If-Match"] = "1" }), HttpStatusCode.Conflict);
        await AssertProblem(await _server.SendAsync(HttpMethod.Put, "/v1/campaigns/other", TestServer.AdminKey, Campaign("other")), HttpStatusCode.NotFound);
        await AssertProblem(await _server.SendAsync(HttpMethod.Put, "/v1/campaigns/spring", TestServer.AdminKey, Campaign("autumn")), HttpStatusCode.UnprocessableEntity, "is not the path's");
        await AssertProblem(await _server.SendAsync(HttpMethod.Get, "/v1/campaigns/unknown", TestServer.AdminKey), HttpStatusCode.NotFound);

        var got = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Get, "/v1/campaigns/spring", TestServer.AdminKey));
        Assert.Equal(500m, got["campaign"]!["budget"]!.GetValue<decimal>());
        var audit = (await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Get, "/v1/audit", TestServer.AdminKey)))["entries"]!.AsArray();
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "create" && e["object_id"]!.GetValue<string>() == "spring");
        Assert.Contains(audit, e => e!["action"]!.GetValue<string>() == "update" && e["object_id"]!.GetValue<string>() == "spring" && e["actor"]!.GetValue<string>().Contains("bootstrap admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Campaigns_Invalid_ListEveryProblemAndChangeNothing()
    {
        var before = (await _server.Store.LoadAuditAsync(1000)).Count;
        var bad = new
        {
            id = "bad",
            name = "Bad",
            budget = -5,
            starts = "2026-12-01T00:00:00Z",
            ends = "2026-11-01T00:00:00Z",
            audience = "recency_dayz > 3",
            offers = new object[] { new { id = "t", type = "spend_threshold", tiers = new[] { new { threshold = 100, save = 10 }, new { threshold = 50, save = 20 } } } },
        };
        var response = await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, bad);
        await AssertProblem(response, HttpStatusCode.UnprocessableEntity);
        var errors = (await TestServer.JsonAsync(response))["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains(errors, e => e.StartsWith("budget:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("ends:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("tiers not increasing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("audience:", StringComparison.Ordinal) && e.Contains("recency_days", StringComparison.Ordinal));
        Assert.Empty(await _server.Store.LoadCampaignsAsync());
        Assert.Equal(before, (await _server.Store.LoadAuditAsync(1000)).Count);
    }

    [Theory]
    [InlineData("{\"id\": \"x\", \"name\": ", "Malformed JSON")]
    [InlineData("{\"id\": 5, \"name\": \"x\", \"offers\": []}", "$.id")]
    [InlineData("{\"id\": \"x\", \"name\": \"x\", \"offers\": [], \"budgett\": 5}", "budgett")]
    [InlineData("{\"id\": \"x\", \"name\": \"x\", \"offers\": [{\"id\": \"a\", \"type\": \"teleport\"}]}", "type")]
    [InlineData("[1, 2, 3]", "Malformed JSON")]
    [InlineData("", "Malformed JSON")]
    public async Task MalformedBodies_Are400NamingTheField(string body, string expected)
    {
        var response = await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, body);
        await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongContentType_Is415_AndOversizedBody_Is413()
    {
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, "user_id=u", "text/plain"), HttpStatusCode.UnsupportedMediaType);
        var huge = "{\"user_id\": \"" + new string('a', 2 << 20) + "\", \"placement\": \"home\"}";
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/v1/decisions") { Content = new StringContent(huge, System.Text.Encoding.UTF8, "application/json") };
        oversized.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestServer.AdminKey);
        // The server refuses on the Content-Length alone; waiting for "100 Continue" keeps the client from racing that
        // refusal with its upload (which ended in a broken pipe now and then).
        oversized.Headers.ExpectContinue = true;
        await AssertProblem(await _server.Client.SendAsync(oversized), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task UnknownRoute_IsAProblem404()
    {
        var response = await _server.SendAsync(HttpMethod.Get, "/v1/nothing-here", TestServer.AdminKey);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task DecideAndRedeem_GrantsOnceThenReplays_AndStopsAtTheBudget()
    {
        Assert.Equal(HttpStatusCode.Created, (await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, Campaign("small", budget: 25))).StatusCode);
        // Every decision is made before any redemption: a decision sees a spend snapshot refreshed every few seconds
        // (after two redemptions it may stop offering "ten"), while redemption enforces the budget exactly.
        var decisionIds = new List<string>();
        foreach (var user in new[] { "user0", "user1", "user2", "user3", "z" })
        {
            var decision = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = user, placement = "home" }));
            Assert.Equal("ten", decision["offers"]![0]!["offer_id"]!.GetValue<string>());
            decisionIds.Add(decision["decision_id"]!.GetValue<string>());
        }

        var granted = new List<decimal>();
        for (var i = 0; i < 4; i++)
        {
            var redeem = await _server.SendAsync(HttpMethod.Post, $"/v1/decisions/{decisionIds[i]}/redeem", TestServer.AdminKey, new { offer_id = "ten" });
            if (i < 2)
            {
                Assert.Equal(HttpStatusCode.OK, redeem.StatusCode);
                var again = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, $"/v1/decisions/{decisionIds[i]}/redeem", TestServer.AdminKey, new { offer_id = "ten" }));
                Assert.True(again["replayed"]!.GetValue<bool>());
                granted.Add((await TestServer.JsonAsync(redeem))["amount"]!.GetValue<decimal>());
            }
            else
            {
                await AssertProblem(redeem, HttpStatusCode.Conflict, "CampaignBudgetExhausted");
            }
        }

        Assert.Equal([10m, 10m], granted);
        var view = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Get, "/v1/campaigns/small", TestServer.AdminKey));
        Assert.Equal(20m, view["spent"]!.GetValue<decimal>());
        Assert.Equal(2, view["redemptions"]!.GetValue<long>());

        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/decisions/nope/redeem", TestServer.AdminKey, new { offer_id = "ten" }), HttpStatusCode.NotFound);
        var sealedId = decisionIds[4];
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, $"/v1/decisions/{sealedId}/redeem", TestServer.AdminKey, new { offer_id = "other" }), HttpStatusCode.NotFound, "did not grant");
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, $"/v1/decisions/{sealedId}/redeem", TestServer.AdminKey, new { offer_id = "ten", amount = 11 }), HttpStatusCode.UnprocessableEntity, "more than offer");
        // The id carries the grant sealed: an altered one is unknown, not a 500 and not a grant.
        var altered = sealedId[..^3] + (sealedId[^3] == 'A' ? 'B' : 'A') + sealedId[^2..];
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, $"/v1/decisions/{altered}/redeem", TestServer.AdminKey, new { offer_id = "ten" }), HttpStatusCode.NotFound, "not a decision id");
    }

    [Fact]
    public async Task Decide_InvalidRequest_Is422AndIdempotencyKey_ReplaysTheDecision()
    {
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "", placement = "home", limit = 99 }), HttpStatusCode.UnprocessableEntity, "limit");
        await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, Campaign("idem"));
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "req-1" };
        var first = await (await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "loyal", placement = "home" }, headers: headers)).Content.ReadAsStringAsync();
        var second = await (await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "loyal", placement = "home" }, headers: headers)).Content.ReadAsStringAsync();
        Assert.Equal(first, second);
        var third = await (await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "loyal", placement = "home" })).Content.ReadAsStringAsync();
        Assert.NotEqual(JsonNode.Parse(first)!["decision_id"]!.GetValue<string>(), JsonNode.Parse(third)!["decision_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_StoredOnceUpdateOnlineFeaturesAndRejectBadBatchesWhole()
    {
        await _server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, Campaign("browsers", audience: "online_views >= 2"));
        var before = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "lapsed", placement = "home" }));
        Assert.Empty(before["offers"]!.AsArray());

        var batch = new { events = new[] { new { user_id = "lapsed", type = "view", item_id = "a" }, new { user_id = "lapsed", type = "view", item_id = "b" } } };
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "batch-1" };
        var accepted = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, "/v1/events", TestServer.AdminKey, batch, headers: headers));
        Assert.Equal(2, accepted["stored"]!.GetValue<int>());
        var retried = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, "/v1/events", TestServer.AdminKey, batch, headers: headers));
        Assert.Equal(0, retried["stored"]!.GetValue<int>());
        Assert.Equal(2, retried["duplicates"]!.GetValue<int>());
        Assert.Equal(2, await _server.Store.CountEventsAsync());

        var after = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "lapsed", placement = "home" }));
        Assert.Equal("browsers", after["offers"]![0]!["campaign_id"]!.GetValue<string>());

        var single = await _server.SendAsync(HttpMethod.Post, "/v1/events", TestServer.AdminKey, new { user_id = "loyal", type = "purchase", event_id = "e-1", price = 12.5 });
        Assert.Equal(1, (await TestServer.JsonAsync(single))["stored"]!.GetValue<int>());

        var mixed = new object[] { new { user_id = "u", type = "view" }, new { user_id = "u", type = "teleport" } };
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/events", TestServer.AdminKey, mixed), HttpStatusCode.UnprocessableEntity, "events[1].type");
        Assert.Equal(3, await _server.Store.CountEventsAsync());
    }

    [Fact]
    public async Task Experiments_CreateValidateAndAssignVariants()
    {
        var experiment = new { key = "banner_copy", variants = new object[] { new { name = "a", weight = 1 }, new { name = "b", weight = 1 } } };
        Assert.Equal(HttpStatusCode.Created, (await _server.SendAsync(HttpMethod.Post, "/v1/experiments", TestServer.AdminKey, experiment)).StatusCode);
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/experiments", TestServer.AdminKey, experiment), HttpStatusCode.Conflict);
        await AssertProblem(await _server.SendAsync(HttpMethod.Post, "/v1/experiments", TestServer.AdminKey, new { key = "bad", variants = Array.Empty<object>() }), HttpStatusCode.UnprocessableEntity);

        var seen = new HashSet<string>();
        for (var i = 0; i < 40; i++)
        {
            var decision = await TestServer.JsonAsync(await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = $"v{i}", placement = "home" }));
            seen.Add(decision["variants"]!["banner_copy"]!.GetValue<string>());
        }

        Assert.Equal(["a", "b"], seen.Order());
    }

    [Fact]
    public async Task Metrics_CountDecisionsAndRequests()
    {
        await _server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "u", placement = "home" });
        var text = await (await _server.SendAsync(HttpMethod.Get, "/metrics", null)).Content.ReadAsStringAsync();
        Assert.Contains("promopilot_decisions_total{campaign=\"none\",offer=\"none\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds", text, StringComparison.Ordinal);
        Assert.Contains("http_requests_received_total{endpoint=\"/v1/decisions/\",method=\"POST\",code=\"200\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_count{endpoint=\"/v1/decisions/\",method=\"POST\",code=\"200\"} 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_MethodsClientsInvent_ShareOneLabel()
    {
        foreach (var method in new[] { "BREW", "WHEN", "X-ANY" })
        {
            await _server.SendAsync(new HttpMethod(method), "/v1/nowhere", null);
        }

        var text = await (await _server.SendAsync(HttpMethod.Get, "/metrics", null)).Content.ReadAsStringAsync();
        Assert.Contains("http_requests_received_total{endpoint=\"unmatched\",method=\"other\",code=\"404\"} 3", text, StringComparison.Ordinal);
        Assert.DoesNotContain("BREW", text, StringComparison.Ordinal);
    }
}

public sealed class RateLimitTests
{
    [Fact]
    public async Task Requests_OverTheKeysLimit_Get429Problems()
    {
        await using var server = await TestServer.StartAsync(rateLimit: 5);

        // A burst of 60 at once: the bucket holds 5 and refills 5 per second, so at most 5 per started second pass.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ =>
            server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = "u", placement = "home" })));
        var seconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        var ok = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(60, ok + limited.Count);
        Assert.InRange(ok, 1, 5 * (seconds + 1));
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
    }
}

public sealed class PseudonymizedServerTests
{
    [Fact]
    public async Task Decide_ManyConcurrentRequests_PseudonymizeEveryIdConsistently()
    {
        var key = new byte[32];
        new Random(3).NextBytes(key);
        await using var server = await TestServer.StartAsync(pseudonymizer: () => new Ingestion.Pseudonymizer(key));
        await server.SendAsync(HttpMethod.Post, "/v1/campaigns", TestServer.AdminKey, new { id = "all", name = "All", status = "live", holdout_fraction = 0, offers = new[] { new { id = "a", type = "amount_off", amount = 1 } } });
        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            server.SendAsync(HttpMethod.Post, "/v1/decisions", TestServer.AdminKey, new { user_id = $"shopper-{i % 20}", placement = "home" })));
        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.OK, r.StatusCode));
        foreach (var response in responses.Take(20))
        {
            var body = await TestServer.JsonAsync(response);
            Assert.StartsWith("shopper-", body["user_id"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }
}
