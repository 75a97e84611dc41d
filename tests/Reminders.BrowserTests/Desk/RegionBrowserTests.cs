using System.Globalization;
using Microsoft.Playwright;

namespace Reminders.BrowserTests.Desk;

/// <summary>The region view on the demo data, as the region's coordinator (an admin) opens it.</summary>
[Collection("browser")]
public sealed class RegionBrowserTests(AppServerFixture app)
{
    [Fact]
    public async Task R61_R57_the_region_view_tells_the_no_show_story_on_the_demo_data_with_counts_only()
    {
        var page = await app.SignedInPageAsync("admin@demo.invalid");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Regionen" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sms-påminnelser i hela regionen");

        // Twelve months of outcomes at every unit: the rate with a reminder is below the rate without in every month.
        var rows = page.Locator("[data-testid=region-noshows] tbody tr");
        Assert.Equal(12, await rows.CountAsync());
        foreach (var row in await rows.AllAsync())
        {
            var cells = await row.Locator("td").AllTextContentsAsync();
            Assert.True(int.Parse(cells[0].Replace("\u00a0", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) >= 100, $"few visits with a reminder: {string.Join(" | ", cells)}");
            Assert.True(Percent(cells[2]) < Percent(cells[5]), $"with a reminder not lower: {string.Join(" | ", cells)}");
        }

        await Assertions.Expect(page.Locator("[data-testid=region-story]")).ToContainTextAsync("färre");
        await Assertions.Expect(page.Locator("svg.chart")).ToHaveCountAsync(2);
        Assert.True(await page.Locator("[data-testid=region-clinics] tbody tr").CountAsync() >= 10);
        Assert.Equal(0, await page.Locator("a[href*='/CheckIn/Patient']").CountAsync());
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "region");
    }

    private static double Percent(string text) =>
        double.Parse(text.Replace("%", "", StringComparison.Ordinal).Trim(), CultureInfo.GetCultureInfo("sv-SE"));
}
