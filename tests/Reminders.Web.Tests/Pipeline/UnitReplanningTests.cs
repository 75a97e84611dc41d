using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Application.Changes;
using Reminders.Infrastructure.Planning;
using Reminders.Testing;
using Reminders.Application;
using Reminders.Domain.Audit;
using Reminders.Application.Units;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>
/// The bulk replanning of a unit's bookings (issue #9: <see cref="ReminderPlanner.PlanUnitAsync"/> writes its SMS
/// changes without the change tracker) against the one-by-one way (<see cref="ReminderPlanner.PlanBookingAsync"/>
/// per booking, saved by EF): the same rows, the same concurrency with the dispatcher, all or nothing.
/// </summary>
public sealed class UnitReplanningTests
{
    // R26 (rev. 2): no built-in link; these tests plan self check-in SMS (R21), so the region has set one.
    private const string SelfCheckInLink = "https://incheckning.example/r";

    private static readonly HsaId Unit = HsaId.FromTrusted("SE2321000115-O39423");
    private static readonly HsaId OtherUnit = HsaId.FromTrusted("SE2321000115-O39424");

    [Fact]
    public async Task R22_R23_bulk_unit_replanning_writes_the_same_rows_as_planning_each_booking_while_a_dispatcher_races_it()
    {
        using var bulk = new RemindersFactory().With("Sms:SelfCheckInLink", SelfCheckInLink);
        using var oneByOne = new RemindersFactory().With("Sms:SelfCheckInLink", SelfCheckInLink);
        var cases = await ArrangeAsync(bulk);
        Assert.Equal(cases, await ArrangeAsync(oneByOne));
        var before = await RowsAsync(bulk, "Messages");

        await RenameAndEnableSelfCheckInAsync(bulk, useBulk: true);
        await RenameAndEnableSelfCheckInAsync(oneByOne, useBulk: false);

        // Every column but the random callback token and the id the insert order gives.
        Assert.Equal(await RowsAsync(oneByOne, "Messages"), await RowsAsync(bulk, "Messages"));
        Assert.Equal(await RowsAsync(oneByOne, "Units"), await RowsAsync(bulk, "Units"));
        Assert.NotEqual(before, await RowsAsync(bulk, "Messages"));

        await using var db = bulk.NewDbContext();
        var sms = await db.Messages.AsNoTracking().ToListAsync();
        List<OutgoingSms> Of(long booking, SmsKind kind) => [.. sms.Where(m => m.BookingId == booking && m.Kind == kind)];

        // Activated adult: the reminder rewritten with the new name (R25), a self check-in SMS added (R21).
        Assert.Contains("Vårdcentralen Efter", Assert.Single(Of(cases.Adult, SmsKind.Reminder)).Text, StringComparison.Ordinal);
        Assert.Equal(SmsStatus.Pending, Assert.Single(Of(cases.Adult, SmsKind.SelfCheckIn)).Status);

        // Child with two guardians (R11): two of each kind.
        Assert.Equal(2, Of(cases.Child, SmsKind.Reminder).Count(m => m.Status == SmsStatus.Pending && m.Text.Contains("Vårdcentralen Efter", StringComparison.Ordinal)));
        Assert.Equal(2, Of(cases.Child, SmsKind.SelfCheckIn).Count);

        // Not activated (R1): still nothing. Blocked the unit since (R3), protected since (R14): stopped with the rule.
        Assert.DoesNotContain(sms, m => m.BookingId == cases.NotActivated);
        Assert.Contains(Assert.Single(Of(cases.Blocked, SmsKind.Reminder)).Reasons, r => r.Rule == "R3");
        Assert.Equal(SmsStatus.Suppressed, Assert.Single(Of(cases.Protected, SmsKind.Reminder)).Status);
        Assert.Contains(Assert.Single(Of(cases.Protected, SmsKind.Reminder)).Reasons, r => r.Rule == "R14");

        // R22: the sent reminder is neither rewritten nor planned again; the cancelled booking's SMS are cancelled.
        var sent = Assert.Single(Of(cases.AlreadySent, SmsKind.Reminder));
        Assert.Equal(SmsStatus.Sent, sent.Status);
        Assert.Contains("Vårdcentralen Före", sent.Text, StringComparison.Ordinal);
        Assert.Equal(SmsStatus.Cancelled, Assert.Single(Of(cases.Cancelled, SmsKind.Reminder)).Status);
        Assert.Empty(Of(cases.Cancelled, SmsKind.SelfCheckIn));

        // Claimed by a dispatcher between the read and the write: replanned under its lease, one self check-in SMS.
        var leased = Assert.Single(Of(cases.LeasedMeanwhile, SmsKind.Reminder));
        Assert.Equal(("instance-b", SmsStatus.Pending), (leased.LeaseOwner, leased.Status));
        Assert.Contains("Vårdcentralen Efter", leased.Text, StringComparison.Ordinal);
        Assert.Single(Of(cases.LeasedMeanwhile, SmsKind.SelfCheckIn));

        // Started by a dispatcher meanwhile (decision 0005): never overwritten, never planned twice (R22).
        var sending = Assert.Single(Of(cases.SendingMeanwhile, SmsKind.Reminder));
        Assert.Equal(SmsStatus.Sending, sending.Status);
        Assert.Contains("Vårdcentralen Före", sending.Text, StringComparison.Ordinal);
        Assert.Single(Of(cases.SendingMeanwhile, SmsKind.SelfCheckIn));

        // Retried by a dispatcher meanwhile (Pending → Sending → Pending, lease released): the same status and lease
        // as read, but one more attempt, so the planner's write conflicts and the booking is replanned from the
        // stored row: the new start, due time (R20) and text (R22), the retry's attempt count, error and backoff kept
        // (decision 0005), where the stale write would have made it due at its new due time, before the retry time.
        var retried = Assert.Single(Of(cases.RetriedMeanwhile, SmsKind.Reminder));
        Assert.Equal((SmsStatus.Pending, 1, "503 från leverantören", (string?)null), (retried.Status, retried.Attempts, retried.LastError, retried.LeaseOwner));
        Assert.Equal(bulk.Time.Now + Duration.FromHours(49), retried.BookingStart);
        Assert.Equal(bulk.Time.Now + Duration.FromHours(1), retried.DueAt);
        Assert.Equal(RetryAt(bulk), retried.NotBefore);
        Assert.Contains("Vårdcentralen Efter", retried.Text, StringComparison.Ordinal);
        Assert.Single(Of(cases.RetriedMeanwhile, SmsKind.SelfCheckIn));

        // Another unit's booking is not touched.
        Assert.Contains("Vårdcentralen Annan", Assert.Single(Of(cases.AtOtherUnit, SmsKind.Reminder)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UPDATE")]
    [InlineData("INSERT")]
    public async Task R22_a_unit_change_failing_midway_through_its_SMS_writes_nothing(string failingStatement)
    {
        using var factory = new RemindersFactory().With("Sms:SelfCheckInLink", SelfCheckInLink);
        await ArrangeAsync(factory);
        var messages = await RowsAsync(factory, "Messages");
        var units = await RowsAsync(factory, "Units");
        var audit = await RowsAsync(factory, "AuditEvents");

        // A statement the store refuses after several SMS were written: the fourth update, or the first insert (after
        // every update).
        await ExecuteAsync(factory, failingStatement == "UPDATE"
            ? """
              CREATE TABLE Written (Id INTEGER);
              CREATE TRIGGER CountWrites AFTER UPDATE ON Messages BEGIN INSERT INTO Written VALUES (NEW.Id); END;
              CREATE TRIGGER FailMidway BEFORE UPDATE ON Messages WHEN (SELECT COUNT(*) FROM Written) >= 3
              BEGIN SELECT RAISE(ABORT, 'refused midway'); END;
              """
            : "CREATE TRIGGER FailMidway BEFORE INSERT ON Messages BEGIN SELECT RAISE(ABORT, 'refused midway'); END;");

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<UnitsHandler>();
            await Assert.ThrowsAsync<SqliteException>(() => handler.PutAsync(Unit,
                new UnitInput("Vårdcentralen Efter", "Allmänmedicin", UsesSmsReminders: true, OffersSelfCheckIn: true),
                new Actor("test", ChangeChannel.Admin), CancellationToken.None));
        }

        Assert.Equal(messages, await RowsAsync(factory, "Messages"));
        Assert.Equal(units, await RowsAsync(factory, "Units"));
        Assert.Equal(audit, await RowsAsync(factory, "AuditEvents"));
        if (failingStatement == "UPDATE")
        {
            Assert.Empty(await RowsAsync(factory, "Written"));
        }
    }

    [Fact]
    public async Task R25_R21_a_unit_change_saves_its_SMS_and_its_audit_row_together()
    {
        using var factory = new RemindersFactory().With("Sms:SelfCheckInLink", SelfCheckInLink);
        var cases = await ArrangeAsync(factory);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<UnitsHandler>();
            var outcome = await handler.PutAsync(Unit, new UnitInput("Vårdcentralen Efter", "Allmänmedicin", UsesSmsReminders: true, OffersSelfCheckIn: true),
                new Actor("test", ChangeChannel.Admin), CancellationToken.None);
            Assert.Equal(OutcomeKind.Ok, outcome.Kind);
        }

        await using var db = factory.NewDbContext();
        Assert.Equal("Vårdcentralen Efter", (await db.Units.SingleAsync(u => u.HsaId == Unit)).Name);
        Assert.Single(await db.AuditEvents.Where(e => e.Action == "UpdateUnit").ToListAsync());
        var adult = await db.Messages.Where(m => m.BookingId == cases.Adult).ToListAsync();
        Assert.Equal([SmsKind.Reminder, SmsKind.SelfCheckIn], adult.Select(m => m.Kind).Order());
        Assert.All(adult, m => Assert.Contains("Vårdcentralen Efter", m.Text, StringComparison.Ordinal));
    }

    /// <summary>The bookings of each case, by id.</summary>
    private sealed record Cases(long Adult, long Child, long NotActivated, long Blocked, long Protected, long AlreadySent,
        long Cancelled, long LeasedMeanwhile, long SendingMeanwhile, long RetriedMeanwhile, long AtOtherUnit);

    /// <summary>
    /// A unit with SMS and no self check-in, and one booking per case with its SMS planned; then, without replanning,
    /// the changes a replanning must pick up (a block, a protected identity, a cancellation, a move that gives a due
    /// reminder a due time in an hour) and a sent reminder.
    /// </summary>
    private static async Task<Cases> ArrangeAsync(RemindersFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var planner = scope.ServiceProvider.GetRequiredService<ReminderPlanner>();
        var writer = scope.ServiceProvider.GetRequiredService<ChangeWriter>();
        var now = factory.Time.Now;
        var context = new ChangeContext(now - Duration.FromDays(30), Unit, ChangeChannel.CheckIn);
        db.Units.Add(Build.Unit(Unit, "Vårdcentralen Före", "Allmänmedicin"));
        db.Units.Add(Build.Unit(OtherUnit, "Vårdcentralen Annan", "Allmänmedicin"));

        int[] none = [];
        var specs = new (LocalDate Born, int Number, int Mobile, bool Activate, int[] Guardians)[]
        {
            (new LocalDate(1980, 5, 17), 238, 5, true, none),    // adult
            (new LocalDate(2018, 9, 3), 127, 0, true, [6, 7]),   // child with two guardians
            (new LocalDate(1962, 1, 30), 415, 8, false, none),   // not activated
            (new LocalDate(1975, 2, 11), 316, 9, true, none),    // blocks the unit later
            (new LocalDate(1990, 7, 21), 519, 10, true, none),   // protected identity later
            (new LocalDate(1968, 3, 5), 622, 11, true, none),    // reminder already sent
            (new LocalDate(1971, 8, 9), 725, 12, true, none),    // booking cancelled later
            (new LocalDate(1983, 4, 2), 828, 13, true, none),    // SMS leased by a dispatcher meanwhile
            (new LocalDate(1986, 6, 6), 931, 14, true, none),    // SMS started by a dispatcher meanwhile
            (new LocalDate(1988, 10, 12), 234, 15, true, none),  // SMS retried by a dispatcher meanwhile
        };
        var people = new List<(Patient Patient, ReminderSetting Setting)>();
        foreach (var spec in specs)
        {
            var adult = spec.Guardians.Length == 0;
            var patient = Build.Patient(PersonalIdentityNumber.Create(spec.Born, spec.Number), "Test Testsson",
                adult ? Fiction.NthMobile(spec.Mobile) : null, now - Duration.FromDays(400), consentIn1177: adult);
            db.Patients.Add(patient);
            people.Add((patient, null!));
        }

        await db.SaveChangesAsync();
        for (var i = 0; i < specs.Length; i++)
        {
            var setting = ReminderSetting.CreateFor(people[i].Patient.Id);
            if (specs[i].Activate)
            {
                Assert.True(setting.Activate(people[i].Patient, context).Succeeded);
            }

            if (specs[i].Guardians.Length > 0)
            {
                Assert.True(setting.SetGuardianNumbers(people[i].Patient, [.. specs[i].Guardians.Select(Fiction.NthMobile)], context).Succeeded);
            }

            db.ReminderSettings.Add(setting);
            people[i] = (people[i].Patient, setting);
        }

        // One booking each, three days ahead (the already-sent and the retried one 30 and 31 hours ahead: their
        // reminders are due already), and the adult's booking at another unit.
        var bookings = specs.Select((_, i) => Build.Booking("b-" + i, people[i].Patient.Id, Unit,
            now + i switch { 5 => Duration.FromHours(30), 9 => Duration.FromHours(31), _ => Duration.FromDays(3) + Duration.FromHours(i) },
            now - Duration.FromDays(1))).ToList();
        bookings.Add(Build.Booking("b-other", people[0].Patient.Id, OtherUnit, now + Duration.FromDays(4), now - Duration.FromDays(1)));
        db.Bookings.AddRange(bookings);
        await db.SaveChangesAsync();
        foreach (var booking in bookings)
        {
            await planner.PlanBookingAsync(booking, CancellationToken.None);
        }

        await writer.SavePlanAsync(SmsPlan.Tracked, CancellationToken.None);

        Assert.True(people[3].Setting.Block(Unit, context).Succeeded);
        Build.Protect(people[4].Patient);
        var sent = await db.Messages.SingleAsync(m => m.BookingId == bookings[5].Id);
        sent.Lease("instance-a", now + Duration.FromMinutes(5));
        sent.BeginAttempt(now);
        sent.MarkSent("provider-1", now);
        Assert.True(bookings[6].Cancel(now));
        Assert.True(bookings[9].Reschedule(bookings[9].PatientId, Unit, now + Duration.FromHours(49), now));
        await db.SaveChangesAsync();

        var ids = bookings.Select(b => b.Id).ToList();
        return new Cases(ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8], ids[9], ids[10]);
    }

    /// <summary>
    /// Renames the unit and switches self check-in on, as the units handler does, planning the bulk way or booking by
    /// booking; between the planning and the save another dispatcher instance claims one booking's reminder, starts
    /// sending another's, and makes an attempt at a third that the provider refuses for now (a retry later).
    /// </summary>
    private static async Task RenameAndEnableSelfCheckInAsync(RemindersFactory factory, bool useBulk)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var planner = scope.ServiceProvider.GetRequiredService<ReminderPlanner>();
        var writer = scope.ServiceProvider.GetRequiredService<ChangeWriter>();
        var now = factory.Time.Now;
        var unit = await db.Units.SingleAsync(u => u.HsaId == Unit);
        Assert.True(unit.Update("Vårdcentralen Efter", unit.Clinic, usesSmsReminders: true, offersSelfCheckIn: true));
        var plan = SmsPlan.Tracked;
        if (useBulk)
        {
            plan = await planner.PlanUnitAsync(Unit, CancellationToken.None);
        }
        else
        {
            foreach (var booking in await db.Bookings.Where(b => b.Unit == Unit && b.Start > now).OrderBy(b => b.Id).ToListAsync())
            {
                await planner.PlanBookingAsync(booking, CancellationToken.None);
            }
        }

        await using (var dispatcher = factory.NewDbContext())
        {
            var leased = await dispatcher.Messages.SingleAsync(m => m.BookingId == dispatcher.Bookings.Single(b => b.ExternalId == "b-7").Id);
            leased.Lease("instance-b", now + Duration.FromMinutes(5));
            var started = await dispatcher.Messages.SingleAsync(m => m.BookingId == dispatcher.Bookings.Single(b => b.ExternalId == "b-8").Id);
            started.Lease("instance-b", now + Duration.FromMinutes(5));
            started.BeginAttempt(now);
            var retried = await dispatcher.Messages.SingleAsync(m => m.BookingId == dispatcher.Bookings.Single(b => b.ExternalId == "b-9").Id);
            retried.Lease("instance-b", now + Duration.FromMinutes(5));
            retried.BeginAttempt(now);
            await dispatcher.SaveChangesAsync();
            retried.RetryLater("503 från leverantören", RetryAt(factory));
            await dispatcher.SaveChangesAsync();
        }

        await writer.SavePlanAsync(plan, CancellationToken.None);
    }

    /// <summary>When the dispatcher's retry of booking b-9's reminder is due: after the reminder's new due time.</summary>
    private static Instant RetryAt(RemindersFactory factory) => factory.Time.Now + Duration.FromHours(2);

    /// <summary>Every row of a table as stored (raw values, sorted), without ids and callback tokens.</summary>
    private static async Task<List<string>> RowsAsync(RemindersFactory factory, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\"";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = Enumerable.Range(0, reader.FieldCount)
                .Where(i => table != "Messages" || reader.GetName(i) is not ("Id" or "CallbackToken"))
                .Select(i => reader.GetName(i) + "=" + (reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
            rows.Add(string.Join("|", values));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static async Task ExecuteAsync(RemindersFactory factory, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
