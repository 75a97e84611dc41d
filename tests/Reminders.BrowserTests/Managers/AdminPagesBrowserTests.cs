using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Reminders.Domain.EService;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;

namespace Reminders.BrowserTests.Managers;

/// <summary>The other issue #8 pages pass the axe check and are reachable from the menu.</summary>
[Collection("browser")]
public sealed class AdminPagesBrowserTests(AppServerFixture app)
{
    [Fact]
    public async Task Admin_pages_of_issue_8_are_in_the_menu_and_accessible()
    {
        var page = await app.SignedInPageAsync("admin@demo.invalid");
        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" });
        foreach (var (link, heading) in new[]
        {
            ("Enheter", "Enheter"),
            ("Standardsvar", "Standardsvar för e-tjänstärenden"),
            ("Migrering", "Migrering från VAS"),
            ("Inställningar", "Inställningar för sms"),
        })
        {
            await menu.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await AppServerFixture.AssertAccessibleAsync(page);
        }

        await AppServerFixture.ScreenshotAsync(page, "admin-settings");
    }

    [Fact]
    public async Task R45_the_eservice_inbox_is_in_the_reception_menu_and_accessible()
    {
        var page = await app.SignedInPageAsync("reception@demo.invalid");
        var unit = HsaId.FromTrusted((await page.GetByTestId("current-unit").GetAttributeAsync("data-unit"))!);
        await using (var scope = app.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            var patient = await db.Patients.OrderBy(p => p.Id).FirstAsync(p => !p.ProtectedIdentity);
            var other = await db.Units.FirstAsync(u => u.HsaId != unit);
            db.EServiceRequests.Add(EServiceRequest.Receive(unit, patient.Id, EServiceKind.Block, other.HsaId, null, app.Factory.Time.Now));
            db.StandardAnswers.Add(StandardAnswer.Create("Vi kan inte genomföra din begäran. Kontakta mottagningen.", app.Factory.Time.Now).Value);
            await db.SaveChangesAsync();
        }

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "E-tjänstärenden" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("E-tjänstärenden");
        // The inbox also holds the demo's requests: look for this one's effect among them.
        await Assertions.Expect(page.GetByTestId("effect").Filter(new() { HasText = "blockeras" }).First).ToBeVisibleAsync();
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "eservice-inbox");
    }
}
