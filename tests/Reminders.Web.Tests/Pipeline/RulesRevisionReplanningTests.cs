using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Application.Jobs;
using Reminders.Domain.Audit;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>
/// Rule book revision 2 on an existing store: the data a revision-1 store holds is converted once and every pending
/// SMS the change affects is replanned (R12, R26, R28, R32, R33; docs/decisions/0015).
/// </summary>
public sealed class RulesRevisionReplanningTests
{
    private static readonly HsaId Unit = HsaId.FromTrusted(ApiHarness.Unit);
    private static readonly Instant MigratedOn = Instant.FromUtc(2025, 1, 20, 8, 0);
    private static readonly Instant CarriedOn = Instant.FromUtc(2025, 1, 21, 8, 0);

    private static async Task PutPatientWithoutDateAsync(ApiHarness api, PersonalIdentityNumber id, string mobile) =>
        await ApiHarness.Ensure(await api.PutPatientAsync(id, mobile, unknownDate: true, consentIn1177: true));

    private static async Task<long> IdOf(ApiHarness api, PersonalIdentityNumber id)
    {
        await using var db = api.Factory.NewDbContext();
        return await db.Patients.Where(p => p.IdentityNumber == id).Select(p => p.Id).SingleAsync();
    }

    private static async Task<List<OutgoingSms>> PendingOf(ApiHarness api, long patientId)
    {
        await using var db = api.Factory.NewDbContext();
        return await db.Messages.Where(m => m.Status == SmsStatus.Pending && db.Bookings.Any(b => b.Id == m.BookingId && b.PatientId == patientId)).ToListAsync();
    }

    /// <summary>What revision 1 left: no SMS for this patient's bookings.</summary>
    private static async Task ForgetSmsAsync(ApiHarness api, long patientId)
    {
        await using var db = api.Factory.NewDbContext();
        await db.Messages.Where(m => db.Bookings.Any(b => b.Id == m.BookingId && b.PatientId == patientId)).ExecuteDeleteAsync();
    }

    private static async Task ChangeSettingAsync(ApiHarness api, long patientId, Action<ReminderSetting> change)
    {
        await using var db = api.Factory.NewDbContext();
        change(await db.ReminderSettings.SingleAsync(s => s.PatientId == patientId));
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task R12_R33_R32_a_revision_1_store_is_converted_once_and_every_affected_booking_replanned()
    {
        using var api = new ApiHarness();
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var start = api.Now + Duration.FromDays(5);

        // An activated adult whose register feed sent no mobileUpdatedAt: revision 1 planned nothing (R12).
        var adult = ApiHarness.NewAdult();
        await PutPatientWithoutDateAsync(api, adult, "070-174 06 41");
        await ApiHarness.Ensure(await api.ActivateAsync(adult));
        await ApiHarness.Ensure(await api.PutBookingAsync("rev2-adult", adult, start));
        var adultId = await IdOf(api, adult);
        await ForgetSmsAsync(api, adultId);

        // A consenting adult the migration left out for an empty mobile_updated (R33 in revision 1).
        var leftOut = ApiHarness.NewAdult();
        await PutPatientWithoutDateAsync(api, leftOut, "070-174 06 42");
        await ApiHarness.Ensure(await api.PutBookingAsync("rev2-left-out", leftOut, start));
        var leftOutId = await IdOf(api, leftOut);
        await ChangeSettingAsync(api, leftOutId, s =>
        {
            s.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, new ChangeContext(MigratedOn, null, ChangeChannel.Migration));
            s.AddComment(MigratedOn, "RPA-migrerat 2025-01-20");
        });

        // A 15-year-old left out for the same reason: still needs a confirmation under revision 2.
        var teen = Fiction.NewIdentity(new LocalDate(2010, 3, 1));
        await PutPatientWithoutDateAsync(api, teen, "070-174 06 43");
        await ApiHarness.Ensure(await api.PutBookingAsync("rev2-teen", teen, start));
        var teenId = await IdOf(api, teen);
        await ChangeSettingAsync(api, teenId, s =>
        {
            s.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, new ChangeContext(MigratedOn, null, ChangeChannel.Migration));
            s.AddComment(MigratedOn, "RPA-migrerat 2025-01-20");
        });

        // Activated later at the desk, but revision 1's migration had put the VAS block of this unit in force.
        var blocked = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(blocked, "070-174 06 44"));
        await ApiHarness.Ensure(await api.ActivateAsync(blocked));
        var blockedId = await IdOf(api, blocked);
        await ChangeSettingAsync(api, blockedId, s => s.Block(Unit, new ChangeContext(MigratedOn, null, ChangeChannel.Migration)));
        await ApiHarness.Ensure(await api.PutBookingAsync("rev2-blocked", blocked, start));

        // Migrated by a run with --carry-blocks: the block stays in force.
        var carried = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(carried, "070-174 06 45"));
        await ApiHarness.Ensure(await api.ActivateAsync(carried));
        var carriedId = await IdOf(api, carried);
        await ChangeSettingAsync(api, carriedId, s => s.Block(Unit, new ChangeContext(CarriedOn, null, ChangeChannel.Migration)));
        await ApiHarness.Ensure(await api.PutBookingAsync("rev2-carried", carried, start));
        await using (var db = api.Factory.NewDbContext())
        {
            db.AuditEvents.Add(AuditLog.Row(CarriedOn, new Actor("admin", ChangeChannel.Migration, "Admin"), null, null, AuditAction.Migration, """{"Rows":1,"Activated":1,"CarryBlocks":true}"""));
            await db.SaveChangesAsync();
        }

        Assert.Empty(await PendingOf(api, adultId));
        Assert.Empty(await PendingOf(api, blockedId));

        var job = api.Factory.Services.GetRequiredService<ReplanningJob>();
        var result = await job.RunAsync(CancellationToken.None);

        Assert.Equal(new ReplanningResult(Activated: 1, VasBlocksConverted: 1, UnitsReplanned: 1), result);
        Assert.Equal([SmsKind.Reminder], (await PendingOf(api, adultId)).Select(m => m.Kind));
        Assert.Equal([SmsKind.Reminder], (await PendingOf(api, leftOutId)).Select(m => m.Kind));
        Assert.Equal([SmsKind.Reminder], (await PendingOf(api, blockedId)).Select(m => m.Kind));
        Assert.Empty(await PendingOf(api, teenId));
        Assert.Empty(await PendingOf(api, carriedId));

        await using (var db = api.Factory.NewDbContext())
        {
            var settings = await db.ReminderSettings.Where(s => new[] { leftOutId, teenId, blockedId, carriedId }.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId);
            Assert.Equal(ReminderStatus.Activated, settings[leftOutId].Status);
            Assert.Contains(settings[leftOutId].Comments, c => c.Text.StartsWith("Aktiverad automatiskt", StringComparison.Ordinal));
            Assert.Equal((ReminderStatus.NotActivated, NotActivatedReason.MigrationMobileBefore13), (settings[teenId].Status, settings[teenId].NotActivatedReason));
            Assert.Empty(settings[blockedId].Blocks);
            Assert.Equal([Unit], settings[blockedId].VasBlocks.Select(b => b.Unit));
            Assert.Equal([Unit], settings[carriedId].Blocks.Select(b => b.Unit));
            Assert.Empty(settings[carriedId].VasBlocks);
            var audited = await db.AuditEvents.Where(e => e.Action == nameof(AuditAction.RulesRevision)).Select(e => e.PatientId).ToListAsync();
            Assert.Equal(new long?[] { leftOutId, blockedId }.Order(), audited.Order());
        }

        // Once per store: a second run (this instance or another) finds nothing to do.
        Assert.Null(await job.RunAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task R32_R33_a_store_this_code_seeds_or_starts_empty_is_at_the_current_revision_and_nothing_is_converted(bool demo)
    {
        // The demo deliberately shows patients the migration left out (R33) and VAS blocks (R32): a conversion from
        // revision 1 would activate them behind the demo's back on its first start.
        using var factory = new RemindersFactory { EnvironmentName = demo ? "Development" : "Testing" }.With("Seed:Demo", demo ? "true" : "false");
        _ = factory.CreateClient();
        var state = factory.Services.GetRequiredService<Reminders.Infrastructure.Replanning.PlanningStateStore>();
        Assert.Equal(Reminders.Domain.RuleBook.Revision, (await state.LoadAsync(Reminders.Domain.RuleBook.Revision, CancellationToken.None)).RulesRevision);
        int leftOut;
        await using (var db = factory.NewDbContext())
        {
            leftOut = await db.ReminderSettings.CountAsync(s => s.NotActivatedReason == NotActivatedReason.MigrationMobileBefore13);
        }

        var result = await factory.Services.GetRequiredService<ReplanningJob>().RunAsync(CancellationToken.None);

        await using (var db = factory.NewDbContext())
        {
            Assert.Equal(leftOut, await db.ReminderSettings.CountAsync(s => s.NotActivatedReason == NotActivatedReason.MigrationMobileBefore13));
            Assert.False(await db.AuditEvents.AnyAsync(e => e.Action == nameof(AuditAction.RulesRevision)));
        }

        Assert.Equal(0, result?.Activated ?? 0);
        Assert.Equal(0, result?.VasBlocksConverted ?? 0);
        Assert.True(!demo || leftOut > 0, "The demo shows patients the migration left out (R33).");
    }

    [Fact]
    public async Task R26_R28_setting_and_clearing_the_link_or_switching_quiet_hours_replans_pending_SMS_at_once()
    {
        using var api = new ApiHarness(f => f.With("Jobs:Replanning:Enabled", "true"));
        var admin = await api.Factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
        var job = api.Factory.Services.GetRequiredService<ReplanningJob>();
        await Eventually.TrueAsync(async () => await job.RunAsync(CancellationToken.None) is null, "the start-up replanning to finish");

        // No built-in link (R26): the self check-in SMS is not planned and the booking says why.
        var (_, bookingId) = await api.ActivatedAdultWithBookingAsync(Duration.FromDays(3) + Duration.FromHours(13), selfCheckIn: true);
        var messages = await api.MessagesAsync(bookingId);
        Assert.Equal(["Reminder"], messages.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("kind").GetString()));
        Assert.Contains(messages.GetProperty("notSent").EnumerateArray(), n => n.GetProperty("kind").GetString() == "SelfCheckIn"
            && n.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("rule").GetString() == "R26"));

        var page = await admin.GetPageAsync("/Admin/Settings");
        Assert.NotNull(page.QuerySelector("[data-testid=no-link-warning]"));
        Assert.Null(page.QuerySelector("#QuietHoursEnabled")!.GetAttribute("checked"));
        var saved = await admin.SubmitAsync(page, "#settings-form", new Dictionary<string, string>
        {
            ["QuietHoursEnabled"] = "true", ["QuietHoursStart"] = "21:00", ["QuietHoursEnd"] = "07:00", ["SelfCheckInLink"] = "https://incheckning.example/r",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        // Set: the self check-in SMS is planned 2 h before (never moved by quiet hours); the reminder, due 22:00, moves to 07:00.
        await using (var db = api.Factory.NewDbContext())
        {
            await Eventually.TrueAsync(async () => await db.Messages.AnyAsync(m => m.Kind == SmsKind.SelfCheckIn && m.Status == SmsStatus.Pending), "the self check-in SMS to be planned");
            var all = await db.Messages.AsNoTracking().ToListAsync();
            var selfCheckIn = all.Single(m => m.Kind == SmsKind.SelfCheckIn && m.Status == SmsStatus.Pending);
            Assert.Equal(selfCheckIn.BookingStart - Duration.FromHours(2), selfCheckIn.DueAt);
            Assert.EndsWith("https://incheckning.example/r", selfCheckIn.Text, StringComparison.Ordinal);
            var reminder = all.Single(m => m.Kind == SmsKind.Reminder && m.Status == SmsStatus.Pending);
            Assert.Equal(new LocalTime(7, 0), Reminders.Domain.Time.Stockholm.LocalOf(reminder.DueAt).TimeOfDay);
        }

        // Cleared (quiet hours left on, as the form shows them): the pending self check-in SMS is cancelled at once.
        page = await admin.GetPageAsync("/Admin/Settings");
        Assert.NotNull(page.QuerySelector("#QuietHoursEnabled")!.GetAttribute("checked"));
        await admin.SubmitAsync(page, "#settings-form", new Dictionary<string, string> { ["SelfCheckInLink"] = "" });
        await using (var db = api.Factory.NewDbContext())
        {
            await Eventually.TrueAsync(async () => !await db.Messages.AnyAsync(m => m.Kind == SmsKind.SelfCheckIn && m.Status == SmsStatus.Pending), "the self check-in SMS to be cancelled");
            var reminder = await db.Messages.AsNoTracking().SingleAsync(m => m.Kind == SmsKind.Reminder && m.Status == SmsStatus.Pending);
            Assert.Equal(new LocalTime(7, 0), Reminders.Domain.Time.Stockholm.LocalOf(reminder.DueAt).TimeOfDay);
        }

        Assert.NotNull((await admin.GetPageAsync("/Admin/Settings")).QuerySelector("[data-testid=no-link-warning]"));

        var after = await api.MessagesAsync(bookingId);
        Assert.Contains(after.GetProperty("messages").EnumerateArray(), m => m.GetProperty("kind").GetString() == "SelfCheckIn"
            && m.GetProperty("status").GetString() is "Cancelled" or "Suppressed"
            && m.GetProperty("reasons").EnumerateArray().Any(r => r.GetProperty("rule").GetString() == "R26"));
    }
}
