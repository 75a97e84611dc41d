using NodaTime;
using Reminders.Domain.Messages;
using static Reminders.Domain.Tests.Planning.PlanningWorld;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Planning;

/// <summary>SmsPlanner.AtSendTime: the decision is taken again at the moment of sending, and what changed wins (R23).</summary>
public class AtSendTimeTests
{
    private static readonly Instant Start = Local(2025, 6, 12, 14);
    private static readonly Instant BookedAt = Local(2025, 6, 1, 10);

    [Fact]
    public void R23_sends_when_due_and_nothing_changed()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);

        var (verdict, planned, reasons) = world.AtSendTime(reminder, reminder.DueAt);

        Assert.Equal(SendVerdict.Send, verdict);
        Assert.NotNull(planned);
        Assert.Equal((SmsKind.Reminder, Recipient.Patient, Mobile(5), reminder.Text), (planned.Kind, planned.Recipient, planned.To, planned.Text));
        Assert.Empty(reasons);
    }

    [Fact]
    public void R23_sends_a_late_SMS_at_once_without_claiming_the_booking_was_late()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);

        var (verdict, _, reasons) = world.AtSendTime(reminder, reminder.DueAt + Duration.FromMinutes(4));

        Assert.Equal(SendVerdict.Send, verdict);
        Assert.Empty(Codes(reasons)); // the booking was not made late; only the dispatcher is behind
    }

    [Fact]
    public void R23_defers_before_the_due_time()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);

        var (verdict, planned, _) = world.AtSendTime(reminder, reminder.DueAt - Duration.FromMinutes(1));

        Assert.Equal(SendVerdict.Defer, verdict);
        Assert.Equal(reminder.DueAt, planned!.DueAt);
    }

    [Fact]
    public void R28_R23_defers_to_0700_when_the_dispatcher_comes_late_into_quiet_hours()
    {
        // Due 20:00 on 10 June; the dispatcher only gets to it at 21:30.
        var world = Adult(Local(2025, 6, 12, 20), BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);
        Assert.Equal(Local(2025, 6, 10, 20), reminder.DueAt);

        var (verdict, planned, reasons) = world.AtSendTime(reminder, Local(2025, 6, 10, 21, 30));

        Assert.Equal(SendVerdict.Defer, verdict);
        Assert.Equal(Local(2025, 6, 11, 7), planned!.DueAt);
        Assert.Equal(["R28 QuietHours"], Codes(reasons));

        Assert.Equal(SendVerdict.Send, world.AtSendTime(reminder, Local(2025, 6, 11, 7)).Verdict);
    }

    public static TheoryData<string, string> Changes => new()
    {
        { "block", "R3 UnitBlocked" },
        { "deactivate", "R5 Deactivated" },
        { "protected", "R14 ProtectedIdentity" },
        { "cancel", "R22 Cancelled" },
        { "unit stops SMS", "R4 UnitWithoutSms" },
        { "unit inactive", "R4 UnitInactive" },
        { "mobile gone", "R10 NoMobile" },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void R23_stops_with_the_reason_when_something_changed_after_planning(string change, string expected)
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);
        var at = Local(2025, 6, 5, 9);
        switch (change)
        {
            case "block":
                world.Setting.Block(UnitId, Ctx(at));
                break;
            case "deactivate":
                world.Setting.Deactivate(Ctx(at));
                break;
            case "protected":
                world.Patient.UpdateFromRegister(world.Patient.Name, true, world.Patient.Mobile, world.Patient.MobileUpdatedAt, false);
                break;
            case "cancel":
                world.Booking.Cancel(at);
                break;
            case "unit stops SMS":
                world.Unit.Update(world.Unit.Name, world.Unit.Clinic, usesSmsReminders: false, offersSelfCheckIn: true);
                break;
            case "unit inactive":
                world.Unit.SetActive(false);
                break;
            case "mobile gone":
                world.Patient.UpdateFromRegister(world.Patient.Name, false, null, null, false);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }

        var (verdict, planned, reasons) = world.AtSendTime(reminder, reminder.DueAt);

        Assert.Equal(SendVerdict.Stop, verdict);
        Assert.Null(planned);
        Assert.Equal([expected], Codes(reasons));
    }

    [Fact]
    public void R23_R12_stops_a_guardian_SMS_when_the_booking_moved_onto_the_13th_birthday_and_the_own_mobile_does_not_count()
    {
        // Born 2012-06-15; the own mobile predates the birthday.
        var youth = Child(new LocalDate(2012, 6, 15), Mobile(20), Local(2024, 2, 1, 12));
        var world = new PlanningWorld(youth, Setting(youth, activated: true, Mobile(10)), Unit(), Booking(Local(2025, 6, 14, 10), BookedAt));
        world.Reconcile(BookedAt);
        var toGuardian = world.Single(SmsKind.Reminder);
        Assert.Equal((Recipient.Guardian, Mobile(10)), (toGuardian.Recipient, toGuardian.To));

        // Moved to the birthday itself; the dispatcher claims the SMS before the planner ran.
        world.Booking.Reschedule(world.Booking.PatientId, UnitId, Local(2025, 6, 15, 10), Local(2025, 6, 10, 9));
        var (verdict, _, reasons) = world.AtSendTime(toGuardian, toGuardian.DueAt);

        Assert.Equal(SendVerdict.Stop, verdict);
        Assert.Equal(["R12 MobileRegisteredBefore13"], Codes(reasons));
    }

    [Fact]
    public void R23_R10_stops_a_guardian_SMS_when_the_patient_is_13_on_the_new_date_and_has_an_own_mobile()
    {
        var youth = Child(new LocalDate(2012, 6, 15), Mobile(20), Local(2025, 6, 15, 8));
        var world = new PlanningWorld(youth, Setting(youth, activated: true, Mobile(10)), Unit(), Booking(Local(2025, 6, 14, 10), BookedAt));
        world.Reconcile(BookedAt);
        var toGuardian = world.Single(SmsKind.Reminder);

        world.Booking.Reschedule(world.Booking.PatientId, UnitId, Local(2025, 6, 16, 10), Local(2025, 6, 10, 9));
        var (verdict, planned, reasons) = world.AtSendTime(toGuardian, toGuardian.DueAt);

        Assert.Equal(SendVerdict.Stop, verdict);
        Assert.Null(planned);
        Assert.Equal(["R23 RecipientChanged"], Codes(reasons));

        // The planner then plans the reminder for the patient's own number and suppresses the guardian's.
        var added = world.Reconcile(Local(2025, 6, 10, 9));
        Assert.Equal((Recipient.Patient, Mobile(20)), (Assert.Single(added).Recipient, added[0].To));
        Assert.Equal(SmsStatus.Suppressed, toGuardian.Status);
    }

    [Fact]
    public void R23_stops_when_the_mobile_changed_between_planning_and_sending()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);

        world.Patient.UpdateFromRegister(world.Patient.Name, false, Mobile(22), Local(2025, 6, 9, 12), false);
        var (verdict, planned, reasons) = world.AtSendTime(reminder, reminder.DueAt);

        Assert.Equal(SendVerdict.Stop, verdict);
        Assert.Null(planned);
        Assert.Equal(["R23 RecipientChanged"], Codes(reasons));
    }

    [Fact]
    public void R23_R22_stops_when_the_booking_moved_and_the_SMS_was_planned_for_the_old_start()
    {
        var world = Adult(Start, BookedAt);
        world.Reconcile(BookedAt);
        var reminder = world.Single(SmsKind.Reminder);

        world.Booking.Reschedule(world.Booking.PatientId, UnitId, Start + Duration.FromDays(1), Local(2025, 6, 9, 9));

        Assert.Equal(SendVerdict.Stop, world.AtSendTime(reminder, reminder.DueAt).Verdict);
    }
}
