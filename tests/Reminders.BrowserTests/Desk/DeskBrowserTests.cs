using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Reminders.BrowserTests.Desk;

/// <summary>Issue #18's fixes as a new user meets them on the demo data, each page checked with axe.</summary>
[Collection("browser")]
public sealed partial class DeskBrowserTests(AppServerFixture app)
{
    [Fact]
    public async Task The_unit_choice_shows_no_empty_error_list_and_the_header_names_the_chosen_unit()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("E-postadress").FillAsync("reception@demo.invalid");
        await page.GetByLabel("Lösenord").FillAsync(Reminders.Infrastructure.Seeding.DemoDataSeeder.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/Account/ChooseUnit"));

        // No errors yet: nothing of the (empty) error summary is shown above the question.
        await Assertions.Expect(page.GetByRole(AriaRole.Group, new() { Name = "Vilken enhet arbetar du på nu?" })).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator(".validation-summary li:visible, .validation-summary:visible").CountAsync());
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "choose-unit");

        // Continuing without a choice shows the error, once.
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await Assertions.Expect(page.Locator(".validation-summary li:visible")).ToHaveTextAsync("Välj en av dina enheter.");
        await AppServerFixture.AssertAccessibleAsync(page);

        await page.GetByLabel(new Regex("^Ortopedmottagning Halmstad")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/Account/ChooseUnit", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByTestId("current-unit")).ToHaveTextAsync("Ortopedmottagning Halmstad");
        await Assertions.Expect(page.Locator("header")).Not.ToContainTextAsync("SE2321000115-");
        await AppServerFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_patient_page_without_changes_says_so_instead_of_an_empty_history_table()
    {
        var page = await app.SignedInPageAsync("reception@demo.invalid");
        await page.GotoAsync("/CheckIn");
        // The first of today's arrivals: the demo seeder changes settings without audit rows, so its history is empty.
        await page.Locator("a[href*='/CheckIn/Patient']").First.ClickAsync();
        await Assertions.Expect(page.Locator("#history-heading")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("no-history")).ToHaveTextAsync("Inga ändringar har gjorts för patienten.");
        Assert.Equal(0, await page.GetByTestId("history").CountAsync());
        await AppServerFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task Rule_ids_stay_out_of_staff_sentences_and_open_as_a_detail()
    {
        var page = await app.SignedInPageAsync("chef@demo.invalid");
        foreach (var path in new[] { "/Reports/Migration", "/Reports/Blocked", "/Reports/DataQuality", "/CheckIn", "/EService" })
        {
            await page.GotoAsync(path);
            // Every "R12"-like ID on the page sits in a closed <details class="rule">, not in the visible text.
            var visible = await page.Locator("main").InnerTextAsync();
            Assert.False(RuleId().IsMatch(visible), $"{path} shows a rule ID in its text: {RuleId().Match(visible).Value}");
            await AppServerFixture.AssertAccessibleAsync(page);
        }

        await page.GotoAsync("/Reports/Migration");
        var detail = page.Locator("details.rule").First;
        await detail.Locator("summary").ClickAsync();
        await Assertions.Expect(detail).ToContainTextAsync("R32");
    }

    /// <summary>
    /// The README's picture of the check-in page: a patient at today's arrivals asked the question. Always checked with
    /// axe; written to <c>REMINDERS_README_SCREENSHOT</c> (scripts/screenshot.sh sets it to docs/check-in.png) when set.
    /// </summary>
    [Fact]
    public async Task The_check_in_page_as_the_readme_shows_it()
    {
        var page = await app.SignedInPageAsync("reception@demo.invalid");
        await page.SetViewportSizeAsync(1200, 900);
        await page.GotoAsync("/CheckIn");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Ankomster");
        await page.Locator("a[href*='/CheckIn/Patient']").Nth(1).ClickAsync();
        await Assertions.Expect(page.Locator("#question-heading")).ToHaveTextAsync("Fråga vid ankomsten");
        await AppServerFixture.AssertAccessibleAsync(page);
        if (Environment.GetEnvironmentVariable("REMINDERS_README_SCREENSHOT") is { Length: > 0 } path)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
            Assert.True(new FileInfo(path).Length > 10_000);
        }
    }

    [GeneratedRegex(@"\bR\d{1,2}[ab]?\b")]
    private static partial Regex RuleId();
}
