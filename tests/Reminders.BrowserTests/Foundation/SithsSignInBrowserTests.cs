using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.BrowserTests.Foundation;

/// <summary>
/// Issue #17: sign-in with the SITHS card in chromium, through the real redirects to the test OpenID Connect provider
/// (OpenIddict on loopback, <see cref="OidcHarness"/>: the app on Kestrel over HTTPS) and back, and sign-out that ends
/// the session at the provider too.
/// </summary>
[Collection("browser")]
public sealed class SithsSignInBrowserTests(AppServerFixture browser)
{
    private const string HsaId = "SE2321000016-15RX";

    [Fact]
    public async Task R51_staff_member_signs_in_with_SITHS_chooses_a_unit_reaches_check_in_and_signing_out_ends_the_provider_session()
    {
        await using var h = await OidcHarness.StartAsync();
        var userId = await h.App.CreateStaffAsync("siths.reception@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA, Staff.UnitB]);
        await h.RegisterHsaIdAsync(userId, HsaId);
        var page = await browser.NewPageAsync(h.BaseUrl);

        // The app's sign-in page → the provider's login page (where the card would be read).
        await page.GotoAsync("/Account/SignIn");
        await AppServerFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in med SITHS-kort" }).ClickAsync();
        await AppServerFixture.LeftAsync(page, h.BaseUrl);
        Assert.StartsWith(h.Provider.Authority + "login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("HSA-id från SITHS-kortet").FillAsync(HsaId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Legitimera" }).ClickAsync();

        // Back through the provider's authorization endpoint and /signin-oidc: signed in as the account with that
        // HSA-id, which works at two units and chooses one first.
        await AppServerFixture.LeftAsync(page, h.Provider.Authority.ToString());
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(h.BaseUrl + "/Account/ChooseUnit")));
        await Assertions.Expect(page.Locator(".session")).ToContainTextAsync("siths.reception");
        await AppServerFixture.AssertAccessibleAsync(page);
        await page.Locator($"input[name=Unit][value='{Staff.UnitB.Value}']").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Fortsätt" }).ClickAsync();
        await AppServerFixture.LeftAsync(page, "/Account/ChooseUnit");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Ankomster" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(h.BaseUrl + "/CheckIn");
        await Assertions.Expect(page.GetByTestId("current-unit")).ToHaveAttributeAsync("data-unit", Staff.UnitB.Value);
        await AppServerFixture.AssertAccessibleAsync(page);

        // Sign-out: the provider's end-session endpoint, then back on the app's sign-in page.
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga ut" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(h.BaseUrl + "/Account/SignIn");
        Assert.Equal(1, h.Provider.EndedSessions);
        await AppServerFixture.AssertAccessibleAsync(page);
        await page.GotoAsync("/CheckIn");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(h.BaseUrl + "/Account/SignIn")));

        // The provider's session ended too: the card is asked for again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Logga in med SITHS-kort" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(h.Provider.Authority + "login")));
    }
}
