using Microsoft.Playwright;

namespace Reminders.BrowserTests.Foundation;

[Collection("browser")]
public sealed class SignInBrowserTests(AppServerFixture app)
{
    [Fact]
    public async Task Sign_in_page_is_accessible_and_in_swedish()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");

        Assert.Contains("/Account/SignIn", page.Url, StringComparison.Ordinal);
        Assert.Equal("sv", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("Logga in", (await page.Locator("h1").TextContentAsync())?.Trim());
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "sign-in");
    }

    [Fact]
    public async Task Wrong_password_shows_a_swedish_error_and_keeps_the_email()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.GetByLabel("E-postadress").FillAsync("admin@demo.invalid");
        await page.GetByLabel("Lösenord").FillAsync("Fel-Lösenord-123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Fel e-postadress eller lösenord");
        Assert.Equal("admin@demo.invalid", await page.GetByLabel("E-postadress").InputValueAsync());
    }

    [Fact]
    public async Task Each_demo_role_signs_in_from_the_keyboard_and_sees_its_own_menu()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/Account/SignIn");
        await page.Keyboard.PressAsync("Tab"); // skip link first
        await page.GetByLabel("E-postadress").FocusAsync();
        await page.Keyboard.TypeAsync("admin@demo.invalid");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(Infrastructure.Seeding.DemoDataSeeder.DemoPassword);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(app.BaseUrl + "/");

        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Användare" })).ToBeVisibleAsync();
        await Assertions.Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Ankomster" })).ToHaveCountAsync(0);
        await AppServerFixture.AssertAccessibleAsync(page);

        var reception = await app.SignedInPageAsync("reception@demo.invalid");
        var receptionMenu = reception.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        await Assertions.Expect(receptionMenu.GetByRole(AriaRole.Link, new() { Name = "Ankomster" })).ToBeVisibleAsync();
        await Assertions.Expect(receptionMenu.GetByRole(AriaRole.Link, new() { Name = "Användare" })).ToHaveCountAsync(0);
        // The header names the chosen unit (the first of the receptionist's, by name), not its HSA-id (issue #18).
        await Assertions.Expect(reception.GetByTestId("current-unit")).ToHaveTextAsync("Kirurgmottagning Halmstad");
        await Assertions.Expect(reception.GetByTestId("current-unit")).ToHaveAttributeAsync("data-unit", new System.Text.RegularExpressions.Regex("^SE2321000115-"));
        await AppServerFixture.ScreenshotAsync(reception, "reception-home");
    }

    [Fact]
    public async Task Admin_pages_are_accessible()
    {
        var page = await app.SignedInPageAsync("admin@demo.invalid");
        foreach (var path in new[] { "/Admin/Users", "/Admin/Users/Edit", "/Admin/Audit?From=2020-01-01", "/Admin/Sms" })
        {
            await page.GotoAsync(path);
            await AppServerFixture.AssertAccessibleAsync(page);
        }

        await AppServerFixture.ScreenshotAsync(page, "admin-sms");
    }
}
