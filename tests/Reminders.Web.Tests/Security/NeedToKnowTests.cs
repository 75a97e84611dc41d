using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Web.Tests.CheckIn;

namespace Reminders.Web.Tests.Security;

/// <summary>
/// Issue #16 item 1, R57 (rev. 2) need to know: the patient page shows the bookings and SMS of the user's own units
/// only, and every patient shown in a list is an access in the patient's log extract (R55). The reports' lists are in
/// <c>Managers/ManagerReportsTests</c>.
/// </summary>
public sealed class NeedToKnowTests(CheckInFixture f) : IClassFixture<CheckInFixture>
{
    private const string ElsewhereText = "Patienten har även bokningar på andra enheter. De visas inte här.";

    [Fact]
    public async Task R57_the_patient_page_shows_bookings_and_SMS_of_the_users_own_units_only_and_a_neutral_line_for_the_others()
    {
        var id = Fiction.NewIdentity(new LocalDate(1979, 7, 7));
        var patient = await f.PatientAsync(id, "Behov Attveta", Fiction.Mobile(60), configure: (p, s, c) => s.Activate(p, c));
        await f.BookingAsync(id, Staff.UnitA, 14, 15, days: 2);
        await f.BookingAsync(id, Staff.UnitC, 11, 40, days: 3);

        var page = await f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient));

        var bookings = page.QuerySelector("#bookings")!;
        Assert.Equal(["2025-03-29 14:15 – Testmottagning A"], bookings.QuerySelectorAll("h3").Select(h => h.TextContent.Trim()).ToArray());
        Assert.Equal(ElsewhereText, bookings.QuerySelector("[data-testid=bookings-elsewhere]")!.TextContent.Trim());

        // Nothing of the other unit's booking anywhere on the page: neither its time nor its SMS (the unit's name is
        // still in the list of units a patient may block, R3, which is not about this patient).
        Assert.DoesNotContain("11:40", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Annan mottagning C", bookings.TextContent, StringComparison.Ordinal);

        // A colleague who works at C as well sees both, and no such line.
        var both = await f.Factory.SignedInClientAsync($"a-och-c-{patient}@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA, Staff.UnitC]);
        await both.ChooseUnitAsync(Staff.UnitA);
        var full = await both.GetPageAsync(CheckInFixture.PatientUrl(patient));
        Assert.Equal(["2025-03-29 14:15 – Testmottagning A", "2025-03-30 11:40 – Annan mottagning C"],
            full.QuerySelectorAll("#bookings h3").Select(h => h.TextContent.Trim()).ToArray());
        Assert.Null(full.QuerySelector("[data-testid=bookings-elsewhere]"));
    }

    [Fact]
    public async Task R57_a_patient_booked_only_elsewhere_shows_no_booking_and_says_so_without_naming_the_unit()
    {
        var id = Fiction.NewIdentity(new LocalDate(1979, 7, 8));
        var patient = await f.PatientAsync(id, "Bara Annorstädes", Fiction.Mobile(62));
        await f.BookingAsync(id, Staff.UnitC, 9, 5, days: 1);

        var bookings = (await f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient))).QuerySelector("#bookings")!;

        Assert.Empty(bookings.QuerySelectorAll("h3"));
        Assert.Contains("Inga kommande bokningar på dina enheter.", bookings.TextContent, StringComparison.Ordinal);
        Assert.Equal(ElsewhereText, bookings.QuerySelector("[data-testid=bookings-elsewhere]")!.TextContent.Trim());
        Assert.DoesNotContain("Annan mottagning C", bookings.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R55_R57_each_patient_on_the_arrivals_list_and_in_a_name_search_has_a_row_of_their_own_in_the_log_extract()
    {
        var id = Fiction.NewIdentity(new LocalDate(1978, 8, 8));
        var patient = await f.PatientAsync(id, "Utdrag Listdotter", Fiction.Mobile(61));
        await f.BookingAsync(id, Staff.UnitA, 16, 20);
        var neighbour = Fiction.NewIdentity(new LocalDate(1978, 8, 9));
        var neighbourId = await f.PatientAsync(neighbour, "Granne Listsson", Fiction.Mobile(63));
        await f.BookingAsync(neighbour, Staff.UnitA, 16, 40);

        var arrivals = await f.Reception.GetPageAsync("/CheckIn");
        await f.Reception.SubmitAsync(arrivals, "#search", new Dictionary<string, string> { ["Search.Query"] = "listdotter" });

        await using (var db = f.Factory.NewDbContext())
        {
            foreach (var listed in new[] { patient, neighbourId })
            {
                // Each search shows the list again: two arrivals views so far, one row per patient per view.
                var rows = await db.AuditEvents.Where(a => a.PatientId == listed && a.Action == nameof(AuditAction.ShownInList)).ToListAsync();
                Assert.Equal(2, rows.Count);
                Assert.All(rows, r => Assert.Equal((f.ReceptionId, Staff.UnitA.Value, "CheckIn", "{\"list\":\"Arrivals\"}"), (r.Actor, r.Unit!, r.Channel, r.Details!)));
            }

            // The view's own row counts; it no longer carries every patient id.
            var view = await db.AuditEvents.Where(a => a.Action == nameof(AuditAction.ViewArrivals)).OrderByDescending(a => a.Id).FirstAsync();
            Assert.Null(view.PatientId);
            Assert.Equal("{\"count\":2}", view.Details);
            Assert.Single(await db.AuditEvents.Where(a => a.PatientId == patient && a.Action == nameof(AuditAction.SearchPatients)).ToListAsync());
        }

        // The patient page's change history is not filled with list appearances: they are in the extract.
        var history = (await f.Reception.GetPageAsync(CheckInFixture.PatientUrl(patient))).QuerySelector("[data-testid=history]")!.TextContent;
        Assert.DoesNotContain(nameof(AuditAction.ShownInList), history, StringComparison.Ordinal);

        var admin = await f.Factory.SignedInClientAsync("admin-utdrag@test.invalid", [StaffRoles.Admin], []);
        var form = await admin.GetPageAsync("/Admin/Audit/Extract");
        var extract = await Forms.ParseAsync(await admin.SubmitAsync(form, "#extract-form", new Dictionary<string, string> { ["Patient"] = id.Value }));
        var shown = extract.QuerySelectorAll("#extract-rows tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(2, shown.Count(r => r[1] == "Testmottagning A" && r[2] == nameof(AuditAction.ShownInList)));
        Assert.Single(shown, r => r[1] == "Testmottagning A" && r[2] == nameof(AuditAction.SearchPatients));
    }
}
