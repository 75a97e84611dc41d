using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Application.Jobs;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>R23: whatever changed between planning and sending wins. Changes are written straight to the store, without replanning.</summary>
public sealed class DecideAgainAtSendTests
{
    private static readonly HsaId Unit = HsaId.Parse(ApiHarness.Unit).Value;

    private static async Task<(PipelineHarness H, string BookingId)> PlannedFourDaysAheadAsync()
    {
        var h = await PipelineHarness.StartAsync();
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromDays(4));
        return (h, bookingId);
    }

    private static async Task ChangeWithoutReplanningAsync(PipelineHarness h, string bookingId, Action<RemindersDbContext, Domain.Bookings.Booking, Domain.Patients.Patient, ReminderSetting> change)
    {
        await using var db = h.Api.Factory.NewDbContext();
        var booking = await db.Bookings.SingleAsync(b => b.ExternalId == bookingId);
        var patient = await db.Patients.SingleAsync(p => p.Id == booking.PatientId);
        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id);
        change(db, booking, patient, setting);
        await db.SaveChangesAsync();
    }

    private static async Task<IReadOnlyList<OutgoingSms>> MessagesAsync(PipelineHarness h)
    {
        await using var db = h.Api.Factory.NewDbContext();
        return await db.Messages.OrderBy(m => m.Id).ToListAsync();
    }

    private static async Task AssertStoppedAtSendAsync(PipelineHarness h, SmsStatus status, string rule)
    {
        h.Api.Factory.Time.Advance(Duration.FromDays(2) + Duration.FromHours(1));
        await h.DispatchAsync();
        await h.DispatchAsync();

        Assert.Empty(h.Provider.Requests);
        var sms = Assert.Single(await MessagesAsync(h));
        Assert.Equal(status, sms.Status);
        Assert.Contains(sms.Reasons, r => r.Rule == rule);
    }

    [Fact]
    public async Task R3_R23_block_registered_after_planning_stops_the_SMS()
    {
        var (h, bookingId) = await PlannedFourDaysAheadAsync();
        await using var _ = h;
        await ChangeWithoutReplanningAsync(h, bookingId, (_, _, _, s) => s.Block(Unit, new ChangeContext(h.Api.Now, Unit, ChangeChannel.Api)));
        await AssertStoppedAtSendAsync(h, SmsStatus.Suppressed, "R3");
    }

    [Fact]
    public async Task R5_R23_deactivation_after_planning_stops_the_SMS()
    {
        var (h, bookingId) = await PlannedFourDaysAheadAsync();
        await using var _ = h;
        await ChangeWithoutReplanningAsync(h, bookingId, (_, _, _, s) => s.Deactivate(new ChangeContext(h.Api.Now, Unit, ChangeChannel.Api)));
        await AssertStoppedAtSendAsync(h, SmsStatus.Suppressed, "R5");
    }

    [Fact]
    public async Task R14_R23_protected_identity_after_planning_stops_the_SMS()
    {
        var (h, bookingId) = await PlannedFourDaysAheadAsync();
        await using var _ = h;
        await ChangeWithoutReplanningAsync(h, bookingId, (_, _, p, _) => p.UpdateFromRegister(p.Name, true, p.Mobile, p.MobileUpdatedAt, p.ConsentIn1177));
        await AssertStoppedAtSendAsync(h, SmsStatus.Suppressed, "R14");
    }

    [Fact]
    public async Task R22_R23_cancellation_after_planning_cancels_the_SMS()
    {
        var (h, bookingId) = await PlannedFourDaysAheadAsync();
        await using var _ = h;
        await ChangeWithoutReplanningAsync(h, bookingId, (_, b, _, _) => b.Cancel(h.Api.Now));
        await AssertStoppedAtSendAsync(h, SmsStatus.Cancelled, "R22");
    }

    [Fact]
    public async Task R22_R23_move_after_planning_sends_once_for_the_new_time_only()
    {
        var (h, bookingId) = await PlannedFourDaysAheadAsync();
        await using var _ = h;
        await ChangeWithoutReplanningAsync(h, bookingId, (_, b, _, _) => b.Reschedule(b.PatientId, b.Unit, b.Start + Duration.FromDays(1), h.Api.Now));

        h.Api.Factory.Time.Advance(Duration.FromDays(2) + Duration.FromHours(1));
        await h.DispatchAsync();
        Assert.Empty(h.Provider.Requests);
        h.Api.Factory.Time.Advance(Duration.FromDays(1));
        await h.DispatchAsync();

        var request = Assert.Single(h.Provider.Requests);
        Assert.Contains("2025-04-01 kl. 10:00", request.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R15_R23_mobile_changed_by_the_feed_after_planning_sends_to_the_new_number_only()
    {
        var (h, bookingId) = await PlannedFourDaysAheadAsync();
        await using var _ = h;
        await ChangeWithoutReplanningAsync(h, bookingId, (_, _, p, _) => p.UpdateFromRegister(p.Name, false, PhoneNumber.Parse("0701740644").Value, h.Api.Now, false));

        h.Api.Factory.Time.Advance(Duration.FromDays(2) + Duration.FromHours(1));
        await h.DispatchAsync();
        await h.DispatchAsync();

        var request = Assert.Single(h.Provider.Requests);
        Assert.Equal("+46701740644", request.To);
        var messages = await MessagesAsync(h);
        Assert.Contains(messages, m => m.To.Value == "+46701740611" && m.Status == SmsStatus.Suppressed && m.Reasons.Any(r => r.Rule == "R23"));
    }

    [Fact]
    public async Task R10_R13_R23_guardian_SMS_planned_before_the_13th_birthday_stops_when_the_contact_moves_past_it()
    {
        await using var h = await PipelineHarness.StartAsync();
        await ApiHarness.Ensure(await h.Api.PutUnitAsync());
        var child = Fiction.NewIdentity(new LocalDate(2012, 4, 2)); // 13 on 2025-04-02
        await ApiHarness.Ensure(await h.Api.PutPatientAsync(child, mobile: null));
        await ApiHarness.Ensure(await h.Api.PutGuardianNumbersAsync(child, "0701740622"));
        await ApiHarness.Ensure(await h.Api.ActivateAsync(child));
        await ApiHarness.Ensure(await h.Api.PutBookingAsync("b-child", child, h.Api.Now + Duration.FromDays(4)));
        Assert.Equal(Recipient.Guardian, Assert.Single(await MessagesAsync(h)).Recipient);

        await ChangeWithoutReplanningAsync(h, "b-child", (_, b, _, _) => b.Reschedule(b.PatientId, b.Unit, b.Start + Duration.FromDays(3), b.BookedAt));
        h.Api.Factory.Time.Advance(Duration.FromDays(2) + Duration.FromHours(1));
        await h.DispatchAsync();
        await h.DispatchAsync();

        Assert.Empty(h.Provider.Requests);
        var sms = Assert.Single(await MessagesAsync(h));
        Assert.Equal(SmsStatus.Suppressed, sms.Status);
        Assert.Contains(sms.Reasons, r => r.Rule == "R10");
    }

    [Fact]
    public async Task R13_nightly_job_removes_guardian_numbers_on_the_13th_birthday_and_audits_it_as_automatic()
    {
        await using var h = await PipelineHarness.StartAsync();
        var child = Fiction.NewIdentity(new LocalDate(2012, 3, 28)); // 13 tomorrow
        await ApiHarness.Ensure(await h.Api.PutPatientAsync(child, mobile: null));
        await ApiHarness.Ensure(await h.Api.PutGuardianNumbersAsync(child, "0701740622", "0701740633"));
        var job = h.Api.Factory.Services.GetRequiredService<GuardianNumbersAt13Job>();

        Assert.Equal(0, await job.RunAsync(CancellationToken.None));
        h.Api.Factory.Time.Advance(Duration.FromDays(1));
        Assert.Equal(1, await job.RunAsync(CancellationToken.None));
        Assert.Equal(0, await job.RunAsync(CancellationToken.None));

        await using var db = h.Api.Factory.NewDbContext();
        var patient = await db.Patients.SingleAsync(p => p.IdentityNumber == child);
        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id);
        Assert.Empty(setting.GuardianNumbers);
        Assert.Contains(setting.Comments, c => c.Text.Contains("borttagna automatiskt vid 13 år", StringComparison.Ordinal));
        Assert.True(await db.AuditEvents.AnyAsync(a => a.PatientId == patient.Id && a.Action == "RemoveGuardianNumbersAt13" && a.Channel == "Automatic" && a.Actor == "system"));
    }
}
