using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace PromoPilot.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser (Debian chromium, headless, through Playwright) against a real server with the
/// quickstart samples: sign-in and its refusals, every page without console errors, the decision inspector's trace,
/// accessible basics; screenshots and render times under TestResults/.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture fixture, ITestOutputHelper output)
{
    private static readonly (string Path, string Heading, string Expect)[] Pages =
    [
        ("/dashboard", "Overview", "Revenue by month"),
        ("/dashboard/customers", "Customers", "Recency × frequency"),
        ("/dashboard/campaigns", "Campaigns", "Win back lapsed buyers"),
        ("/dashboard/models", "Models", "population stability index"),
        ("/dashboard/inspector?user=" + DashboardFixture.SampleCustomer + "&placement=home_banner", "Decision inspector", "Reason trace"),
        ("/dashboard/designer", "Campaign designer", "Holdout share"),
        ("/dashboard/campaigns/hillstrom_email_2008", "Results", "Qini coefficient"),
        ("/dashboard/experiments", "Experiments", "Sequential boundary"),
    ];

    [Fact]
    public async Task Login_WrongKey_IsRefusedAndStaysSignedOut()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        var response = await DashboardFixture.SignInAsync(page, "pp_not-a-real-key-000000000000000000000");
        Assert.Equal(401, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("unknown or revoked");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("login-refused"), FullPage = true });

        var overview = await DashboardFixture.GoAsync(page, "/dashboard");
        Assert.EndsWith("/dashboard/login?ReturnUrl=%2Fdashboard", page.Url, StringComparison.Ordinal);
        Assert.Equal(200, overview!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.DoesNotContain(errors, e => !e.Contains("401", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_DecisionKey_IsRefused()
    {
        var (context, page, _) = await fixture.NewPageAsync();
        await using var __ = context;
        var response = await DashboardFixture.SignInAsync(page, fixture.DecisionKey);
        Assert.Equal(403, response.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("role 'decision' may not open the dashboard");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "promopilot_dashboard");
    }

    [Fact]
    public async Task Pages_AnalystKey_RenderWithoutConsoleErrors_AndAreTimed()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        var signedIn = await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        Assert.Equal(302, signedIn.Status);
        Assert.EndsWith("/dashboard", page.Url, StringComparison.Ordinal);

        var timings = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (path, heading, expect) in Pages)
        {
            var loads = new List<double>();
            var firstBytes = new List<double>();
            for (var i = 0; i < 6; i++)
            {
                var response = await DashboardFixture.GoAsync(page, path);
                Assert.Equal(200, response!.Status);
                await page.WaitForFunctionAsync("() => performance.getEntriesByType('navigation')[0]?.loadEventEnd > 0", null, new PageWaitForFunctionOptions { PollingInterval = 10 });
                var timing = await page.EvaluateAsync<JsonElement>("() => { const n = performance.getEntriesByType('navigation')[0]; return { load: n.loadEventEnd - n.startTime, ttfb: n.responseStart - n.requestStart }; }");
                if (i > 0)
                {
                    // The first load of each page warms the server's code paths; the five after it are reported.
                    loads.Add(timing.GetProperty("load").GetDouble());
                    firstBytes.Add(timing.GetProperty("ttfb").GetDouble());
                }
            }

            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync(expect);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot(heading.Replace(' ', '-').ToLowerInvariant()), FullPage = true });
            var median = Median(loads);
            timings[path] = new { median_load_ms = median, max_load_ms = loads.Max(), median_ttfb_ms = Median(firstBytes) };
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: median load {median:F1} ms (max {loads.Max():F1}), server time to first byte {Median(firstBytes):F1} ms"));
            // The quality bar is 1 s; the machine is shared, so the test allows 3 s and the report quotes the median.
            Assert.True(median < 3000, $"{path} took {median} ms to load");
        }

        Assert.True(errors.Count == 0, "console errors: " + string.Join(" | ", errors));
        await File.WriteAllTextAsync(Path.Combine(DashboardFixture.ResultsFolder, "dashboard-timings.json"), JsonSerializer.Serialize(timings, new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public async Task Customers_SampleData_ShowsRfmGridClvAndSegments()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/customers");
        var cells = page.Locator("table.heat tbody td");
        Assert.Equal(25, await cells.CountAsync());
        var counts = (await cells.AllInnerTextsAsync()).Select(t => long.Parse(t.Split('\n')[0].Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture)).ToList();
        Assert.True(counts.Sum() > 100, $"RFM grid holds {counts.Sum()} customers");
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Distribution of predicted customer lifetime value (customers per CLV band)" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Customers per segment" })).ToBeVisibleAsync();
        Assert.Equal(4, await page.Locator("section[aria-labelledby=segments] tbody tr").CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Campaigns_HillstromReadout_ShowsIntervalsBesideForecast()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/campaigns");
        var results = page.Locator("section[aria-labelledby=results]");
        await Assertions.Expect(results.GetByRole(AriaRole.Img)).ToHaveCountAsync(2);
        var rows = await results.Locator("tbody tr").AllInnerTextsAsync();
        Assert.Contains(rows, r => r.StartsWith("incremental_conversions", StringComparison.Ordinal) && r.Contains("Mens E-Mail", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains("[", r, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("section[aria-labelledby=imported]")).ToContainTextAsync("hillstrom_email_2008");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Overview_AfterDecisionAndRedemption_ShowsDecisionsPerMinuteAndBurn()
    {
        using var client = new HttpClient { BaseAddress = fixture.Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", fixture.DecisionKey);
        var decided = await client.PostAsync("/v1/decisions", new StringContent($$"""{"user_id":"{{DashboardFixture.SampleCustomer}}","placement":"checkout"}""", System.Text.Encoding.UTF8, "application/json"));
        decided.EnsureSuccessStatusCode();
        var decision = JsonDocument.Parse(await decided.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ten_off", decision.GetProperty("offers")[0].GetProperty("offer_id").GetString());
        var redeemed = await client.PostAsync($"/v1/decisions/{decision.GetProperty("decision_id").GetString()}/redeem", new StringContent("""{"offer_id":"ten_off"}""", System.Text.Encoding.UTF8, "application/json"));
        redeemed.EnsureSuccessStatusCode();

        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        var decisions = page.Locator(".card", new() { HasText = "Decisions per minute" }).Locator(".card-value");
        Assert.True(long.Parse(await decisions.InnerTextAsync(), NumberStyles.AllowThousands, CultureInfo.InvariantCulture) >= 1);

        // Spend is refreshed from the online state every 2 s: 10.00 of the 500.00 budget is 2.0%.
        var burn = page.Locator(".card", new() { HasText = "Budget burn" }).Locator(".card-value");
        for (var i = 0; i < 20 && await burn.InnerTextAsync() != "2.0%"; i++)
        {
            await Task.Delay(500);
            await DashboardFixture.GoAsync(page, "/dashboard");
        }

        Assert.Equal("2.0%", await burn.InnerTextAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Inspector_SampleCustomer_ShowsDecisionWithReasonTrace()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/inspector");
        await page.GetByLabel("User id (as the storefront sends it)").FillAsync(DashboardFixture.SampleCustomer);
        await page.GetByLabel("Placement").FillAsync("home_banner");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
        var trace = page.Locator("#trace");
        await Assertions.Expect(trace).ToBeVisibleAsync();
        var selected = trace.Locator("tbody tr", new() { HasText = "winback / ten_off" });
        await Assertions.Expect(selected).ToContainTextAsync("selected");
        await Assertions.Expect(selected).ToContainTextAsync("audience: frequency >= 1 passed");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("known");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("inspector-trace"), FullPage = true });

        // A shopper the store does not know fails the audience rule: the trace says why.
        await page.GetByLabel("User id (as the storefront sends it)").FillAsync("nobody-at-all");
        await page.GetByRole(AriaRole.Button, new() { Name = "Inspect" }).ClickAsync();
        await Assertions.Expect(page.Locator("#trace tbody tr", new() { HasText = "winback / ten_off" })).ToContainTextAsync("rejected");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("unknown (cold start)");

        // Bad input gets an inline message, never a server error.
        var bad = await DashboardFixture.GoAsync(page, "/dashboard/inspector?user=" + new string('x', 300) + "&placement=&cart=-5");
        Assert.Equal(422, bad!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("user_id");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("cart");
        Assert.DoesNotContain(errors, e => !e.Contains("422", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pages_Keyboard_SkipLinkFirstAndEveryInputLabelled()
    {
        var (context, page, _) = await fixture.NewPageAsync();
        await using var __ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/inspector");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("user", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        var unlabelled = await page.EvaluateAsync<int>("() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(e => e.labels.length === 0).length");
        Assert.Equal(0, unlabelled);

        // Sign out with the keyboard: the session ends and the pages ask for a key again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await DashboardFixture.WaitForPathAsync(page, path => path.StartsWith("/dashboard/login", StringComparison.Ordinal));
        await DashboardFixture.GoAsync(page, "/dashboard/customers");
        Assert.Contains("/dashboard/login", page.Url, StringComparison.Ordinal);
    }

    private static string Screenshot(string name) => Path.Combine(DashboardFixture.ResultsFolder, "screenshots", name + ".png");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
