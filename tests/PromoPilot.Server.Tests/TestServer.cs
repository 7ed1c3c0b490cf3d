using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using PromoPilot.Core.Customers;
using PromoPilot.Core.Serving;
using PromoPilot.Decisioning;
using PromoPilot.Decisioning.State;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Storage.Serving;

namespace PromoPilot.Server.Tests;

/// <summary>
/// A real server on 127.0.0.1 (Kestrel, a free port) over a real embedded store in a temp folder: every test talks
/// to it through HTTP, so routing, authentication, rate limits, body limits and serialization are all exercised.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";

    private readonly TempFolder _folder;
    private readonly WebApplication _app;

    private TestServer(TempFolder folder, WebApplication app, Uri address, DuckDbServingStore store)
    {
        _folder = folder;
        _app = app;
        Store = store;
        Client = new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    public DuckDbServingStore Store { get; }

    public static async Task<TestServer> StartAsync(int rateLimit = 100_000, long maxBodyBytes = 1 << 20, IOnlineState? state = null, Func<Ingestion.Pseudonymizer>? pseudonymizer = null)
    {
        var folder = new TempFolder();
        var store = DuckDbServingStore.Open(Path.Combine(folder.Path, "serve.duckdb"));
        var users = new UserDirectory(
        [
            new UserSnapshot("loyal", new CustomerProfile(1, 10, 8, 800, 100, 500, 20, 5, 5, 5, "Champions", 0.1, 0.1, 1, 30, 5, [new ShareOf("Bakery", 0.6)], [])),
            new UserSnapshot("lapsed", new CustomerProfile(2, 200, 2, 80, 40, 600, 90, 1, 2, 2, "At risk", 0, 0, 0, 2, 0, [], [])),
        ]);
        var options = new ServerOptions { Urls = "http://127.0.0.1:0", AdminKey = AdminKey, RateLimitPerSecond = rateLimit, MaxBodyBytes = maxBodyBytes, JsonLogs = false };
        var components = new ServingComponents(store, state ?? new InProcessOnlineState(TimeProvider.System), users, DecisionRuleContext.Schema(), Pseudonymizer: pseudonymizer);
        var app = await ServerApp.BuildAsync(options, components);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(folder, app, new Uri(address), store);
    }

    /// <summary>Sends a request with the given key (none when null) and a JSON body (raw text, or serialized).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? body = null, string contentType = "application/json", IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, Core.Campaigns.CampaignJson.Options);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return await Client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("empty body");

    /// <summary>Creates a key of <paramref name="role"/> through the API and returns its secret.</summary>
    public async Task<string> NewKeyAsync(string role)
    {
        var response = await SendAsync(HttpMethod.Post, "/v1/keys", AdminKey, new { name = role + " key", role });
        response.EnsureSuccessStatusCode();
        return (await JsonAsync(response))["key"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _folder.Dispose();
    }
}
