using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Testing;

namespace Reminders.BrowserTests.CheckIn;

/// <summary>Issue #5 in a real browser: the check-in flow by mouse and by keyboard, R42, R14, and axe on every page.</summary>
[Collection("browser")]
public sealed class CheckInBrowserTests(AppServerFixture app)
{
    private const string Reception = "reception@demo.invalid";

    [Fact]
    public async Task R40_R1_receptionist_finds_a_patient_by_identity_number_asks_the_question_activates_and_sees_the_status_change()
    {
        var id = Fiction.NewIdentity(new LocalDate(1961, 11, 11));
        await ArrangeAsync(id, "Webb Testsson", Fiction.Mobile(90));
        var page = await app.SignedInPageAsync(Reception);

        await page.GotoAsync("/CheckIn");
        await SearchBoxHasFocusAsync(page);
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-arrivals");
        await page.GetByLabel("Sök patient (personnummer eller namn)").FillAsync($"{id.Value[2..8]}-{id.Value[8..]}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sök" }).ClickAsync();

        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Webb Testsson");
        Assert.DoesNotContain(id.Value, page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("ul.badges").First).ToContainTextAsync("Inte aktiverad");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-patient-question");

        await page.GetByRole(AriaRole.Button, new() { Name = "Nej", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#question")).ToContainTextAsync("Vill du ha sms-påminnelser?");
        await AppServerFixture.AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja – aktivera" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Sms-påminnelser är aktiverade");
        await Assertions.Expect(page.GetByTestId("reminder-status")).ToContainTextAsync("Aktiverad");
        await Assertions.Expect(page.Locator("ul.badges").First).ToContainTextAsync("Aktiverad");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-patient-activated");
    }

    [Fact]
    public async Task R40_keyboard_only_search_question_and_activation()
    {
        var id = Fiction.NewIdentity(new LocalDate(1958, 2, 22));
        await ArrangeAsync(id, "Tangent Testsson", Fiction.Mobile(91));
        var page = await app.SignedInPageAsync(Reception);
        await page.GotoAsync("/CheckIn");
        await SearchBoxHasFocusAsync(page);

        // The search box has focus on arrival; Enter searches. No answer is pre-focused (R40, rev. 2): Enter alone
        // takes nothing, the receptionist tabs to the patient's answer.
        await page.Keyboard.TypeAsync(id.Value);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Tangent Testsson");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ja", Exact = true })).Not.ToBeFocusedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Nej", Exact = true }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#question")).ToContainTextAsync("Vill du ha sms-påminnelser?");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ja – aktivera" })).Not.ToBeFocusedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ja – aktivera" }));
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("reminder-status")).ToContainTextAsync("Aktiverad");
        await AppServerFixture.ScreenshotAsync(page, "checkin-keyboard-activated");
    }

    [Fact]
    public async Task R40_R41_the_desk_path_search_patient_answer_activate_takes_the_identity_number_and_six_keys()
    {
        var page = await app.SignedInPageAsync(Reception);
        var unit = HsaId.FromTrusted((await page.GetByTestId("current-unit").GetAttributeAsync("data-unit"))!);
        var id = Fiction.NewIdentity(new LocalDate(1949, 8, 18));
        await ArrangeAsync(id, "Räknad Tangentsson", PhoneNumber.FromTrusted("+46701740697"), bookingAt: unit);
        await page.GotoAsync("/CheckIn");
        await SearchBoxHasFocusAsync(page);
        var keys = 0;
        async Task PressAsync(string key)
        {
            keys++;
            await page.Keyboard.PressAsync(key);
        }

        // Search: the identity number and Enter.
        await page.Keyboard.TypeAsync(id.Value);
        keys += id.Value.Length;
        await PressAsync("Enter");

        // The patient page opens on the visit and the question (its panel has the focus, no answer has: R40).
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Räknad Tangentsson");
        await Assertions.Expect(page.GetByTestId("today-booking")).ToContainTextAsync("Dagens besök");
        await Assertions.Expect(page.GetByTestId("today-booking")).ToContainTextAsync("Ingen påminnelse skickades");
        await Assertions.Expect(page.Locator("#question")).ToBeFocusedAsync();
        await PressAsync("Tab");
        await PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Nej", Exact = true })).ToBeFocusedAsync();
        await PressAsync("Enter");

        // "Do you want SMS reminders?" comes next, with the activation one Tab away.
        await Assertions.Expect(page.Locator("#question")).ToContainTextAsync("Vill du ha sms-påminnelser?");
        await PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Ja – aktivera" })).ToBeFocusedAsync();
        await PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("reminder-status")).ToContainTextAsync("Aktiverad");
        Assert.Equal(id.Value.Length + 6, keys);
        await AppServerFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task R40_R1_keyboard_only_a_yes_from_a_patient_who_is_not_activated_shows_the_contradiction_and_offers_activation()
    {
        var page = await app.SignedInPageAsync(Reception);
        var unit = HsaId.FromTrusted((await page.GetByTestId("current-unit").GetAttributeAsync("data-unit"))!);
        var id = Fiction.NewIdentity(new LocalDate(1954, 4, 14));
        await ArrangeAsync(id, "Minns Vassms", Fiction.Mobile(96),
            configure: (_, s, c) => s.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, c with { Channel = ChangeChannel.Migration }),
            bookingAt: unit);
        await page.GotoAsync("/CheckIn");
        await SearchBoxHasFocusAsync(page);

        await page.Keyboard.TypeAsync(id.Value);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Minns Vassms");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ja", Exact = true }));
        await page.Keyboard.PressAsync("Enter");

        var contradiction = page.GetByTestId("answer-yes-contradiction");
        await Assertions.Expect(contradiction).ToContainTextAsync("Det stämmer inte med det vi vet");
        await Assertions.Expect(contradiction).ToContainTextAsync("inte aktiverad för sms-påminnelser");
        await Assertions.Expect(page.GetByTestId("yes-reasons")).ToContainTextAsync("hade blockerat en eller flera enheter");
        await Assertions.Expect(page.GetByTestId("answer-yes")).ToHaveCountAsync(0);
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-yes-contradicted");

        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Ja – aktivera" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("reminder-status")).ToContainTextAsync("Aktiverad");
        await AppServerFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task R42_a_child_turning_13_next_week_gets_the_notice()
    {
        var today = Stockholm.DateOf(app.Factory.Time.Now);
        var patient = await ArrangeAsync(Fiction.NewIdentity(today.PlusYears(-13).PlusDays(7)), "Snart Tretton",
            configure: (p, s, c) => { s.Activate(p, c); s.SetGuardianNumbers(p, [Fiction.Mobile(92)], c); });
        var page = await app.SignedInPageAsync(Reception);

        await page.GotoAsync($"/CheckIn/Patient?id={patient}");

        await Assertions.Expect(page.GetByTestId("turning-13")).ToContainTextAsync("om 7 dagar");
        await Assertions.Expect(page.Locator("#guardians")).ToContainTextAsync("070-174 06 92");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-turning-13");
    }

    [Fact]
    public async Task R14_a_protected_patient_shows_no_number_anywhere_and_activation_is_refused_with_the_reason()
    {
        var today = Stockholm.DateOf(app.Factory.Time.Now);
        var id = Fiction.NewIdentity(today.PlusYears(-9));
        var patient = await ArrangeAsync(id, "Skyddat Webbarn", Fiction.Mobile(93), protectedIdentity: true,
            configure: (p, s, c) => s.SetGuardianNumbers(p, [Fiction.Mobile(94)], c));
        var page = await app.SignedInPageAsync(Reception);

        await page.GotoAsync($"/CheckIn/Patient?id={patient}&svar=nej");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ja – aktivera" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToContainTextAsync("skyddad identitet");
        var digits = Regex.Replace(await page.ContentAsync(), @"(?<=\d)[\s\-]+(?=\d)", "");
        Assert.DoesNotContain("1740693", digits, StringComparison.Ordinal);
        Assert.DoesNotContain("1740694", digits, StringComparison.Ordinal);
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-protected-refused");
    }

    [Fact]
    public async Task R41_activated_patient_blocking_this_unit_sees_why_and_search_errors_are_accessible()
    {
        var page = await app.SignedInPageAsync(Reception);
        var unit = HsaId.FromTrusted((await page.GetByTestId("current-unit").GetAttributeAsync("data-unit"))!);
        var patient = await ArrangeAsync(Fiction.NewIdentity(new LocalDate(1970, 10, 10)), "Blockerar Testsson", Fiction.Mobile(95),
            configure: (p, s, c) => { s.Activate(p, c); s.Block(unit, c); }, bookingAt: unit);

        await page.GotoAsync($"/CheckIn/Patient?id={patient}&svar=nej");
        await Assertions.Expect(page.Locator("#why")).ToContainTextAsync("blockerat sms från den här enheten");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-why-no-sms");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ta bort blockeringen för" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToContainTextAsync("Blockeringen är borttagen");

        await page.GotoAsync("/CheckIn");
        await SearchBoxHasFocusAsync(page);
        await page.GetByLabel("Sök patient (personnummer eller namn)").FillAsync("19121312-1212");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sök" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Search.Query']")).ToContainTextAsync("Datumet finns inte.");
        await AppServerFixture.AssertAccessibleAsync(page);
        await AppServerFixture.ScreenshotAsync(page, "checkin-search-error");
    }

    /// <summary>
    /// The search box has the focus when the arrivals page opens (R40), so the receptionist can type at once. Typing
    /// before the browser has applied <c>autofocus</c> would lose keys, so the tests wait for it as a person would see it.
    /// </summary>
    private static Task SearchBoxHasFocusAsync(IPage page) =>
        Assertions.Expect(page.GetByLabel("Sök patient (personnummer eller namn)")).ToBeFocusedAsync();

    /// <summary>Presses Tab until <paramref name="target"/> has focus (keyboard only, as a receptionist would).</summary>
    private static async Task TabToAsync(IPage page, ILocator target, int maxTabs = 60)
    {
        for (var i = 0; i < maxTabs; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"{target} was not reached with {maxTabs} presses of Tab.");
    }

    private async Task<long> ArrangeAsync(
        PersonalIdentityNumber id,
        string name,
        PhoneNumber? mobile = null,
        bool protectedIdentity = false,
        Action<Patient, ReminderSetting, ChangeContext>? configure = null,
        HsaId? bookingAt = null)
    {
        var now = app.Factory.Time.Now;
        // The app runs on Kestrel here, so the context comes from its services (NewDbContext needs the test server).
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.RemindersDbContext>();
        var context = new ChangeContext(now - Duration.FromDays(10), null, ChangeChannel.CheckIn);
        var patient = await db.AddPatientAsync(id, name, mobile, now - Duration.FromDays(200), protectedIdentity,
            arrange: configure is null ? null : (p, s) => configure(p, s, context));
        if (bookingAt is { } unit)
        {
            await db.AddBookingAsync(Build.Booking($"WEB-{patient.Id}", patient.Id, unit, now + Duration.FromHours(3), now - Duration.FromDays(5)));
        }

        return patient.Id;
    }
}
