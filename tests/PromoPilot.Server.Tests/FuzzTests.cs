using System.Net;
using System.Text;

namespace PromoPilot.Server.Tests;

/// <summary>
/// Hostile and malformed payloads against every JSON endpoint: never a 500, never a crash, and a refused request
/// changes nothing (campaigns, experiments, keys, audit, events all as before).
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static readonly string[] Endpoints =
    [
        "POST /v1/campaigns", "PUT /v1/campaigns/fuzz", "POST /v1/experiments", "PUT /v1/experiments/fuzz", "POST /v1/decisions",
        "POST /v1/decisions/abc/redeem", "POST /v1/events", "POST /v1/keys",
    ];

    private static readonly string[] Oddities =
    [
        "\\ud800", "\\udfff", "\\u0000", "\u202e\u202d", "🦄🏳️‍🌈", "a\\\"b", "\\\\", "ｆｕｌｌｗｉｄｔｈ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u0301\u0301\u0301",
    ];

    private static readonly string[] Fields =
    [
        "id", "name", "status", "offers", "type", "amount", "percent", "tiers", "budget", "user_id", "placement", "limit", "cart", "events",
        "key", "variants", "weight", "role", "offer_id", "event_id", "holdout_fraction", "audience", "starts", "ends", "quantity", "price",
    ];

    private static string Value(Random random, int depth) => random.Next(depth > 4 ? 6 : 10) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => new[] { "0", "-1", "1e400", "-1e400", "3.14", "99999999999999999999999999999", "1e-400", "-0", "NaN" }[random.Next(9)],
        3 => $"\"{Oddities[random.Next(Oddities.Length)]}\"",
        4 => $"\"{new[] { "live", "draft", "amount_off", "percent_off", "home", "view", "admin", "2026-01-01T00:00:00Z", "teleport", "" }[random.Next(10)]}\"",
        5 => random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        6 or 7 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(random, depth + 1))) + "]",
        _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(6)).Select(_ => $"\"{Fields[random.Next(Fields.Length)]}\": {Value(random, depth + 1)}")) + "}",
    };

    private static IEnumerable<string> Payloads(int seed)
    {
        var random = new Random(seed);
        yield return new string('[', 5_000) + new string(']', 5_000);
        yield return "{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 201);
        yield return "[" + string.Join(",", Enumerable.Repeat("{\"user_id\":\"u\",\"type\":\"view\"}", 20_000)) + "]";
        yield return "{\"events\": [" + string.Join(",", Enumerable.Repeat("0", 200_000)) + "]}";
        yield return "{\"id\": \"x\", \"id\": \"y\", \"name\": \"dup\", \"offers\": []}";
        yield return "\u00ef\u00bb\u00bf{}";
        yield return "{\"user_id\": \"" + new string('é', 300) + "\", \"placement\": \"home\"}";
        yield return "{\"user_id\": \"u\", \"placement\": \"home\", \"cart\": [" + string.Join(",", Enumerable.Repeat("{\"item_id\":\"a\",\"quantity\":2147483647,\"unit_price\":1e30}", 600)) + "]}";
        for (var i = 0; i < 150; i++)
        {
            var payload = Value(random, 0);
            yield return random.Next(5) == 0 && payload.Length > 2 ? payload[..random.Next(1, payload.Length)] : payload;
        }
    }

    [Fact]
    public async Task HostilePayloads_NeverA500_AndRefusalsChangeNothing()
    {
        var decisionKey = await _server.NewKeyAsync("decision");
        var before = await CountsAsync();
        var statuses = new Dictionary<int, int>();
        foreach (var endpoint in Endpoints)
        {
            var (method, path) = (endpoint.Split(' ')[0], endpoint.Split(' ')[1]);
            foreach (var payload in Payloads(endpoint.Length))
            {
                var key = path.StartsWith("/v1/decisions", StringComparison.Ordinal) || path == "/v1/events" ? decisionKey : TestServer.AdminKey;
                var response = await _server.SendAsync(new HttpMethod(method), path, key, payload);
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                Assert.True(status < 500, $"{endpoint} answered {status} to {Shorten(payload)}: {await response.Content.ReadAsStringAsync()}");
                if (status >= 400)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
                else if (path != "/v1/decisions")
                {
                    before = await CountsAsync(); // an accepted write moves the baseline
                }
            }
        }

        Assert.Equal(before, await CountsAsync());
        Assert.True(statuses.Keys.Count(s => s >= 400) >= 2 && statuses.Values.Sum() == Endpoints.Length * 158, string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        Assert.Equal(HttpStatusCode.OK, (await _server.SendAsync(HttpMethod.Get, "/health", null)).StatusCode);
    }

    private async Task<(int Campaigns, int Experiments, int Keys, int Audit, long Events)> CountsAsync() =>
        ((await _server.Store.LoadCampaignsAsync()).Count, (await _server.Store.LoadExperimentsAsync()).Count, (await _server.Store.LoadApiKeysAsync()).Count,
            (await _server.Store.LoadAuditAsync(10_000)).Count, await _server.Store.CountEventsAsync());

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
