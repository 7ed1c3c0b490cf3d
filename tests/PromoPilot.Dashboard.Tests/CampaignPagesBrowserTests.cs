using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PromoPilot.Dashboard.Tests;

/// <summary>One server and browser for every dashboard test class (the fixture imports and builds the store once).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}

/// <summary>
/// The campaign designer, campaign results, experiments and the customers page's map and cohorts in a real browser:
/// a forecast with intervals, a launch that shows up in the results, inline messages for bad input and no server error
/// for anything the form can send, keyboard order and contrast.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed partial class CampaignPagesBrowserTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Designer_AnalystForecast_ShowsIntervalsAndTargetingButNoLaunch()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/designer");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Launch" }).CountAsync());
        await page.GetByLabel("Campaign id").FillAsync("analyst-look");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Ten percent for frequent buyers");
        await page.GetByLabel("Rule (optional)").FillAsync("frequency >= 2");
        await page.GetByLabel("Budget").FillAsync("2000");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Forecast" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/dashboard/designer", StringComparison.Ordinal), new() { Timeout = 120_000 });
        Assert.Equal(200, response.Status);
        await DashboardFixture.CompleteAsync(page);

        // Every measure's forecast lies inside its interval; reach is the targeted customers less the holdout.
        var rows = await page.Locator("#forecast-table tbody tr").AllInnerTextsAsync();
        Assert.True(rows.Count >= 6, string.Join(" | ", rows));
        foreach (var row in rows)
        {
            var cells = row.Split('\t');
            var (value, low, high) = (Number(cells[1]), Number(cells[2]), Number(cells[3]));
            Assert.True(low <= value && value <= high, row);
        }

        var reach = Number(rows.Single(r => r.StartsWith("Reach", StringComparison.Ordinal)).Split('\t')[1]);
        Assert.True(reach > 0, "reach " + reach);
        var targeting = page.Locator("#targeting-result");
        await Assertions.Expect(targeting).ToContainTextAsync("Customers given the offer");
        var spend = Number((await targeting.Locator(".card", new() { HasText = "Expected spend" }).Locator(".card-value").InnerTextAsync()).Trim());
        Assert.InRange(spend, 0, 2000); // the budget-optimal plan never spends more than the budget
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("designer-forecast"), FullPage = true });

        // An analyst who forges the launch button is refused, and nothing is stored.
        await page.EvaluateAsync("() => { const b = document.querySelector('button[value=forecast]'); b.value = 'launch'; }");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Forecast" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/dashboard/designer", StringComparison.Ordinal));
        Assert.Equal(403, refused.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Only an admin key may launch");
        Assert.Equal(404, (await DashboardFixture.GoAsync(page, "/dashboard/campaigns/analyst-look"))!.Status);
        Assert.DoesNotContain(errors, e => !e.Contains("403", StringComparison.Ordinal) && !e.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Designer_BadInput_ShowsInlineMessagesBesideEachField()
    {
        var (context, page, _) = await fixture.NewPageAsync();
        await using var __ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/designer");
        await page.GetByLabel("Campaign id").FillAsync("bad id!");
        await page.GetByLabel("Rule (optional)").FillAsync("frequency >>> 2");
        await page.GetByLabel("Percent off (%)").FillAsync("150");
        await page.GetByLabel("Budget").FillAsync("-5");
        await page.GetByLabel("Duration (days)").FillAsync("3.5");
        await page.GetByLabel("Holdout share (%)").FillAsync("90");
        await page.GetByLabel("Gross margin (%)").FillAsync("abc");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Forecast" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/dashboard/designer", StringComparison.Ordinal));
        Assert.Equal(422, response.Status);
        await DashboardFixture.CompleteAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("need attention");
        var expected = new Dictionary<string, string>
        {
            ["id"] = "letters, digits",
            ["name"] = "a name of 1 to 120 characters",
            ["percent"] = "out of range",
            ["budget"] = "out of range",
            ["days"] = "whole days",
            ["holdout"] = "out of range",
            ["margin"] = "not a number",
        };
        foreach (var (field, message) in expected)
        {
            // The message sits right after its input, is named by the input's aria-describedby, and the input is marked invalid.
            var input = page.Locator("#" + field);
            Assert.Equal("true", await input.GetAttributeAsync("aria-invalid"));
            Assert.Contains(field + "-error", await input.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
            await Assertions.Expect(page.Locator($"#{field}-error")).ToContainTextAsync(message);
        }

        // The rule is parsed against the profile schema; its message names the problem.
        await Assertions.Expect(page.Locator("#rule-error")).ToBeVisibleAsync();
        Assert.Null(await page.Locator("#segment").GetAttributeAsync("aria-invalid"));
        Assert.Equal("-5", await page.Locator("#budget").InputValueAsync()); // what was typed is kept for correction
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("designer-invalid"), FullPage = true });
    }

    [Fact]
    public async Task Designer_AnythingTheFormCanSend_IsNeverAServerError()
    {
        var (context, page, _) = await fixture.NewPageAsync();
        await using var __ = context;
        await DashboardFixture.SignInAsync(page, DashboardFixture.AdminKey);
        await DashboardFixture.GoAsync(page, "/dashboard/designer");
        var token = await page.Locator("form.designer input[name=__RequestVerificationToken]").GetAttributeAsync("value");
        var odd = new[] { "", " ", "0", "-0", "-1", "1e400", "NaN", "Infinity", "1,000,000,000,000", "79228162514264337593543950336", "0.0000000001", "١٢", "<script>alert(1)</script>", "' OR 1=1 --", new string('9', 40), new string('x', 5000), "\u0000", "12.5.3" };
        var fields = new[] { "id", "name", "segment", "rule", "offer_type", "percent", "cap", "amount", "minimum_basket", "budget", "days", "holdout", "margin", "action" };
        var random = new Random(6);
        var statuses = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            var form = context.APIRequest.CreateFormData();
            form.Set("__RequestVerificationToken", token!);
            var sent = new List<string>();
            foreach (var field in fields)
            {
                // The first case plausible throughout, then mostly plausible values with a field or two odd, so odd values reach the deeper checks too.
                var value = i > 0 && random.Next(8) == 0 ? odd[random.Next(odd.Length)] : Plausible(field, random);
                value = i == 0 && field == "rule" ? "frequency >= 1" : i == 0 && field == "action" ? "forecast" : value;
                form.Set(field, value);
                sent.Add($"{field}={(value.Length > 40 ? value[..40] + "…" : value).Replace("\0", "\\0", StringComparison.Ordinal)}");
            }

            var response = await context.APIRequest.PostAsync("/dashboard/designer", new() { Form = form, MaxRedirects = 0, Timeout = 120_000 });
            statuses.Add(response.Status);
            Assert.True(response.Status < 500, $"case {i} ({string.Join(", ", sent)}) answered {response.Status}: {await response.TextAsync()}");
        }

        // Not only refusals: some cases were valid enough to forecast or launch.
        Assert.Contains(statuses, s => s is 200 or 302);
        Assert.Contains(422, statuses);

        // A form without its antiforgery token is refused, not served.
        var forged = context.APIRequest.CreateFormData();
        forged.Set("id", "forged");
        forged.Set("action", "launch");
        Assert.Equal(400, (await context.APIRequest.PostAsync("/dashboard/designer", new() { Form = forged, MaxRedirects = 0 })).Status);
    }

    [Fact]
    public async Task Designer_AdminLaunch_CampaignAppearsInResultsAndExperiments()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, DashboardFixture.AdminKey);
        await DashboardFixture.GoAsync(page, "/dashboard/designer");
        await page.GetByLabel("Campaign id").FillAsync("designer-launch");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Designer launch");
        await page.GetByLabel("Rule (optional)").FillAsync("frequency >= 1");
        await page.GetByLabel("Offer type").SelectOptionAsync("amount_off");
        await page.GetByLabel("Amount off / shipping cost").FillAsync("5");
        await page.GetByLabel("Holdout share (%)").FillAsync("20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();
        await DashboardFixture.WaitForPathAsync(page, path => path == "/dashboard/campaigns/designer-launch");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Results: Designer launch", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".card", new() { HasText = "Status" })).ToContainTextAsync("live");

        // The audit trail shows the CLI's workflow, every step by the signed-in admin.
        var audit = await page.Locator("#audit tbody tr").AllInnerTextsAsync();
        Assert.Equal(new[] { "create", "forecast", "approve", "launch" }, audit.Select(r => r.Split('\t')[1]).ToArray());
        Assert.All(audit, r => Assert.Contains("dashboard:", r, StringComparison.Ordinal));

        // The holdout is a randomized 20% of the segment.
        var arms = (await page.Locator("#arms-table tbody tr").AllInnerTextsAsync()).ToDictionary(r => r.Split('\t')[0], r => Number(r.Split('\t')[2]));
        var share = arms["holdout"] / (arms["holdout"] + arms["treatment"]);
        Assert.InRange(share, 0.12, 0.28);

        // The readout shows the forecast beside it: its rows carry the forecast interval.
        var readout = await page.Locator("#readout-table tbody tr").AllInnerTextsAsync();
        Assert.Contains(readout, r => r.StartsWith("incremental_conversions", StringComparison.Ordinal) && r.Split('\t')[8].StartsWith('['));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("results-launched"), FullPage = true });

        await DashboardFixture.GoAsync(page, "/dashboard/campaigns");
        await page.GetByRole(AriaRole.Link, new() { Name = "Designer launch" }).ClickAsync();
        await DashboardFixture.WaitForPathAsync(page, path => path == "/dashboard/campaigns/designer-launch");
        await DashboardFixture.GoAsync(page, "/dashboard/experiments");
        await Assertions.Expect(page.Locator("section.experiment", new() { HasText = "designer-launch" })).ToContainTextAsync("Sample ratio as planned");

        // The same id again is refused beside the id field.
        await DashboardFixture.GoAsync(page, "/dashboard/designer");
        await page.GetByLabel("Campaign id").FillAsync("designer-launch");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Again");
        var again = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/dashboard/designer", StringComparison.Ordinal));
        Assert.Equal(422, again.Status);
        await DashboardFixture.CompleteAsync(page);
        await Assertions.Expect(page.Locator("#id-error")).ToContainTextAsync("exists already");
        Assert.DoesNotContain(errors, e => !e.Contains("422", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Results_Hillstrom_ShowsReadoutAndHeldOutQiniCurve()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/campaigns/hillstrom_email_2008");
        var readout = await page.Locator("#readout-table tbody tr").AllInnerTextsAsync();
        Assert.Contains(readout, r => r.Contains("Mens E-Mail", StringComparison.Ordinal));
        Assert.All(readout, r =>
        {
            var cells = r.Split('\t');
            var interval = cells[5].Trim('[', ']').Split(", ").Select(Number).ToArray();
            Assert.True(interval[0] <= Number(cells[4]) && Number(cells[4]) <= interval[1], r);
        });
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Qini curve: incremental conversions by share of customers targeted, model against random" })).ToBeVisibleAsync();
        var qini = Number(QiniCoefficient().Match(await page.Locator("section[aria-labelledby=qini] .note").InnerTextAsync()).Groups[1].Value);
        Assert.InRange(qini, -1, 1);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Over time" })).ToBeVisibleAsync();
        Assert.Equal(404, (await DashboardFixture.GoAsync(page, "/dashboard/campaigns/" + Uri.EscapeDataString("no such <campaign>")))!.Status);
        Assert.DoesNotContain(errors, e => !e.Contains("404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Experiments_Hillstrom_ShowsVariantsEffectsSrmAndBoundaries()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/experiments");
        var hillstrom = page.Locator("section.experiment", new() { HasText = "hillstrom_email_2008" });
        Assert.Equal(3, await hillstrom.Locator("table").First.Locator("tbody tr").CountAsync());
        var effects = await hillstrom.Locator("table.effects tbody tr").AllInnerTextsAsync();
        Assert.Equal(4, effects.Count); // two treatments × conversion and revenue

        // The always-valid sequence is wider than the one-look interval, and both hold the estimate.
        foreach (var row in effects.Where(r => r.Contains("\tconversion\t", StringComparison.Ordinal)))
        {
            var cells = row.Split('\t');
            var fixedHorizon = cells[3].Trim('[', ']').Split(", ").Select(Number).ToArray();
            var sequential = cells[4].Split(" (")[0].Trim('[', ']').Split(", ").Select(Number).ToArray();
            Assert.True(sequential[1] - sequential[0] > fixedHorizon[1] - fixedHorizon[0], row);
            Assert.True(sequential[0] <= Number(cells[2]) && Number(cells[2]) <= sequential[1], row);
        }

        await Assertions.Expect(hillstrom.Locator("p", new() { HasText = "Sample ratio" })).ToBeVisibleAsync();
        Assert.Equal(2, await hillstrom.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^Sequential boundary") }).CountAsync());
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Customers_SampleData_ShowsSegmentMapAndCohortRetention()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/customers");
        var map = page.GetByRole(AriaRole.Img, new() { Name = "Customers by segment on the first two principal components" });
        await Assertions.Expect(map).ToBeVisibleAsync();
        var dots = await map.Locator("circle").CountAsync();
        Assert.InRange(dots, 100, 3000);
        Assert.Equal(4, await map.Locator("g").CountAsync()); // one colour group per segment of the k = 4 run

        var cohorts = await page.Locator("#cohort-table tbody tr").AllInnerTextsAsync();
        Assert.True(cohorts.Count >= 3, $"{cohorts.Count} cohorts");
        var shares = cohorts.SelectMany(r => r.Split('\t').Skip(2)).Where(c => c.EndsWith('%')).Select(c => Number(c.TrimEnd('%'))).ToList();
        Assert.NotEmpty(shares);
        Assert.All(shares, s => Assert.InRange(s, 0, 100));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Designer_Keyboard_TabReachesEveryFieldThenForecast_AndTextContrastIsReadable()
    {
        var (context, page, _) = await fixture.NewPageAsync();
        await using var __ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);
        await DashboardFixture.GoAsync(page, "/dashboard/designer");
        await page.Locator("main").FocusAsync();
        var visited = new List<string>();
        for (var i = 0; i < 40 && !visited.Contains("forecast-button"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            visited.Add(await page.EvaluateAsync<string>("() => document.activeElement.id || (document.activeElement.value === 'forecast' ? 'forecast-button' : document.activeElement.tagName)"));
        }

        string[] order = ["id", "name", "segment", "rule", "offer_type", "percent", "cap", "amount", "minimum_basket", "budget", "days", "holdout", "margin", "forecast-button"];
        Assert.Equal(order, visited.Where(order.Contains).ToArray());
        Assert.Equal(0, await page.EvaluateAsync<int>("() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(e => e.labels.length === 0).length"));

        // Dark text on light backgrounds: every label, help text and message at WCAG AA (4.5:1) against white.
        await page.GetByLabel("Budget").FillAsync("-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Forecast" }).ClickAsync();
        await DashboardFixture.WaitForPathAsync(page, path => path == "/dashboard/designer");
        await page.Locator("#budget-error").WaitForAsync();
        var ratios = await page.EvaluateAsync<double[]>("""
            () => {
              const lum = c => { const [r, g, b] = c.match(/\d+/g).slice(0, 3).map(v => { v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
              const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor; if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
              return [...document.querySelectorAll('main label, main .help, main .error, main .note, main legend, main p')].map(e => {
                const a = lum(getComputedStyle(e).color), b = lum(bg(e));
                return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
              });
            }
            """);
        Assert.NotEmpty(ratios);
        Assert.All(ratios, r => Assert.True(r >= 4.5, $"contrast {r:F2}"));
    }

    private static string Plausible(string field, Random random) => field switch
    {
        "id" => "fuzz-" + random.Next(1_000_000).ToString(CultureInfo.InvariantCulture),
        "name" => "Fuzz",
        "segment" => "",
        "rule" => random.Next(3) switch { 0 => "", 1 => "frequency >= 1", _ => "frequency > 100000" },
        "offer_type" => random.Next(3) switch { 0 => "percent_off", 1 => "amount_off", _ => "free_shipping" },
        "action" => random.Next(4) == 0 ? "launch" : "forecast",
        "days" => random.Next(1, 60).ToString(CultureInfo.InvariantCulture),
        "holdout" => random.Next(1, 51).ToString(CultureInfo.InvariantCulture),
        "cap" or "minimum_basket" => random.Next(2) == 0 ? "" : random.Next(1, 50).ToString(CultureInfo.InvariantCulture),
        _ => random.Next(1, 100).ToString(CultureInfo.InvariantCulture),
    };

    private static double Number(string text) => double.Parse(text.Trim().Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Screenshot(string name) => Path.Combine(DashboardFixture.ResultsFolder, "screenshots", name + ".png");

    [GeneratedRegex(@"Qini coefficient (-?[\d.,]+)")]
    private static partial Regex QiniCoefficient();
}
