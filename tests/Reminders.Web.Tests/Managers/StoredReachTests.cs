using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Application.Bookings;
using Reminders.Application.Jobs;
using Reminders.Domain.Audit;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Web.Tests.CheckIn;

namespace Reminders.Web.Tests.Managers;

/// <summary>
/// R60b (issue #18): the overview and the region view count the answer the planner stores with each booking
/// (<see cref="BookingReach"/>) instead of deciding every booking on every view. These tests show the count is never
/// behind a change at the desk, and that bookings stored before the answer was are counted right until the
/// replanning job has stored theirs.
/// </summary>
public sealed class StoredReachTests : IDisposable
{
    private static int _booking;

    private readonly RemindersFactory _factory = new();

    [Fact]
    public async Task R60b_R11_a_guardian_number_registered_at_the_desk_takes_the_child_off_the_overview_at_once_and_removing_it_puts_the_child_back()
    {
        var desk = await _factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.Receptionist, StaffRoles.UnitManager], [Staff.UnitA]);
        await desk.ChooseUnitAsync(Staff.UnitA);
        var id = Fiction.NewIdentity(new LocalDate(2018, 6, 1));
        var child = await _factory.AddPatientAsync(id, "Litet Barn", arrange: (p, s) => ReportWorld.Activate(p, s, _factory.Time.Now));
        var booking = await BookAsync(id, Staff.UnitA, Duration.FromDays(5));

        Assert.Equal(BookingReach.NoRecipient, await ReachAsync(booking));
        Assert.Equal("1", await UnreachableCellAsync(desk));

        var page = await desk.GetPageAsync(CheckInFixture.PatientUrl(child.Id));
        page = await desk.PostAndFollowAsync(page, "#add-guardian", new Dictionary<string, string> { ["Guardian.Number"] = "070-174 06 42" });

        Assert.Equal(BookingReach.Reachable, await ReachAsync(booking));
        Assert.Equal("0", await UnreachableCellAsync(desk));
        Assert.Empty((await desk.GetPageAsync("/Reports/DataQuality")).QuerySelectorAll("[data-testid=unreachable] tbody tr"));

        await desk.PostAndFollowAsync(page, "#remove-guardian-0");

        Assert.Equal(BookingReach.NoRecipient, await ReachAsync(booking));
        Assert.Equal("1", await UnreachableCellAsync(desk));
        var row = Assert.Single((await desk.GetPageAsync("/Reports/DataQuality")).QuerySelectorAll("[data-testid=unreachable] tbody tr"));
        Assert.Equal("NoGuardianNumbers", row.QuerySelector("[data-code]")!.GetAttribute("data-code"));
    }

    [Fact]
    public async Task R60b_R1_R14_a_patient_not_activated_or_protected_is_stored_as_not_counted_and_activating_at_the_desk_counts_them_at_once()
    {
        var desk = await _factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.Receptionist, StaffRoles.UnitManager], [Staff.UnitA]);
        await desk.ChooseUnitAsync(Staff.UnitA);
        var id = Fiction.NewIdentity(new LocalDate(1968, 4, 5));
        var patient = await _factory.AddPatientAsync(id, "Ej Aktiverad");
        var booking = await BookAsync(id, Staff.UnitA, Duration.FromDays(5));
        var protectedId = Fiction.NewIdentity(new LocalDate(1969, 4, 5));
        await _factory.AddPatientAsync(protectedId, "Skyddad Aktiverad", protectedIdentity: true, arrange: (p, s) => ReportWorld.Activate(p, s, _factory.Time.Now));
        var protectedBooking = await BookAsync(protectedId, Staff.UnitA, Duration.FromDays(6));

        // Neither has a number, but neither is counted: one is not activated (R1), the other never texted (R14).
        Assert.Equal((BookingReach.NotActivated, BookingReach.NotActivated), (await ReachAsync(booking), await ReachAsync(protectedBooking)));
        Assert.Equal("0", await UnreachableCellAsync(desk));

        var page = await desk.GetPageAsync(CheckInFixture.PatientUrl(patient.Id, "nej"));
        await desk.PostAndFollowAsync(page, "#activate");

        Assert.Equal(BookingReach.NoRecipient, await ReachAsync(booking));
        Assert.Equal("1", await UnreachableCellAsync(desk));
        var row = Assert.Single((await desk.GetPageAsync("/Reports/DataQuality")).QuerySelectorAll("[data-testid=unreachable] tbody tr"));
        Assert.Equal("NoMobile", row.QuerySelector("[data-code]")!.GetAttribute("data-code"));
    }

    [Fact]
    public async Task R60b_bookings_from_before_the_stored_answer_are_counted_by_deciding_them_until_the_replanning_job_stores_theirs()
    {
        var manager = await _factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.UnitManager], [Staff.UnitA]);
        var job = _factory.Services.GetRequiredService<ReplanningJob>();
        await job.RunAsync(CancellationToken.None); // the store's first planning, as at start-up
        var noMobile = Fiction.NewIdentity(new LocalDate(1970, 2, 3));
        await _factory.AddPatientAsync(noMobile, "Utan Nummer", arrange: (p, s) => ReportWorld.Activate(p, s, _factory.Time.Now));
        var withMobile = Fiction.NewIdentity(new LocalDate(1971, 2, 3));
        await _factory.AddPatientAsync(withMobile, "Med Nummer", Fiction.NthMobile(12), _factory.Time.Now - Duration.FromDays(300),
            arrange: (p, s) => ReportWorld.Activate(p, s, _factory.Time.Now));
        var unreachable = await BookAsync(noMobile, Staff.UnitA, Duration.FromDays(3));
        var reachable = await BookAsync(withMobile, Staff.UnitA, Duration.FromDays(4));
        Assert.Null(await job.RunAsync(CancellationToken.None));

        // The store as it was before the column: the migration is taken back and applied again, for real.
        await using (var db = _factory.NewDbContext())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var added = migrations.FindIndex(m => m.EndsWith("_BookingReach", StringComparison.Ordinal));
            Assert.True(added > 0, "the migration that adds Bookings.Reach");
            await db.GetService<IMigrator>().MigrateAsync(migrations[added - 1]);
            await db.Database.MigrateAsync();
        }

        Assert.Equal((BookingReach.Undecided, BookingReach.Undecided), (await ReachAsync(unreachable), await ReachAsync(reachable)));
        Assert.Equal("1", await UnreachableCellAsync(manager));

        // The migration made the job plan every unit again, which stores each booking's answer.
        var result = await job.RunAsync(CancellationToken.None);

        Assert.Equal(1, result?.UnitsReplanned);
        Assert.Equal((BookingReach.NoRecipient, BookingReach.Reachable), (await ReachAsync(unreachable), await ReachAsync(reachable)));
        Assert.Equal("1", await UnreachableCellAsync(manager));
        Assert.Null(await job.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task R60b_a_unit_replanning_keeps_an_answer_stored_meanwhile_by_a_change_of_its_own()
    {
        await _factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.UnitManager], [Staff.UnitA]); // the staff units exist
        var adult = Fiction.NewIdentity(new LocalDate(1972, 2, 3));
        await _factory.AddPatientAsync(adult, "Utan Nummer", arrange: (p, s) => ReportWorld.Activate(p, s, _factory.Time.Now));
        var booking = await BookAsync(adult, Staff.UnitA, Duration.FromDays(3));
        await using (var db = _factory.NewDbContext())
        {
            await db.Bookings.Where(b => b.ExternalId == booking).ExecuteUpdateAsync(u => u.SetProperty(b => b.Reach, BookingReach.Undecided));
        }

        // The unit's bulk replanning reads the booking undecided; before it writes, the booking gets an answer of its own.
        await using var scope = _factory.Services.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.RemindersDbContext>();
        var planner = scope.ServiceProvider.GetRequiredService<Infrastructure.Planning.ReminderPlanner>();
        var plan = await planner.PlanUnitAsync(Staff.UnitA, CancellationToken.None);
        await using (var db = _factory.NewDbContext())
        {
            await db.Bookings.Where(b => b.ExternalId == booking).ExecuteUpdateAsync(u => u.SetProperty(b => b.Reach, BookingReach.Reachable));
        }

        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            await planner.WriteBulkAsync(plan, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(BookingReach.Reachable, await ReachAsync(booking));

        // Without a change meanwhile, the bulk replanning stores its answer.
        await using (var db = _factory.NewDbContext())
        {
            await db.Bookings.Where(b => b.ExternalId == booking).ExecuteUpdateAsync(u => u.SetProperty(b => b.Reach, BookingReach.Undecided));
        }

        context.ChangeTracker.Clear();
        plan = await planner.PlanUnitAsync(Staff.UnitA, CancellationToken.None);
        await using (var transaction = await context.Database.BeginTransactionAsync())
        {
            await planner.WriteBulkAsync(plan, CancellationToken.None);
            await transaction.CommitAsync();
        }

        Assert.Equal(BookingReach.NoRecipient, await ReachAsync(booking));
    }

    [Fact]
    public async Task R60b_SQLite_reads_the_candidates_from_the_partial_index_of_bookings_not_reached()
    {
        await using var db = _factory.NewDbContext();
        var plan = await PlanAsync(db, Application.Reports.ReportQueries.NotReached(db, Staff.UnitA, _factory.Time.Now).ToQueryString());

        // The filter's constants ("Reach <> 1 AND Reach <> 3") are in the query, so SQLite may use the partial index, and does.
        Assert.Contains(plan, step => step.Contains("IX_Bookings_Unit_Start_NotReached", StringComparison.Ordinal));
    }

    [Fact]
    public async Task R60b_SQLite_counts_the_stored_answers_from_the_covering_partial_index_alone()
    {
        await using var db = _factory.NewDbContext();
        var plan = await PlanAsync(db, Application.Reports.ReportQueries.StoredUnreachable(db, Staff.UnitA, _factory.Time.Now).ToQueryString());

        Assert.Contains(plan, step => step.Contains("COVERING INDEX IX_Bookings_Unit_Start_NotReached", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, step => step.Contains("ReminderSettings", StringComparison.Ordinal) || step.Contains("Patients", StringComparison.Ordinal));
    }

    private static async Task<List<string>> PlanAsync(Infrastructure.Persistence.RemindersDbContext db, string query)
    {
        var sql = string.Join('\n', query.Split('\n').Where(line => !line.StartsWith("--", StringComparison.Ordinal) && !line.StartsWith(".param", StringComparison.Ordinal)));
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // EF's own text of the product's query.
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
#pragma warning restore CA2100
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(3));
        }

        return plan;
    }

    /// <summary>A booking through the application's write path (the booking system's API uses it): its SMS are planned.</summary>
    private async Task<string> BookAsync(PersonalIdentityNumber patient, Domain.Units.HsaId unit, Duration startIn)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<BookingsHandler>();
        var externalId = $"reach-{Interlocked.Increment(ref _booking)}";
        var outcome = await handler.PutAsync(externalId, new BookingInput(patient, unit, _factory.Time.Now + startIn, _factory.Time.Now - Duration.FromDays(1)),
            new Actor("test", ChangeChannel.Api), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Kind.ToString());
        return externalId;
    }

    private async Task<BookingReach> ReachAsync(string externalId)
    {
        await using var db = _factory.NewDbContext();
        return await db.Bookings.AsNoTracking().Where(b => b.ExternalId == externalId).Select(b => b.Reach).SingleAsync();
    }

    /// <summary>The overview's unreachable count for unit A.</summary>
    private static async Task<string> UnreachableCellAsync(HttpClient client)
    {
        var page = await client.GetPageAsync("/Reports");
        var row = page.QuerySelector($"[data-testid=overview] tbody tr[data-unit='{Staff.UnitA.Value}']")!;
        var cells = row.QuerySelectorAll("td");
        return cells[^1].TextContent.Trim();
    }

    public void Dispose() => _factory.Dispose();
}
