using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using PromoPilot.Ingestion.Tests.Support;
using PromoPilot.Server.Tests;

namespace PromoPilot.Dashboard.Tests;

/// <summary>
/// One real <c>promopilot serve</c> over a temp store holding the bundled quickstart samples (Online Retail and
/// Hillstrom) with profiles, CLV and segments built by the CLI, a live campaign, analyst and decision keys; and one
/// headless Debian chromium driven by Playwright (no <c>playwright install</c>: tests/start-servers.sh installs
/// chromium).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string AdminKey = "dashboard-admin-key-0123456789";
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>A customer of the Online Retail sample (its CustomerID as the storefront would send it).</summary>
    public const string SampleCustomer = "12583";

    private readonly TempFolder _folder = new();
    private ServeProcess? _server;
    private IPlaywright? _playwright;

    public Uri Address => _server?.Address ?? throw new InvalidOperationException("not started");

    public IBrowser Browser { get; private set; } = null!;

    public string AnalystKey { get; private set; } = "";

    public string DecisionKey { get; private set; } = "";

    /// <summary>Where screenshots and timings go: TestResults/ under the test output folder.</summary>
    public static string ResultsFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults");

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: ./test installs it (tests/start-servers.sh), or apt-get install -y chromium");
        }

        var db = Path.Combine(_folder.Path, "dashboard.duckdb");
        if (Environment.GetEnvironmentVariable("PROMOPILOT_DASHBOARD_ONLINE_RETAIL") is { Length: > 0 } fullData)
        {
            // For the render-time figures with the whole Online Retail data (docs/BENCHMARKS.md): that file instead of the sample.
            await CliAsync("import", "--kind", "online-retail", "--input", fullData, "--db", db);
            await CliAsync("import", "--kind", "hillstrom", "--input", Path.Combine(Path.GetDirectoryName(ServeProcess.CliAssembly)!, "samples", "hillstrom_sample.csv.gz"), "--db", db);
        }
        else
        {
            await CliAsync("quickstart", "--db", db, "--json");
        }

        await CliAsync("profile", "build", "--db", db, "--dataset", "online_retail");
        await CliAsync("clv", "--db", db, "--dataset", "online_retail");
        await CliAsync("segment", "--db", db, "--k", "4");
        await CliAsync("campaign", "readout", "hillstrom_email_2008", "--db", db);
        await CliAsync("decide", "fit-effect", "--db", db, "--campaign", "hillstrom_email_2008", "--out", Path.Combine(_folder.Path, "effect.json"));
        _server = await ServeProcess.StartAsync(_folder.Path, "--db", db, "--admin-key", AdminKey);
        using var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        AnalystKey = await NewKeyAsync(client, "analyst");
        DecisionKey = await NewKeyAsync(client, "decision");
        var campaign = new JsonObject
        {
            ["id"] = "winback",
            ["name"] = "Win back lapsed buyers",
            ["status"] = "live",
            ["budget"] = 500,
            ["holdout_fraction"] = 0,
            ["audience"] = "frequency >= 1",
            ["offers"] = new JsonArray(new JsonObject { ["id"] = "ten_off", ["type"] = "amount_off", ["amount"] = 10 }),
        };
        (await client.PostAsJsonAsync("/v1/campaigns", campaign)).EnsureSuccessStatusCode();
        var health = await client.GetFromJsonAsync<JsonObject>("/health");
        for (var i = 0; i < 50 && health?["live_campaigns"]?.GetValue<int>() != 1; i++)
        {
            await Task.Delay(100);
            health = await client.GetFromJsonAsync<JsonObject>("/health");
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(Path.Combine(ResultsFolder, "screenshots"));
    }

    /// <summary>A new browser context (its own cookies) and page, recording console errors and page errors.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (errors)
                {
                    errors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (errors)
            {
                errors.Add(error);
            }
        };
        return (context, page, errors);
    }

    /// <summary>
    /// Navigates and waits until the document is complete. Debian's chromium is newer than the one Playwright 1.64 was
    /// built against, and its lifecycle events ("load") are sometimes not reported, so the wait polls the document itself.
    /// </summary>
    public static async Task<IResponse?> GoAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
        await CompleteAsync(page);
        return response;
    }

    /// <summary>Waits until the current document has finished loading (readyState complete).</summary>
    public static Task CompleteAsync(IPage page) =>
        page.WaitForFunctionAsync("() => document.readyState === 'complete'", null, new PageWaitForFunctionOptions { PollingInterval = 10 });

    /// <summary>
    /// Waits (15 s at most) until the page shows a complete document whose path and query satisfy <paramref name="done"/>,
    /// asking the page itself (navigation events of the newer chromium are not always reported to Playwright).
    /// </summary>
    public static async Task WaitForPathAsync(IPage page, Func<string, bool> done)
    {
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                var state = await page.EvaluateAsync<string>("() => document.readyState + ' ' + location.pathname + location.search");
                last = state;
                if (state.StartsWith("complete ", StringComparison.Ordinal) && done(state["complete ".Length..]))
                {
                    return;
                }
            }
            catch (PlaywrightException)
            {
                // The document was replaced while asking: ask the new one.
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"the page did not reach the expected path within 15 s (last: {last})");
    }

    /// <summary>Signs in through the login form with <paramref name="key"/>; the answer to the form's POST (302 when signed in).</summary>
    public static async Task<IResponse> SignInAsync(IPage page, string key)
    {
        await GoAsync(page, "/dashboard/login");
        await page.GetByLabel("API key").FillAsync(key);
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/dashboard/login", StringComparison.Ordinal));
        if (response.Status == 302)
        {
            await WaitForPathAsync(page, path => !path.StartsWith("/dashboard/login", StringComparison.Ordinal));
        }
        else
        {
            // A refusal answers the login page again, with the reason in an alert.
            await page.GetByRole(AriaRole.Alert).WaitForAsync();
        }

        return response;
    }

    private static async Task<string> NewKeyAsync(HttpClient client, string role)
    {
        var response = await client.PostAsJsonAsync("/v1/keys", new { name = role + " key", role });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }

    private async Task CliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = _folder.Path, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(ServeProcess.CliAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"promopilot {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _folder.Dispose();
    }
}
