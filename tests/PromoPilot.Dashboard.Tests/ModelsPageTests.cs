using Microsoft.Playwright;

namespace PromoPilot.Dashboard.Tests;

/// <summary>
/// The Models page and the monitoring gauges, against the fixture's server (Hillstrom sample with the effect model
/// fitted by <c>decide fit-effect</c>, so its training reference is in the store).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ModelsPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Models_FittedEffectModel_ShowsDriftTableCalibrationPlotAndImportanceWithoutConsoleErrors()
    {
        var (context, page, errors) = await fixture.NewPageAsync();
        await using var _ = context;
        await DashboardFixture.SignInAsync(page, fixture.AnalystKey);

        var response = await DashboardFixture.GoAsync(page, "/dashboard/models");

        Assert.Equal(200, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Models", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("nav a[aria-current=page]")).ToHaveTextAsync("Models");
        var model = page.Locator("section", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "effect-hillstrom_email_2008-conversion" }) });
        // Six drift rows (five features and the score), each with a text status label; nothing changed since fitting, so all ok.
        var driftRows = model.Locator("table").First.Locator("tbody tr");
        await Assertions.Expect(driftRows).ToHaveCountAsync(6);
        Assert.All(await driftRows.AllInnerTextsAsync(), r => Assert.Contains("ok", r, StringComparison.Ordinal));
        await Assertions.Expect(model.GetByRole(AriaRole.Img, new() { Name = "Calibration of effect-hillstrom_email_2008-conversion: observed outcome rate against mean prediction per bin" })).ToBeVisibleAsync();
        await Assertions.Expect(model.GetByRole(AriaRole.Img, new() { Name = "effect-hillstrom_email_2008-conversion: |coefficient| of each standardized feature on the uplift log-odds" })).ToBeVisibleAsync();
        await Assertions.Expect(model).ToContainTextAsync("history");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ResultsFolder, "models-page.png"), FullPage = true });
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Metrics_AfterMonitoringPass_ExposesModelPsiGauges()
    {
        using var client = new HttpClient { BaseAddress = fixture.Address };

        var text = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("promopilot_model_psi{model=\"effect-hillstrom_email_2008-conversion\",feature=\"history\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("promopilot_model_score_psi{model=\"effect-hillstrom_email_2008-conversion\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("promopilot_model_drift_status{model=\"effect-hillstrom_email_2008-conversion\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("promopilot_model_calibration_ece{model=\"effect-hillstrom_email_2008-conversion\",sample=\"recent\"}", text, StringComparison.Ordinal);
    }
}
