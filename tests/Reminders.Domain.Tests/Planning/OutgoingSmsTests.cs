using NodaTime;
using Reminders.Domain.Messages;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Planning;

/// <summary>
/// One SMS through sending: an attempt is recorded before the provider is called, so an SMS once attempted is never
/// replanned, cancelled or suppressed (R22); delivery reports only move a sent SMS forward; the dispatcher's lease is
/// given back whenever an attempt ends or a rule stops the SMS (R23).
/// </summary>
public class OutgoingSmsTests
{
    private static readonly Instant Start = Local(2025, 6, 12, 14);
    private static readonly Instant Due = Local(2025, 6, 10, 14);
    private static readonly Instant Created = Local(2025, 6, 1, 10);

    private static PlannedSms Planned(Instant due, string text = "Påminnelse.", params Reason[] notes) =>
        new(SmsKind.Reminder, Recipient.Patient, Mobile(5), due, text, notes);

    private static OutgoingSms Pending() => OutgoingSms.Plan(1, Planned(Due), Start, "token-1", Created);

    private static OutgoingSms Leased()
    {
        var sms = Pending();
        sms.Lease("dispatcher-a", Due + Duration.FromMinutes(5));
        return sms;
    }

    private static OutgoingSms Sending()
    {
        var sms = Leased();
        sms.BeginAttempt(Due);
        return sms;
    }

    private static void AssertNoLease(OutgoingSms sms)
    {
        Assert.Null(sms.LeaseOwner);
        Assert.Null(sms.LeaseUntil);
    }

    [Fact]
    public void R22_a_planned_SMS_is_pending_until_its_due_time_with_the_notes_of_its_decision()
    {
        var sms = OutgoingSms.Plan(1, Planned(Due, "Påminnelse.", Reasons.ReminderAtOnce), Start, "token-1", Created);

        Assert.Equal(SmsStatus.Pending, sms.Status);
        Assert.True(sms.IsPending);
        Assert.False(sms.WasAttempted);
        Assert.Equal(Due, sms.DueAt);
        Assert.Equal(Due, sms.NotBefore);
        Assert.Equal(0, sms.Attempts);
        Assert.Equal(["R20 AtOnce"], Codes(sms.Reasons));
    }

    [Fact]
    public void R23_the_dispatcher_lease_names_its_owner_and_end()
    {
        var sms = Leased();

        Assert.Equal("dispatcher-a", sms.LeaseOwner);
        Assert.Equal(Due + Duration.FromMinutes(5), sms.LeaseUntil);

        sms.ReleaseLease();
        AssertNoLease(sms);
        Assert.Equal(SmsStatus.Pending, sms.Status);
    }

    [Fact]
    public void R22_an_attempt_is_recorded_before_the_provider_is_called()
    {
        var sms = Sending();

        Assert.Equal(SmsStatus.Sending, sms.Status);
        Assert.True(sms.WasAttempted);
        Assert.False(sms.IsPending);
        Assert.Equal(1, sms.Attempts);
        Assert.Equal(Due, sms.LastAttemptAt);
    }

    [Fact]
    public void R22_an_SMS_that_is_not_pending_is_never_attempted_again()
    {
        var sending = Sending();
        var error = Assert.Throws<InvalidOperationException>(() => sending.BeginAttempt(Due + Duration.FromMinutes(1)));
        Assert.Contains(nameof(SmsStatus.Sending), error.Message, StringComparison.Ordinal);
        Assert.Equal(1, sending.Attempts);

        var cancelled = Pending();
        cancelled.Cancel([Reasons.BookingCancelled]);
        Assert.Throws<InvalidOperationException>(() => cancelled.BeginAttempt(Due));
        Assert.Equal(0, cancelled.Attempts);
        Assert.Null(cancelled.LastAttemptAt);
    }

    [Fact]
    public void R22_a_sent_SMS_records_the_provider_id_and_gives_the_lease_back()
    {
        var sms = Sending();
        sms.RetryLater("Tillfälligt fel.", Due + Duration.FromMinutes(10));
        sms.Lease("dispatcher-b", Due + Duration.FromMinutes(15));
        sms.BeginAttempt(Due + Duration.FromMinutes(10));

        sms.MarkSent("provider-1", Due + Duration.FromMinutes(10));

        Assert.Equal(SmsStatus.Sent, sms.Status);
        Assert.Equal("provider-1", sms.ProviderId);
        Assert.Equal(Due + Duration.FromMinutes(10), sms.SentAt);
        Assert.Null(sms.LastError);
        Assert.Equal(2, sms.Attempts);
        AssertNoLease(sms);
    }

    [Fact]
    public void R22_a_refused_attempt_waits_pending_for_its_retry_time_without_the_lease()
    {
        var sms = Sending();

        sms.RetryLater("Leverantören svarade inte.", Due + Duration.FromMinutes(10));

        Assert.Equal(SmsStatus.Pending, sms.Status);
        Assert.Equal("Leverantören svarade inte.", sms.LastError);
        Assert.Equal(Due + Duration.FromMinutes(10), sms.NotBefore);
        Assert.Equal(Due, sms.DueAt);
        AssertNoLease(sms);
    }

    [Fact]
    public void R22_a_failed_SMS_keeps_the_error_and_gives_the_lease_back()
    {
        var sms = Sending();

        sms.MarkFailed("Ogiltigt nummer enligt leverantören.");

        Assert.Equal(SmsStatus.Failed, sms.Status);
        Assert.Equal("Ogiltigt nummer enligt leverantören.", sms.LastError);
        Assert.True(sms.WasAttempted);
        AssertNoLease(sms);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void R22_a_delivery_report_moves_a_sent_or_sending_SMS_to_delivered_or_failed_once(bool acceptedBeforeReport)
    {
        var sms = Sending();
        if (acceptedBeforeReport)
        {
            sms.MarkSent("provider-1", Due);
            sms.Lease("dispatcher-b", Due + Duration.FromMinutes(5));
        }

        var at = Due + Duration.FromMinutes(1);
        Assert.True(sms.ApplyDeliveryReport(true, at, null));

        Assert.Equal(SmsStatus.Delivered, sms.Status);
        Assert.Equal(at, sms.DeliveredAt);
        Assert.Null(sms.LastError);
        AssertNoLease(sms);

        // The same report again, or a later failure report, never moves a delivered SMS back.
        Assert.False(sms.ApplyDeliveryReport(true, at + Duration.FromMinutes(1), null));
        Assert.False(sms.ApplyDeliveryReport(false, at + Duration.FromMinutes(2), "Sent fel."));
        Assert.Equal(SmsStatus.Delivered, sms.Status);
        Assert.Equal(at, sms.DeliveredAt);
        Assert.Null(sms.LastError);
    }

    [Fact]
    public void R22_a_failed_delivery_keeps_the_provider_error_or_says_that_the_provider_reported_failure()
    {
        var withError = Sending();
        withError.MarkSent("provider-1", Due);
        Assert.True(withError.ApplyDeliveryReport(false, Due + Duration.FromMinutes(1), "Mottagarens telefon är avstängd."));
        Assert.Equal(SmsStatus.Failed, withError.Status);
        Assert.Equal(Due + Duration.FromMinutes(1), withError.DeliveredAt);
        Assert.Equal("Mottagarens telefon är avstängd.", withError.LastError);

        var withoutError = Sending();
        withoutError.MarkSent("provider-2", Due);
        Assert.True(withoutError.ApplyDeliveryReport(false, Due + Duration.FromMinutes(1), null));
        Assert.Equal(SmsStatus.Failed, withoutError.Status);
        Assert.False(string.IsNullOrWhiteSpace(withoutError.LastError));
        Assert.Contains("sms-leverantören", withoutError.LastError, StringComparison.Ordinal);

        // A failed SMS stays failed: a late "delivered" report does not revive it.
        Assert.False(withoutError.ApplyDeliveryReport(true, Due + Duration.FromMinutes(2), null));
        Assert.Equal(SmsStatus.Failed, withoutError.Status);
    }

    [Fact]
    public void R22_a_delivery_report_for_an_SMS_never_attempted_changes_nothing()
    {
        var sms = Leased();

        Assert.False(sms.ApplyDeliveryReport(false, Due, "Okänt meddelande."));

        Assert.Equal(SmsStatus.Pending, sms.Status);
        Assert.Null(sms.DeliveredAt);
        Assert.Null(sms.LastError);
        Assert.Equal("dispatcher-a", sms.LeaseOwner);
    }

    [Fact]
    public void R22_R23_cancelling_or_suppressing_a_pending_SMS_records_the_reasons_and_gives_the_lease_back()
    {
        var cancelled = Leased();
        cancelled.Cancel([Reasons.BookingCancelled]);
        Assert.Equal(SmsStatus.Cancelled, cancelled.Status);
        Assert.Equal(["R22 Cancelled"], Codes(cancelled.Reasons));
        AssertNoLease(cancelled);

        var suppressed = Leased();
        suppressed.Suppress([Reasons.UnitBlocked, Reasons.Deactivated]);
        Assert.Equal(SmsStatus.Suppressed, suppressed.Status);
        Assert.Equal(["R3 UnitBlocked", "R5 Deactivated"], Codes(suppressed.Reasons));
        AssertNoLease(suppressed);
    }

    public static TheoryData<string> AttemptedStates => ["Sending", "Sent", "Delivered", "Failed"];

    [Theory]
    [MemberData(nameof(AttemptedStates))]
    public void R22_an_attempted_SMS_is_never_replanned_cancelled_or_suppressed(string state)
    {
        var sms = Sending();
        switch (state)
        {
            case "Sent":
                sms.MarkSent("provider-1", Due);
                break;
            case "Delivered":
                sms.MarkSent("provider-1", Due);
                sms.ApplyDeliveryReport(true, Due, null);
                break;
            case "Failed":
                sms.MarkFailed("Fel.");
                break;
        }

        var status = sms.Status;
        Assert.Equal(state, status.ToString());

        var replan = Assert.Throws<InvalidOperationException>(() => sms.Replan(Planned(Due + Duration.FromDays(1), "Ny text."), Start + Duration.FromDays(1)));
        Assert.Contains("R22", replan.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => sms.Cancel([Reasons.BookingCancelled]));
        Assert.Throws<InvalidOperationException>(() => sms.Suppress([Reasons.UnitBlocked]));

        Assert.Equal(status, sms.Status);
        Assert.Equal(Due, sms.DueAt);
        Assert.Equal(Start, sms.BookingStart);
        Assert.Equal("Påminnelse.", sms.Text);
        Assert.Empty(sms.Reasons);
    }

    [Fact]
    public void R22_a_pending_SMS_never_tried_follows_a_replan_to_an_earlier_due_time()
    {
        var sms = Pending();
        var earlier = Due - Duration.FromHours(3);

        sms.Replan(Planned(earlier, "Ny text.", Reasons.ReminderAtOnce), Start - Duration.FromHours(3));

        Assert.Equal(SmsStatus.Pending, sms.Status);
        Assert.Equal(earlier, sms.DueAt);
        Assert.Equal(earlier, sms.NotBefore);
        Assert.Equal(Start - Duration.FromHours(3), sms.BookingStart);
        Assert.Equal("Ny text.", sms.Text);
        Assert.Equal(["R20 AtOnce"], Codes(sms.Reasons));
    }

    [Fact]
    public void R22_a_stopped_SMS_is_revived_by_a_replan()
    {
        var sms = Pending();
        sms.Suppress([Reasons.UnitBlocked]);

        sms.Replan(Planned(Due), Start);

        Assert.Equal(SmsStatus.Pending, sms.Status);
        Assert.Empty(sms.Reasons);
    }

    [Fact]
    public void R22_after_a_refused_attempt_a_replan_keeps_the_retry_backoff_unless_the_new_due_time_is_later()
    {
        var retryAt = Due + Duration.FromMinutes(30);
        var sms = Sending();
        sms.RetryLater("Tillfälligt fel.", retryAt);

        sms.Replan(Planned(Due + Duration.FromMinutes(10)), Start);
        Assert.Equal(Due + Duration.FromMinutes(10), sms.DueAt);
        Assert.Equal(retryAt, sms.NotBefore);

        sms.Replan(Planned(Due + Duration.FromHours(2)), Start + Duration.FromHours(2));
        Assert.Equal(Due + Duration.FromHours(2), sms.NotBefore);
    }
}
