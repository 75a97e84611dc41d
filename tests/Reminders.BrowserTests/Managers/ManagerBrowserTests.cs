using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Time;
using Reminders.Testing;

namespace Reminders.BrowserTests.Managers;

/// <summary>The manager's follow-up pages and the admin's unit editor in a real browser, with axe checks.</summary>
[Collection("browser")]
public sealed class ManagerBrowserTests(AppServerFixture app)
{
    /// <summary>Recorded outcomes at a Kirurgikliniken unit in February (the demo data has none), some after a sent reminder.</summary>
    private async Task ArrangeOutcomesAsync()
    {
        // NewDbContext() reads Factory.Server, which Kestrel mode does not support: a scope of the app instead.
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Reminders.Infrastructure.Persistence.RemindersDbContext>();
        var unit = (await db.Units.Where(u => u.Clinic == "Kirurgikliniken").ToListAsync()).OrderBy(u => u.Name, StringComparer.Ordinal).First().HsaId;
        var pin = PersonalIdentityNumber.Create(new LocalDate(1971, 4, 4), 913);
        if (await db.Patients.AnyAsync(p => p.IdentityNumber == pin))
        {
            return;
        }

        var patient = Build.Patient(pin, "Utfall Demosson");
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        var now = app.Factory.Time.Now;
        for (var day = 1; day <= 12; day++)
        {
            var start = Stockholm.ToInstant(new LocalDateTime(2025, 2, day + 2, 10, 0));
            var booking = Build.Booking("browser-outcome-" + day, patient.Id, unit, start, start - Duration.FromDays(20));
            booking.RecordOutcome(day % 4 == 0 || (day > 8 && day % 2 == 1) ? BookingOutcome.NoShow : BookingOutcome.Attended, now);
            await db.AddBookingAsync(booking, day <= 8 ? b => Build.Sms(b, Fiction.Mobile(60), SmsStatus.Sent, callbackToken: "browser-" + day) : null);
        }
    }

    [Fact]
    public async Task R60_the_managers_overview_lists_own_units_and_each_report_is_accessible()
    {
        await ArrangeOutcomesAsync();
        var page = await app.SignedInPageAsync("chef@demo.invalid");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Huvudmeny" }).GetByRole(AriaRole.Link, new() { Name = "Uppföljning" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Uppföljning för mina enheter");
        var rows = page.Locator("[data-testid=overview] tbody tr");
        Assert.True(await rows.CountAsync() > 0);
        await Assertions.Expect(page.Locator("[data-testid=overview]")).ToContainTextAsync("Kirurgikliniken");
        await Assertions.Expect(page.Locator("[data-testid=overview]")).Not.ToContainTextAsync("Ortopedikliniken");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "manager-overview");

        foreach (var (link, heading) in new[]
        {
            ("Patienter som blockerar mina enheter", "Patienter som blockerar mina enheter"),
            ("Ej aktiverade vid migreringen från VAS", "Ej aktiverade vid migreringen från VAS"),
            ("Datakvalitet: sms som inte når fram", "Datakvalitet: sms som inte når fram"),
            ("Uteblivna besök med och utan påminnelse", "Uteblivna besök med och utan påminnelse"),
        })
        {
            await page.GotoAsync("/Reports");
            await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading);
            await AppServerFixture.AssertAccessibleAsync(page);
        }

        await Assertions.Expect(page.Locator("svg.chart").First).ToBeVisibleAsync();
        await AppServerFixture.ScreenshotAsync(page, "manager-noshows");
    }

    [Fact]
    public async Task R27_the_unit_editor_previews_the_reminder_live_and_with_the_button()
    {
        var page = await app.SignedInPageAsync("admin@demo.invalid");
        await page.GotoAsync("/Admin/Units");
        await AppServerFixture.AssertAccessibleAsync(page);
        await page.Locator("[data-testid=units] tbody tr a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Redigera enhet");

        var name = page.GetByLabel("Namn som det står i sms:et");
        await name.FillAsync("Mottagningen för " + new string('x', 60));
        // js/unit-preview.js refreshes the preview from the server while typing.
        await Assertions.Expect(page.Locator("[data-preview-size]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^2 sms"));
        await Assertions.Expect(page.Locator("[data-preview-message]")).ToContainTextAsync("Varning");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "unit-editor-warning");

        await name.FillAsync("Kirurgmottagning Test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Förhandsgranska" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=preview-text]")).ToContainTextAsync("Påminnelse om bokad kontakt med Kirurgmottagning Test 2025-12-31 kl. 23:59.");
        await Assertions.Expect(page.Locator("[data-testid=preview-size]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^1 sms"));
        await AppServerFixture.AssertAccessibleAsync(page);
    }
}
