using NodaTime;
using Reminders.Domain.Bookings;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Planning;

/// <summary>The booking as the planner sees it: moves and cancellations (R22), outcomes (R61).</summary>
public class BookingTests
{
    private static readonly Instant Start = Local(2025, 6, 12, 14);
    private static readonly Instant BookedAt = Local(2025, 6, 1, 10);

    [Theory]
    [InlineData(BookingReach.NoRecipient, true, false, BookingReach.NoRecipient)]
    [InlineData(BookingReach.Reachable, true, false, BookingReach.Reachable)]
    [InlineData(BookingReach.NoRecipient, false, false, BookingReach.NotActivated)]
    [InlineData(BookingReach.Reachable, false, false, BookingReach.NotActivated)]
    [InlineData(BookingReach.NoRecipient, true, true, BookingReach.NotActivated)]
    [InlineData(BookingReach.Reachable, true, true, BookingReach.NotActivated)]
    [InlineData(BookingReach.NoRecipient, false, true, BookingReach.NotActivated)]
    public void R60b_R1_R14_the_stored_answer_is_the_decisions_only_for_an_activated_patient_without_protected_identity(
        BookingReach decided, bool activated, bool protectedIdentity, BookingReach stored)
    {
        Assert.Equal(stored, StoredReach.Of(decided, activated, protectedIdentity));

        var booking = Booking(Start, BookedAt);
        Assert.True(booking.RecordReach(StoredReach.Of(decided, activated, protectedIdentity)));
        Assert.Equal(stored, booking.Reach);
    }

    [Fact]
    public void R60b_R1_R14_the_planner_stores_the_decisions_answer_only_for_an_activated_patient_without_protected_identity()
    {
        var booking = Booking(Start, BookedAt);
        var noMobile = Patient(noMobile: true);
        var activated = Setting(noMobile);
        var decision = Decide(noMobile, activated, booking);

        Assert.Equal(BookingReach.NoRecipient, StoredReach.Of(decision, activated, noMobile));
        Assert.Equal(BookingReach.NotActivated, StoredReach.Of(Decide(noMobile, Setting(noMobile, activated: false), booking), Setting(noMobile, activated: false), noMobile));
        var withMobile = Patient();
        Assert.Equal(BookingReach.Reachable, StoredReach.Of(Decide(withMobile, Setting(withMobile), booking), Setting(withMobile), withMobile));
        // Activated before the register marked the identity protected (a protected patient cannot be activated).
        var hidden = Patient(protectedIdentity: true, noMobile: true);
        Assert.Equal(BookingReach.NotActivated, StoredReach.Of(Decide(hidden, activated, booking), activated, hidden));
    }

    [Fact]
    public void R60b_a_booking_is_undecided_until_planned_and_records_each_answer_once_without_counting_as_a_change()
    {
        var booking = Booking(Start, BookedAt);
        Assert.Equal(BookingReach.Undecided, booking.Reach);

        Assert.True(booking.RecordReach(BookingReach.NoRecipient));
        Assert.Equal(BookingReach.NoRecipient, booking.Reach);
        Assert.False(booking.RecordReach(BookingReach.NoRecipient));
        Assert.True(booking.RecordReach(BookingReach.Reachable));
        Assert.Equal(BookingReach.Reachable, booking.Reach);
        Assert.Equal(BookedAt, booking.UpdatedAt);

        // A decision always answers: "undecided" is only what a booking has before its first planning.
        Assert.Throws<ArgumentOutOfRangeException>(() => booking.RecordReach(BookingReach.Undecided));
        Assert.Equal(BookingReach.Reachable, booking.Reach);
    }

    [Fact]
    public void R22_cancel_is_idempotent()
    {
        var booking = Booking(Start, BookedAt);
        var at = Local(2025, 6, 5, 9);

        Assert.True(booking.Cancel(at));
        Assert.False(booking.Cancel(at + Duration.FromHours(1)));

        Assert.Equal(BookingStatus.Cancelled, booking.Status);
        Assert.Equal(at, booking.UpdatedAt);
    }

    [Fact]
    public void R20_R22_a_move_counts_as_a_new_booking_time_for_at_once()
    {
        var booking = Booking(Start, BookedAt);
        var movedAt = Local(2025, 6, 5, 9);

        Assert.False(booking.Reschedule(booking.PatientId, UnitId, Start, movedAt));
        Assert.Equal(BookedAt, booking.BookedAt);

        Assert.True(booking.Reschedule(booking.PatientId, UnitId, Local(2025, 6, 6, 9), movedAt));
        Assert.Equal((Local(2025, 6, 6, 9), movedAt), (booking.Start, booking.BookedAt));
    }

    [Fact]
    public void R22_a_cancelled_booking_delivered_again_is_booked_again()
    {
        var booking = Booking(Start, BookedAt);
        booking.Cancel(Local(2025, 6, 5, 9));

        Assert.True(booking.Reschedule(booking.PatientId, UnitId, Start, Local(2025, 6, 6, 9)));

        Assert.Equal(BookingStatus.Booked, booking.Status);
    }

    [Fact]
    public void R61_outcome_is_refused_before_the_start_and_for_a_cancelled_booking()
    {
        var booking = Booking(Start, BookedAt);

        Assert.Equal(["R61 NotStarted"], Codes(booking.RecordOutcome(BookingOutcome.NoShow, Start - Duration.FromMinutes(1)).Reasons));
        Assert.True(booking.RecordOutcome(BookingOutcome.NoShow, Start).Succeeded);
        Assert.Equal(BookingOutcome.NoShow, booking.Outcome);

        var cancelled = Booking(Start, BookedAt, cancelled: true);
        Assert.Equal(["R61 Cancelled"], Codes(cancelled.RecordOutcome(BookingOutcome.Attended, Start + Duration.FromHours(1)).Reasons));
        Assert.Equal(BookingOutcome.None, cancelled.Outcome);
    }

    [Fact]
    public void R22_a_booking_delivered_again_for_another_unit_or_patient_at_the_same_start_is_a_change()
    {
        var movedAt = Local(2025, 6, 5, 9);

        var toOtherUnit = Booking(Start, BookedAt, patientId: 7);
        Assert.True(toOtherUnit.Reschedule(7, OtherUnitId, Start, movedAt));
        Assert.Equal((OtherUnitId, movedAt, movedAt), (toOtherUnit.Unit, toOtherUnit.BookedAt, toOtherUnit.UpdatedAt));

        var toOtherPatient = Booking(Start, BookedAt, patientId: 7);
        Assert.True(toOtherPatient.Reschedule(8, UnitId, Start, movedAt));
        Assert.Equal(8, toOtherPatient.PatientId);
    }
}
