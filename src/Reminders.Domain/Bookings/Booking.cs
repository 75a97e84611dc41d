using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;

namespace Reminders.Domain.Bookings;

/// <summary>A booking's lifecycle state.</summary>
public enum BookingStatus
{
    /// <summary>Booked (and possibly moved).</summary>
    Booked,

    /// <summary>Cancelled: its pending SMS are cancelled (R22).</summary>
    Cancelled,
}

/// <summary>What happened at the booked contact (R61).</summary>
public enum BookingOutcome
{
    /// <summary>Not recorded yet.</summary>
    None,

    /// <summary>The patient came.</summary>
    Attended,

    /// <summary>The patient did not come (uteblivet besök).</summary>
    NoShow,
}

/// <summary>
/// R60b's answer for a booking, as the planner stored it when it last planned the booking: whether anyone can receive
/// its SMS (R10, R11, R12, R16) for a patient the reports count, that is activated and without protected identity. It
/// depends only on the patient, their setting and the booking's date, and every change of those replans the booking,
/// so the stored answer stays true; the dispatcher still decides again at the moment of sending (R23).
/// </summary>
public enum BookingReach
{
    /// <summary>Not planned since the answer was first stored (a store from before it, or a booking not planned yet).</summary>
    Undecided = 0,

    /// <summary>The patient's own mobile or a guardian's number receives the SMS.</summary>
    Reachable = 1,

    /// <summary>No number would receive it: one of <see cref="Reasons.NoRecipient"/>.</summary>
    NoRecipient = 2,

    /// <summary>
    /// Reminders are not on for the patient: the setting is not activated (R1), or the identity is protected (R14).
    /// R60b does not count these, whatever the numbers (the decision's own answer is <see cref="Decision.Reach"/>).
    /// </summary>
    NotActivated = 3,
}

/// <summary>R60b: what the planner stores for a booking (<see cref="Booking.RecordReach"/>).</summary>
public static class StoredReach
{
    /// <summary>
    /// The decision's answer (<paramref name="decided"/>) for a patient the reports count, else
    /// <see cref="BookingReach.NotActivated"/>: the reports then count the stored answers as they are, without reading
    /// each patient's setting and record.
    /// </summary>
    public static BookingReach Of(BookingReach decided, bool activated, bool protectedIdentity) =>
        activated && !protectedIdentity ? decided : BookingReach.NotActivated;

    /// <summary>What the planner stores after deciding a booking of <paramref name="patient"/> with <paramref name="setting"/>.</summary>
    public static BookingReach Of(Decision decision, ReminderSetting setting, Patient patient) =>
        Of(decision.Reach, setting.Status == ReminderStatus.Activated, patient.ProtectedIdentity);
}

/// <summary>A booked contact at a care unit, as the booking system delivers it.</summary>
public sealed class Booking
{
    /// <summary>The longest external id accepted.</summary>
    public const int MaxExternalIdLength = 64;

    private Booking(string externalId, long patientId, HsaId unit, Instant start, Instant bookedAt)
    {
        ExternalId = externalId;
        PatientId = patientId;
        Unit = unit;
        Start = start;
        BookedAt = bookedAt;
        UpdatedAt = bookedAt;
    }

    /// <summary>Internal id.</summary>
    public long Id { get; private set; }

    /// <summary>The booking system's id.</summary>
    public string ExternalId { get; private set; }

    /// <summary>The patient's internal id.</summary>
    public long PatientId { get; private set; }

    /// <summary>The unit the contact is booked at.</summary>
    public HsaId Unit { get; private set; }

    /// <summary>The booked start.</summary>
    public Instant Start { get; private set; }

    /// <summary>When the booking (or its latest move) was registered: "booked less than 48 h before" counts from here (R20).</summary>
    public Instant BookedAt { get; private set; }

    /// <summary>Booked or cancelled.</summary>
    public BookingStatus Status { get; private set; }

    /// <summary>Attended or no-show, once known (R61).</summary>
    public BookingOutcome Outcome { get; private set; }

    /// <summary>When the booking last changed.</summary>
    public Instant UpdatedAt { get; private set; }

    /// <summary>R60b: whether the SMS reach anyone, as the planner last decided (<see cref="BookingReach"/>).</summary>
    public BookingReach Reach { get; private set; }

    /// <summary>Creates a booking.</summary>
    public static Booking Create(string externalId, long patientId, HsaId unit, Instant start, Instant bookedAt) =>
        new(externalId, patientId, unit, start, bookedAt);

    /// <summary>
    /// Moves the booking (new start or unit) or re-books a cancelled one (R22: its SMS are recomputed).
    /// Returns true when anything changed.
    /// </summary>
    public bool Reschedule(long patientId, HsaId unit, Instant start, Instant bookedAt)
    {
        if (patientId == PatientId && unit == Unit && start == Start && Status == BookingStatus.Booked)
        {
            return false;
        }

        PatientId = patientId;
        Unit = unit;
        Start = start;
        BookedAt = bookedAt;
        Status = BookingStatus.Booked;
        UpdatedAt = bookedAt;
        return true;
    }

    /// <summary>Cancels the booking (R22). Idempotent; returns true when it changed.</summary>
    public bool Cancel(Instant now)
    {
        if (Status == BookingStatus.Cancelled)
        {
            return false;
        }

        Status = BookingStatus.Cancelled;
        UpdatedAt = now;
        return true;
    }

    /// <summary>
    /// Records whether the booking's SMS reach anyone, from the decision the planner just made for it (R24, R60b).
    /// Returns true when it changed. Not a change of the booking itself: <see cref="UpdatedAt"/> stays.
    /// </summary>
    public bool RecordReach(BookingReach reach)
    {
        if (reach == BookingReach.Undecided)
        {
            throw new ArgumentOutOfRangeException(nameof(reach), reach, "A decision always answers whether the SMS reach anyone.");
        }

        if (reach == Reach)
        {
            return false;
        }

        Reach = reach;
        return true;
    }

    /// <summary>R61: records the outcome. Refused for a cancelled booking and before the start.</summary>
    public Result RecordOutcome(BookingOutcome outcome, Instant now)
    {
        if (Status == BookingStatus.Cancelled)
        {
            return Result.Refused(Reasons.OutcomeOfCancelledBooking);
        }

        if (now < Start)
        {
            return Result.Refused(Reasons.OutcomeBeforeStart);
        }

        Outcome = outcome;
        UpdatedAt = now;
        return Result.Ok;
    }
}
