using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Application.Reports;
using Reminders.Web.Features.Reports;

namespace Reminders.Web.Tests.Managers;

/// <summary>
/// R60, R60b, R61: the manager's reports, on data that exercises each case. The manager owns units A and B
/// (Testkliniken); unit C (Andra kliniken) is someone else's, and nothing of it may show.
/// </summary>
public sealed class ManagerReportsTests(ManagerReportsTests.World world) : IClassFixture<ManagerReportsTests.World>
{
    [Fact]
    public async Task R60_overview_counts_each_own_unit_and_shows_no_other_unit()
    {
        var page = await world.Manager.GetPageAsync("/Reports");
        var rows = page.QuerySelectorAll("[data-testid=overview] tbody tr");
        Assert.Equal([Staff.UnitA.Value, Staff.UnitB.Value], rows.Select(r => r.GetAttribute("data-unit")!).ToArray());
        var a = rows[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
        // A: blocked by P1 and P6 (P3's VAS block is history, R32 rev. 2); left out: P3 (R32); unreachable: no mobile, landline, mobile before 13.
        Assert.Equal(["Testkliniken", "2", "1", "3"], a);
        var b = rows[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray();
        // B: blocked by P6; left out: P3 (R32) and P4 (R33); unreachable: the child without guardian numbers.
        Assert.Equal(["Testkliniken", "1", "2", "1"], b);
        Assert.DoesNotContain("Annan mottagning C", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R60_blocked_lists_who_blocks_which_own_unit_with_when_where_and_upcoming_bookings()
    {
        var page = await world.Manager.GetPageAsync("/Reports/Blocked");
        var counts = page.QuerySelectorAll("[data-testid=blocked-counts] td[data-unit]").ToDictionary(td => td.GetAttribute("data-unit")!, td => td.TextContent.Trim());
        Assert.Equal("2", counts[Staff.UnitA.Value]);
        Assert.Equal("1", counts[Staff.UnitB.Value]);
        var rows = page.QuerySelectorAll("[data-testid=blocked-rows] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(3, rows.Count);
        var p1 = Assert.Single(rows, r => r.Contains(world.P1.Name, StringComparison.Ordinal));
        Assert.Contains("Annan mottagning C", p1, StringComparison.Ordinal);
        Assert.Contains("Ankomstregistrering", p1, StringComparison.Ordinal);
        Assert.Contains("1 st, nästa 2025-03-30 10:00", p1, StringComparison.Ordinal);
        Assert.DoesNotContain(rows, r => r.Contains(world.P2.Name, StringComparison.Ordinal));
        Assert.NotNull(page.QuerySelector($"a[href='/CheckIn/Patient?id={world.P1.Id}']"));
    }

    [Fact]
    public async Task R60_blocked_csv_is_semicolon_separated_utf8_with_bom_and_parses_back()
    {
        var response = await world.Manager.GetAsync("/Reports/Blocked?handler=Csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Csv.Parse(Encoding.UTF8.GetString(bytes));
        Assert.Equal("Klinik", rows[0].Cells[0]);
        Assert.Equal(4, rows.Count);
        var p1 = Assert.Single(rows, r => r.Cells[4] == world.P1.Name);
        Assert.Equal(["Testkliniken", "Testmottagning A", Staff.UnitA.Value, world.P1.IdentityNumber.Value], p1.Cells.Take(4).ToArray());
        Assert.Equal("1", p1.Cells[8]);
        Assert.DoesNotContain(rows, r => r.Cells.Contains(world.P2.Name));
    }

    [Theory]
    [InlineData("/Reports/Blocked")]
    [InlineData("/Reports/Blocked?handler=Csv")]
    [InlineData("/Reports/Migration")]
    [InlineData("/Reports/DataQuality")]
    [InlineData("/Reports/NoShows")]
    [InlineData("/Reports")]
    public async Task R56_a_manager_asking_for_another_unit_is_refused_and_audited(string path)
    {
        var url = path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "unit=" + Staff.UnitC.Value;
        var response = await world.Manager.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);

        await using var db = world.Factory.NewDbContext();
        var denied = await db.AuditEvents.Where(e => e.Action == nameof(AuditAction.AccessDenied) && e.Actor == world.ManagerId).ToListAsync();
        Assert.Contains(denied, e => !e.Succeeded && e.Details!.Contains(Staff.UnitC.Value, StringComparison.Ordinal));
    }

    [Fact]
    public async Task R60_a_manager_may_narrow_to_one_own_unit()
    {
        var page = await world.Manager.GetPageAsync("/Reports/Blocked?unit=" + Staff.UnitB.Value);
        Assert.Single(page.QuerySelectorAll("[data-testid=blocked-rows] tbody tr"));
    }

    [Fact]
    public async Task R60_R32_R33_migration_counts_by_clinic_and_unit_and_lists_those_booked_soon()
    {
        var page = await world.Manager.GetPageAsync("/Reports/Migration");
        var clinic = page.QuerySelectorAll("[data-testid=migration-clinics] tbody tr").Select(Cells).ToList();
        // P3 blocks A and B but counts once for the clinic; P4 (R33) has a booking at B; P5 (R33) only at C.
        Assert.Equal([["Testkliniken", "1", "1", "2"]], clinic);
        var units = page.QuerySelectorAll("[data-testid=migration-units] tbody tr").ToDictionary(r => r.GetAttribute("data-unit")!, Cells);
        Assert.Equal(["Testkliniken", "Testmottagning A", "1", "0", "1"], units[Staff.UnitA.Value]);
        Assert.Equal(["Testkliniken", "Testmottagning B", "1", "1", "2"], units[Staff.UnitB.Value]);
        var soon = page.QuerySelectorAll("[data-testid=migration-upcoming] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(world.P3.Name, Assert.Single(soon), StringComparison.Ordinal);

        var month = await world.Manager.GetPageAsync("/Reports/Migration?days=30");
        var later = month.QuerySelectorAll("[data-testid=migration-upcoming] tbody tr").ToList();
        Assert.Equal(2, later.Count);
        // The rule stays out of the sentence (issue #18): it is the cell's data-rule.
        Assert.Contains(later, r => r.TextContent.Contains(world.P4.Name, StringComparison.Ordinal) && r.QuerySelector("[data-rule=R33]") is not null
            && !r.TextContent.Contains("R33", StringComparison.Ordinal));
        Assert.DoesNotContain(world.P5.Name, month.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R60b_unreachable_lists_each_reason_from_the_decision_and_shared_numbers_are_masked()
    {
        var page = await world.Manager.GetPageAsync("/Reports/DataQuality");
        var rows = page.QuerySelectorAll("[data-testid=unreachable] tbody tr")
            .ToDictionary(r => long.Parse(r.GetAttribute("data-patient")!, System.Globalization.CultureInfo.InvariantCulture), r => r.QuerySelector("[data-code]")!.GetAttribute("data-code"));
        Assert.Equal(4, rows.Count);
        Assert.Equal("NoMobile", rows[world.NoMobile.Id]);
        Assert.Equal("NotMobile", rows[world.Landline.Id]);
        Assert.Equal("MobileRegisteredBefore13", rows[world.MobileBefore13.Id]);
        Assert.Equal("NoGuardianNumbers", rows[world.Child.Id]);

        var shared = Assert.Single(page.QuerySelectorAll("[data-testid=shared-numbers] tbody tr"));
        Assert.Equal("2", shared.QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Contains(world.Shared1.Name, shared.TextContent, StringComparison.Ordinal);
        Assert.Contains(world.Shared2.Name, shared.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("50", shared.QuerySelectorAll("td")[0].TextContent.Trim(), StringComparison.Ordinal);
        var html = page.Body!.InnerHtml;
        Assert.DoesNotContain("70174065", html, StringComparison.Ordinal);
        Assert.DoesNotContain(world.SharedProtected.Name, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R61_no_show_rates_match_hand_computed_values_in_table_chart_and_csv()
    {
        var page = await world.Manager.GetPageAsync("/Reports/NoShows?unit=" + Staff.UnitA.Value + "&from=2025-01&to=2025-03");
        var table = page.QuerySelectorAll("[data-testid=noshow-table] tbody tr").ToDictionary(r => r.GetAttribute("data-month")!, Cells);
        // January: with reminder 2 (1 no-show, Sent counts) → 50 %; without 2 (the Failed one counts as without), both no-shows → 100 %.
        Assert.Equal(["2", "1", "50,0 %", "2", "2", "100,0 %"], table["2025-01"].Skip(1).ToArray());
        // February: 3 delivered, none no-show; 1 without, a no-show; the booking without an outcome is not counted.
        Assert.Equal(["3", "0", "0,0 %", "1", "1", "100,0 %"], table["2025-02"].Skip(1).ToArray());
        Assert.Equal(2, table.Count);

        var svg = page.QuerySelector("svg.chart")!;
        Assert.Equal("img", svg.GetAttribute("role"));
        Assert.Contains("2025-01: med påminnelse 50,0 % (1 av 2), utan påminnelse 100,0 % (2 av 2).", svg.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(4, svg.QuerySelectorAll("rect title").Length);

        var csv = Csv.Parse(await world.Manager.GetStringAsync("/Reports/NoShows?handler=Csv&from=2025-01&to=2025-03"));
        var jan = Assert.Single(csv, r => r.Cells[2] == Staff.UnitA.Value && r.Cells[3] == "2025-01").Cells;
        Assert.Equal(["2", "1", "50,0 %", "2", "2", "100,0 %"], jan.Skip(4).ToArray());
        Assert.DoesNotContain(csv, r => r.Cells[2] == Staff.UnitC.Value);
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) => row.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray();

    public sealed class World : IAsyncLifetime
    {
        public RemindersFactory Factory { get; } = new();

        public HttpClient Manager { get; private set; } = null!;

        public string ManagerId { get; private set; } = "";

        public Patient P1 { get; private set; } = null!;

        public Patient P2 { get; private set; } = null!;

        public Patient P3 { get; private set; } = null!;

        public Patient P4 { get; private set; } = null!;

        public Patient P5 { get; private set; } = null!;

        public Patient NoMobile { get; private set; } = null!;

        public Patient Landline { get; private set; } = null!;

        public Patient MobileBefore13 { get; private set; } = null!;

        public Patient Child { get; private set; } = null!;

        public Patient Shared1 { get; private set; } = null!;

        public Patient Shared2 { get; private set; } = null!;

        public Patient SharedProtected { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var f = Factory;
            Manager = await f.SignedInClientAsync("chef@test.invalid", [StaffRoles.Receptionist, StaffRoles.UnitManager], [Staff.UnitA, Staff.UnitB]);
            await Manager.ChooseUnitAsync(Staff.UnitA);
            await using (var db = f.NewDbContext())
            {
                ManagerId = db.Users.Single(u => u.Email == "chef@test.invalid").Id;
            }

            var now = f.Time.Now; // 2025-03-27 09:00 local
            var atC = new ChangeContext(now - Duration.FromDays(3), Staff.UnitC, ChangeChannel.CheckIn);
            var migration = new ChangeContext(now - Duration.FromDays(30), null, ChangeChannel.Migration);

            P1 = await f.PatientAsync("Patient Ett", mobile: Fiction.NthMobile(1), arrange: (p, s, n) => { ReportWorld.Activate(p, s, n); s.Block(Staff.UnitA, atC); });
            await f.BookingAsync(P1, Staff.UnitA, ReportWorld.Local(2025, 3, 30, 10));
            await f.BookingAsync(P1, Staff.UnitA, ReportWorld.Local(2025, 3, 20, 10));
            P2 = await f.PatientAsync("Patient Två", mobile: Fiction.NthMobile(2), arrange: (p, s, n) => { ReportWorld.Activate(p, s, n); s.Block(Staff.UnitC, atC); });

            P3 = await f.PatientAsync("Patient Tre", mobile: Fiction.NthMobile(3), arrange: (_, s, _) =>
            {
                // R32 (rev. 2): the migration keeps VAS blocks as history, not in force.
                s.KeepVasBlock(Staff.UnitA, migration.At);
                s.KeepVasBlock(Staff.UnitB, migration.At);
                s.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, migration);
            });
            await f.BookingAsync(P3, Staff.UnitA, ReportWorld.Local(2025, 4, 1));

            // Blocks A and B at the desk (not activated: the blocks count, the patient is not "unreachable").
            await f.PatientAsync("Patient Sex", mobile: Fiction.NthMobile(90), arrange: (_, s, _) =>
            {
                s.Block(Staff.UnitA, atC);
                s.Block(Staff.UnitB, atC);
            });
            P4 = await f.PatientAsync("Patient Fyra", mobile: Fiction.NthMobile(4), arrange: (_, s, _) => s.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, migration));
            await f.BookingAsync(P4, Staff.UnitB, ReportWorld.Local(2025, 4, 16));
            P5 = await f.PatientAsync("Patient Fem", mobile: Fiction.NthMobile(5), arrange: (_, s, _) => s.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, migration));
            await f.BookingAsync(P5, Staff.UnitC, ReportWorld.Local(2025, 4, 2));

            NoMobile = await f.PatientAsync("Utan Nummer", arrange: ReportWorld.Activate);
            await f.BookingAsync(NoMobile, Staff.UnitA, ReportWorld.Local(2025, 3, 29));
            Landline = await f.PatientAsync("Med Fast", mobile: PhoneNumber.Parse("08-465 004 12").Value, arrange: ReportWorld.Activate);
            await f.BookingAsync(Landline, Staff.UnitA, ReportWorld.Local(2025, 3, 31));
            MobileBefore13 = await f.PatientAsync("Ung Vuxen", born: new LocalDate(2005, 2, 1), mobile: Fiction.NthMobile(6), mobileUpdatedAt: ReportWorld.Local(2015, 1, 1), arrange: ReportWorld.Activate);
            await f.BookingAsync(MobileBefore13, Staff.UnitA, ReportWorld.Local(2025, 4, 3));
            Child = await f.PatientAsync("Litet Barn", born: new LocalDate(2018, 6, 1), arrange: ReportWorld.Activate);
            await f.BookingAsync(Child, Staff.UnitB, ReportWorld.Local(2025, 4, 4));
            // Unreachable at unit C only: not the manager's.
            var elsewhere = await f.PatientAsync("Annan Enhet", arrange: ReportWorld.Activate);
            await f.BookingAsync(elsewhere, Staff.UnitC, ReportWorld.Local(2025, 4, 4));

            Shared1 = await f.PatientAsync("Delad Ett", mobile: Fiction.NthMobile(45), arrange: ReportWorld.Activate);
            await f.BookingAsync(Shared1, Staff.UnitA, ReportWorld.Local(2025, 4, 7));
            Shared2 = await f.PatientAsync("Delad Två", mobile: Fiction.NthMobile(45));
            SharedProtected = await f.PatientAsync("Skyddad Delad", mobile: Fiction.NthMobile(45), protectedIdentity: true);
            // A child sharing the number is not an adult.
            await f.PatientAsync("Delat Barn", born: new LocalDate(2015, 1, 1), mobile: Fiction.NthMobile(45));

            // R61 at unit A. January: 2 reminded (Sent, one no-show), 2 not (a Failed reminder and none; both no-shows).
            var visitor = await f.PatientAsync("Besökare", mobile: Fiction.NthMobile(7), arrange: ReportWorld.Activate);
            await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 1, 10), BookingOutcome.Attended, SmsStatus.Sent);
            await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 1, 11), BookingOutcome.NoShow, SmsStatus.Sent);
            await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 1, 12), BookingOutcome.NoShow, SmsStatus.Failed);
            await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 1, 13), BookingOutcome.NoShow);
            // February: 3 delivered and attended, 1 without and a no-show, 1 without an outcome (not counted).
            for (var d = 3; d <= 5; d++)
            {
                await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 2, d), BookingOutcome.Attended, SmsStatus.Delivered);
            }

            await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 2, 6), BookingOutcome.NoShow, SmsStatus.Pending);
            await f.BookingAsync(visitor, Staff.UnitA, ReportWorld.Local(2025, 2, 7));
            await f.BookingAsync(visitor, Staff.UnitC, ReportWorld.Local(2025, 1, 10), BookingOutcome.NoShow);
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }
}

/// <summary>R60: the migration counts fall as reception activates the patients it left out.</summary>
public sealed class MigrationCountFallsTests
{
    [Fact]
    public async Task R60_R32_R33_activating_a_left_out_patient_removes_them_from_the_counts_and_the_list()
    {
        using var factory = new RemindersFactory();
        var manager = await factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.UnitManager], [Staff.UnitA]);
        var migration = new ChangeContext(factory.Time.Now - Duration.FromDays(30), null, ChangeChannel.Migration);
        var left = await factory.PatientAsync("Kvar Utanför", mobile: Fiction.NthMobile(30), arrange: (_, s, _) =>
        {
            s.KeepVasBlock(Staff.UnitA, migration.At);
            s.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, migration);
        });
        await factory.BookingAsync(left, Staff.UnitA, ReportWorld.Local(2025, 3, 31));

        var before = await manager.GetPageAsync("/Reports/Migration");
        Assert.Equal("1", before.QuerySelectorAll($"[data-testid=migration-units] tr[data-unit='{Staff.UnitA.Value}'] td")[2].TextContent);
        Assert.Single(before.QuerySelectorAll("[data-testid=migration-upcoming] tbody tr"));

        await using (var db = factory.NewDbContext())
        {
            var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == left.Id);
            ReportWorld.Activate(await db.Patients.SingleAsync(p => p.Id == left.Id), setting, factory.Time.Now);
            await db.SaveChangesAsync();
        }

        var after = await manager.GetPageAsync("/Reports/Migration");
        Assert.Equal("0", after.QuerySelectorAll($"[data-testid=migration-units] tr[data-unit='{Staff.UnitA.Value}'] td")[2].TextContent);
        Assert.Null(after.QuerySelector("[data-testid=migration-upcoming]"));
    }
}

/// <summary>R60b: shared numbers are counted in the database and listed up to a bound, with the adults counted by the identity number's birth date.</summary>
public sealed class SharedNumberCountTests
{
    [Fact]
    public async Task R60b_a_number_on_many_adults_shows_every_adult_counted_and_lists_at_most_the_limit()
    {
        using var factory = new RemindersFactory();
        var manager = await factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.UnitManager], [Staff.UnitA]);
        var number = Fiction.NthMobile(60);
        var booked = await factory.PatientAsync("Aaa Bokad", mobile: number, arrange: ReportWorld.Activate);
        await factory.BookingAsync(booked, Staff.UnitA, ReportWorld.Local(2025, 4, 2));
        for (var i = 0; i < ReportQueries.SharedNumberListLimit + 1; i++)
        {
            await factory.PatientAsync($"Vuxen {i:00}", mobile: number);
        }

        // Today is 2025-03-27: 18 today counts as an adult, also with a samordningsnummer (day + 60); a day younger does not.
        await factory.PatientAsync("Zzz Samordnad Vuxen", born: new LocalDate(2007, 3, 27), mobile: number, coordination: true);
        await factory.PatientAsync("Zzz Samordnat Barn", born: new LocalDate(2007, 3, 28), mobile: number, coordination: true);
        await factory.PatientAsync("Zzz Barn", born: new LocalDate(2007, 3, 28), mobile: number);

        var page = await manager.GetPageAsync("/Reports/DataQuality");
        var row = Assert.Single(page.QuerySelectorAll("[data-testid=shared-numbers] tbody tr"));
        var adults = ReportQueries.SharedNumberListLimit + 3;
        Assert.Equal(adults.ToString(CultureInfo.InvariantCulture), row.QuerySelectorAll("td")[1].TextContent.Trim());
        Assert.Equal(ReportQueries.SharedNumberListLimit, row.QuerySelectorAll("td")[2].QuerySelectorAll("a").Length);
        Assert.Contains("Aaa Bokad", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("och 3 till", row.QuerySelector("[data-testid=shared-more]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Barn", row.TextContent, StringComparison.Ordinal);
    }
}
