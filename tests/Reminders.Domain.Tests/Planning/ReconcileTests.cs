using NodaTime;
using Reminders.Domain.Messages;
using static Reminders.Domain.Tests.Planning.PlanningWorld;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Planning;

/// <summary>SmsPlanner.Reconcile: pending SMS follow the decision; a sent SMS is never planned again for the same key (R22, R23).</summary>
public class ReconcileTests
{
    private static readonly Instant Start = Local(2025, 6, 12, 14);
    private static readonly Instant BookedAt = Local(2025, 6, 1, 10);

    [Fact]
    public void R20_R21_reconcile_plans_each_SMS_the_decision_wants()
    {
        var world = Adult(Start, BookedAt);

        var added = world.Reconcile(BookedAt);

        Assert.Equal(2, added.Count);
        var reminder = world.Single(SmsKind.Reminder);
        Assert.Equal(Local(2025, 6, 10, 14), reminder.DueAt);
        Assert.Equal(reminder.DueAt, reminder.NotBefore);
        Assert.Equal(Start, reminder.BookingStart);
        Assert.Equal(Recipient.Patient, reminder.Recipient);
        Assert.Equal(Mobile(5), reminder.To);
        Assert.Equal(SmsStatus.Pending, reminder.Status);
        Assert.Equal(BookedAt, reminder.CreatedAt);
        Assert.StartsWith("Påminnelse om bokad kontakt med Ortopedmottagningen Centrum 2025-06-12 kl. 14:00.", reminder.Text, StringComparison.Ordinal);
        var selfCheckIn = world.Single(SmsKind.SelfCheckIn);
        Assert.Equal(Local(2025, 6, 12, 12), selfCheckIn.DueAt);
        Assert.Equal(["token-1", "token-2"], world.Messages.Select(m => m.CallbackToken));
    }

    [Fact]
    public void R22_replanning_with_the_same_decision_changes_nothing()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var before = world.Messages.Select(Snapshot).ToList();

        Assert.Empty(world.Reconcile(BookedAt + Duration.FromHours(1)));
        Assert.Empty(world.Reconcile(Local(2025, 6, 9, 10)));

        Assert.Equal(before, world.Messages.Select(Snapshot));
    }

    [Fact]
    public void R20_R22_replanning_an_at_once_SMS_later_keeps_its_due_time()
    {
        var bookedAt = Start - Duration.FromHours(5);
        var world = Adult(Start, bookedAt);
        world.Reconcile(bookedAt);
        var before = world.Messages.Select(Snapshot).ToList();

        Assert.Empty(world.Reconcile(bookedAt + Duration.FromMinutes(3)));

        Assert.Equal(before, world.Messages.Select(Snapshot));
        Assert.Equal(bookedAt, world.Single(SmsKind.Reminder).DueAt);
    }

    [Fact]
    public void R3_R23_a_block_suppresses_pending_SMS_with_the_R3_reason_and_unblock_revives_them()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var original = world.Messages.ToList();

        world.Setting.Block(UnitId, Ctx(Local(2025, 6, 3, 9)));
        Assert.Empty(world.Reconcile(Local(2025, 6, 3, 9)));

        Assert.All(world.Messages, m =>
        {
            Assert.Equal(SmsStatus.Suppressed, m.Status);
            Assert.Equal(["R3 UnitBlocked"], Codes(m.Reasons));
        });

        world.Setting.Unblock(UnitId);
        Assert.Empty(world.Reconcile(Local(2025, 6, 4, 9)));

        Assert.Equal(original, world.Messages);
        Assert.All(world.Messages, m =>
        {
            Assert.Equal(SmsStatus.Pending, m.Status);
            Assert.Empty(m.Reasons);
        });
        Assert.Equal(Local(2025, 6, 10, 14), world.Single(SmsKind.Reminder).DueAt);
    }

    [Fact]
    public void R22_cancellation_cancels_pending_SMS_with_the_R22_reason()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);

        world.Booking.Cancel(Local(2025, 6, 5, 9));
        Assert.Empty(world.Reconcile(Local(2025, 6, 5, 9)));

        Assert.All(world.Messages, m =>
        {
            Assert.Equal(SmsStatus.Cancelled, m.Status);
            Assert.Equal(["R22 Cancelled"], Codes(m.Reasons));
        });
    }

    [Fact]
    public void R22_a_cancelled_booking_that_is_booked_again_revives_its_SMS()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        world.Booking.Cancel(Local(2025, 6, 5, 9));
        world.Reconcile(Local(2025, 6, 5, 9));

        Assert.True(world.Booking.Reschedule(world.Booking.PatientId, UnitId, Start, Local(2025, 6, 6, 9)));
        Assert.Empty(world.Reconcile(Local(2025, 6, 6, 9)));

        Assert.Equal(2, world.Messages.Count);
        Assert.All(world.Messages, m => Assert.Equal(SmsStatus.Pending, m.Status));
    }

    [Fact]
    public void R22_a_moved_booking_reschedules_pending_SMS_to_the_new_start()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var original = world.Messages.ToList();
        var newStart = Local(2025, 6, 19, 10);

        world.Booking.Reschedule(world.Booking.PatientId, UnitId, newStart, Local(2025, 6, 5, 9));
        Assert.Empty(world.Reconcile(Local(2025, 6, 5, 9)));

        Assert.Equal(original, world.Messages);
        var reminder = world.Single(SmsKind.Reminder);
        Assert.Equal(SmsStatus.Pending, reminder.Status);
        Assert.Equal(newStart, reminder.BookingStart);
        Assert.Equal(Local(2025, 6, 17, 10), reminder.DueAt);
        Assert.Contains("2025-06-19 kl. 10:00", reminder.Text, StringComparison.Ordinal);
        Assert.Equal(Local(2025, 6, 19, 8), world.Single(SmsKind.SelfCheckIn).DueAt);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void R22_an_SMS_already_sent_or_failed_for_the_same_kind_recipient_number_and_start_is_never_planned_again(bool failed)
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);
        reminder.BeginAttempt(reminder.DueAt);
        if (failed)
        {
            reminder.MarkFailed("Ogiltigt nummer");
        }
        else
        {
            reminder.MarkSent("provider-1", reminder.DueAt);
        }

        var snapshot = Snapshot(reminder);

        Assert.Empty(world.Reconcile(reminder.DueAt + Duration.FromHours(1)));
        Assert.Empty(world.Reconcile(Start - Duration.FromHours(3)));

        Assert.Equal(snapshot, Snapshot(reminder));
        Assert.Single(world.Messages, m => m.Kind == SmsKind.Reminder);
    }

    [Fact]
    public void R22_a_sent_reminder_is_planned_again_for_a_new_start()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var sent = world.Single(SmsKind.Reminder);
        Send(sent, sent.DueAt);
        var newStart = Local(2025, 6, 26, 9);

        world.Booking.Reschedule(world.Booking.PatientId, UnitId, newStart, Local(2025, 6, 11, 9));
        var added = world.Reconcile(Local(2025, 6, 11, 9));

        var again = Assert.Single(added);
        Assert.Equal(SmsKind.Reminder, again.Kind);
        Assert.Equal(newStart, again.BookingStart);
        Assert.Equal(Local(2025, 6, 24, 9), again.DueAt);
        Assert.Equal(SmsStatus.Sent, sent.Status);
        Assert.Equal(Start, sent.BookingStart);
    }

    [Fact]
    public void R22_moving_back_to_a_start_already_sent_for_suppresses_the_pending_SMS_with_AlreadySent()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        Send(world.Single(SmsKind.Reminder), Local(2025, 6, 10, 14));
        var newStart = Local(2025, 6, 26, 9);
        world.Booking.Reschedule(world.Booking.PatientId, UnitId, newStart, Local(2025, 6, 11, 9));
        var forNewStart = Assert.Single(world.Reconcile(Local(2025, 6, 11, 9)));

        world.Booking.Reschedule(world.Booking.PatientId, UnitId, Start, Local(2025, 6, 11, 10));
        Assert.Empty(world.Reconcile(Local(2025, 6, 11, 10)));

        Assert.Equal(SmsStatus.Suppressed, forNewStart.Status);
        Assert.Equal(["R22 AlreadySent"], Codes(forNewStart.Reasons));
        Assert.Equal(2, world.Messages.Count(m => m.Kind == SmsKind.Reminder));
    }

    [Fact]
    public void R11_R23_a_changed_guardian_number_suppresses_the_old_and_plans_the_new()
    {
        var child = Child(new LocalDate(2016, 4, 4));
        var setting = Setting(child, activated: true, Mobile(10), Mobile(11));
        var world = new PlanningWorld(child, setting, Unit(), Booking(Start, BookedAt));
        world.Reconcile(BookedAt);
        Assert.Equal([Mobile(10), Mobile(11)], world.Messages.Select(m => m.To));

        Assert.True(setting.SetGuardianNumbers(child, [Mobile(10), Mobile(12)], Ctx(Local(2025, 6, 2, 9))).Succeeded);
        var added = world.Reconcile(Local(2025, 6, 2, 9));

        var planned = Assert.Single(added);
        Assert.Equal((Recipient.Guardian, Mobile(12), SmsStatus.Pending), (planned.Recipient, planned.To, planned.Status));
        var old = Assert.Single(world.Messages, m => m.To == Mobile(11));
        Assert.Equal(SmsStatus.Suppressed, old.Status);
        Assert.Equal(["R23 RecipientChanged"], Codes(old.Reasons));
        Assert.Equal(SmsStatus.Pending, Assert.Single(world.Messages, m => m.To == Mobile(10)).Status);
    }

    [Fact]
    public void R14_R23_becoming_protected_suppresses_every_pending_SMS_with_R14()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);

        world.Patient.UpdateFromRegister(world.Patient.Name, protectedIdentity: true, world.Patient.Mobile, world.Patient.MobileUpdatedAt, false);
        world.Reconcile(Local(2025, 6, 3, 9));

        Assert.All(world.Messages, m =>
        {
            Assert.Equal(SmsStatus.Suppressed, m.Status);
            Assert.Equal(["R14 ProtectedIdentity"], Codes(m.Reasons));
        });
    }

    [Fact]
    public void R21_R23_unit_stopping_self_check_in_suppresses_only_that_SMS()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);

        world.Unit.Update(world.Unit.Name, world.Unit.Clinic, usesSmsReminders: true, offersSelfCheckIn: false);
        world.Reconcile(Local(2025, 6, 3, 9));

        Assert.Equal(SmsStatus.Pending, world.Single(SmsKind.Reminder).Status);
        var selfCheckIn = world.Single(SmsKind.SelfCheckIn);
        Assert.Equal(SmsStatus.Suppressed, selfCheckIn.Status);
        Assert.Equal(["R21 NoSelfCheckIn"], Codes(selfCheckIn.Reasons));
    }

    [Fact]
    public void R22_an_SMS_being_sent_is_left_alone_when_a_block_arrives()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);
        reminder.BeginAttempt(reminder.DueAt);

        world.Setting.Block(UnitId, Ctx(reminder.DueAt));
        world.Reconcile(reminder.DueAt);

        Assert.Equal(SmsStatus.Sending, reminder.Status);
        Assert.Equal(SmsStatus.Suppressed, world.Single(SmsKind.SelfCheckIn).Status);
    }

    [Fact]
    public void R25_a_renamed_unit_replans_the_pending_text()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);

        world.Unit.Update("Handkirurgen", world.Unit.Clinic, true, true);
        Assert.Empty(world.Reconcile(Local(2025, 6, 3, 9)));

        Assert.StartsWith("Påminnelse om bokad kontakt med Handkirurgen 2025-06-12 kl. 14:00.", world.Single(SmsKind.Reminder).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void R22_R23_replanning_a_retried_SMS_keeps_its_attempts_and_its_retry_time_unless_the_new_due_time_is_later()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);
        var retryAt = reminder.DueAt + Duration.FromHours(1);
        reminder.BeginAttempt(reminder.DueAt);
        reminder.RetryLater("503", retryAt);

        // Renamed unit, same start: the new text, the retry's backoff and attempt count kept (decision 0005).
        world.Unit.Update("Handkirurgen", world.Unit.Clinic, true, true);
        Assert.Empty(world.Reconcile(reminder.DueAt + Duration.FromMinutes(1)));
        Assert.StartsWith("Påminnelse om bokad kontakt med Handkirurgen", reminder.Text, StringComparison.Ordinal);
        Assert.Equal((SmsStatus.Pending, 1, retryAt), (reminder.Status, reminder.Attempts, reminder.NotBefore));

        // Moved a week later (R22): the new due time is after the retry time, so it is the one that counts.
        world.Booking.Reschedule(world.Booking.PatientId, UnitId, Start + Duration.FromDays(7), reminder.DueAt + Duration.FromMinutes(2));
        Assert.Empty(world.Reconcile(reminder.DueAt + Duration.FromMinutes(2)));
        Assert.Equal(reminder.DueAt, reminder.NotBefore);
        Assert.Equal(Start + Duration.FromDays(5), reminder.DueAt);
    }
}
