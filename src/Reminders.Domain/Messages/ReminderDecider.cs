using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Texts;
using Reminders.Domain.Time;
using Reminders.Domain.Units;

namespace Reminders.Domain.Messages;

/// <summary>An SMS the rules say to send.</summary>
/// <param name="Kind">Reminder or self check-in.</param>
/// <param name="Recipient">Patient or guardian.</param>
/// <param name="To">The number.</param>
/// <param name="DueAt">When it is due (R20, R21, R28).</param>
/// <param name="Text">The exact text (R25, R26).</param>
/// <param name="Notes">Rules that shaped it without stopping it (sent at once, moved by quiet hours).</param>
public sealed record PlannedSms(SmsKind Kind, Recipient Recipient, PhoneNumber To, Instant DueAt, string Text, IReadOnlyList<Reason> Notes);

/// <summary>A kind of SMS that will not be sent, with every rule that stopped it (R24).</summary>
/// <param name="Kind">Reminder or self check-in.</param>
/// <param name="Reasons">Each rule that stopped it.</param>
public sealed record NotSent(SmsKind Kind, IReadOnlyList<Reason> Reasons);

/// <summary>The answer to "which SMS, to whom, when — or why not" for one booking (R24).</summary>
/// <param name="Messages">The SMS to send.</param>
/// <param name="NotSent">The kinds not sent and why.</param>
public sealed record Decision(IReadOnlyList<PlannedSms> Messages, IReadOnlyList<NotSent> NotSent)
{
    /// <summary>The reasons a kind is not sent, empty when it is.</summary>
    public IReadOnlyList<Reason> ReasonsFor(SmsKind kind)
    {
        foreach (var notSent in NotSent)
        {
            if (notSent.Kind == kind)
            {
                return notSent.Reasons;
            }
        }

        return [];
    }

    /// <summary>
    /// R60b: whether the SMS reach anyone. The recipients (R10–R12, R16) are decided whatever else stops the SMS, so
    /// this is the answer for an activated patient even while the booking's SMS are held back for another reason.
    /// </summary>
    public BookingReach Reach
    {
        get
        {
            foreach (var reason in ReasonsFor(SmsKind.Reminder))
            {
                foreach (var noRecipient in Reasons.NoRecipient)
                {
                    if (reason.Is(noRecipient))
                    {
                        return BookingReach.NoRecipient;
                    }
                }
            }

            return BookingReach.Reachable;
        }
    }
}

/// <summary>
/// The one decision function (R24): given the patient, their setting, the unit, the booking and now,
/// which SMS go to whom and when, or exactly why not. Pure and deterministic. The planner, the
/// dispatcher (R23: again at the moment of sending), the pages and the API all call it.
/// </summary>
/// <remarks>
/// Written for speed (issue #9: at least 1 000 000 decisions/s): reasons and recipients are gathered in
/// fixed-size buffers on the stack, each text is rendered once per kind whatever the number of recipients,
/// and the decision allocates only what it returns (arrays of the exact size, empty ones shared).
/// </remarks>
public static class ReminderDecider
{
    /// <summary>Decides both kinds of SMS for <paramref name="booking"/> at <paramref name="now"/>.</summary>
    public static Decision Decide(Patient patient, ReminderSetting setting, CareUnit unit, Booking booking, Instant now, SmsPolicy policy)
    {
        var startLocal = Stockholm.LocalOf(booking.Start);

        // Reasons that stop every kind alike are gathered once.
        var common = new ReasonBuffer();
        AddEligibilityReasons(patient, setting, unit, booking, now, ref common);

        var recipients = new RecipientBuffer();
        AddRecipients(patient, setting, startLocal.Date, ref recipients, ref common);

        Reason? selfCheckInReason = !unit.OffersSelfCheckIn ? Reasons.NoSelfCheckIn
            : string.IsNullOrWhiteSpace(policy.SelfCheckInLink) ? Reasons.NoSelfCheckInLink
            : null;

        var remind = common.Count == 0;
        var checkIn = remind && selfCheckInReason is null;
        if (!remind)
        {
            // Nothing is sent: the reasons for each kind, the self check-in SMS's own reason last.
            var reasons = common.ToArray(null);
            NotSent[] notSent =
            [
                new NotSent(SmsKind.Reminder, reasons),
                new NotSent(SmsKind.SelfCheckIn, selfCheckInReason is null ? reasons : common.ToArray(selfCheckInReason)),
            ];
            return new Decision([], notSent);
        }

        var messages = new PlannedSms[recipients.Count * (checkIn ? 2 : 1)];
        var at = AddMessages(SmsKind.Reminder, booking, now, policy, SmsPolicy.ReminderLead, Reasons.ReminderAtOnce,
            SmsText.Reminder(unit.Name, startLocal), ref recipients, messages, 0);
        if (!checkIn)
        {
            return new Decision(messages, [new NotSent(SmsKind.SelfCheckIn, [selfCheckInReason!])]);
        }

        AddMessages(SmsKind.SelfCheckIn, booking, now, policy, SmsPolicy.SelfCheckInLead, Reasons.SelfCheckInAtOnce,
            SmsText.SelfCheckIn(unit.Name, startLocal, policy.SelfCheckInLink), ref recipients, messages, at);
        return new Decision(messages, []);
    }

    /// <summary>R1, R3, R4, R5, R6, R14, R22, R32, R33: the reasons no SMS of any kind goes out.</summary>
    private static void AddEligibilityReasons(Patient patient, ReminderSetting setting, CareUnit unit, Booking booking, Instant now, ref ReasonBuffer reasons)
    {
        if (patient.ProtectedIdentity)
        {
            reasons.Add(Reasons.ProtectedIdentity);
        }

        switch (setting.Status)
        {
            case ReminderStatus.NotActivated:
                reasons.Add(setting.NotActivatedReason switch
                {
                    NotActivatedReason.MigrationUnitBlocks => Reasons.MigrationUnitBlocks,
                    NotActivatedReason.MigrationMobileBefore13 => Reasons.MigrationMobileBefore13,
                    _ when patient.ConsentIn1177 => Reasons.ConsentedIn1177NotActivated,
                    _ => Reasons.NotActivated,
                });
                break;
            case ReminderStatus.Deactivated:
                reasons.Add(Reasons.Deactivated);
                break;
            case ReminderStatus.Declined:
                reasons.Add(Reasons.Declined);
                break;
            case ReminderStatus.Activated:
                break;
            default:
                throw new InvalidOperationException($"Unknown status {setting.Status}.");
        }

        if (!unit.Active)
        {
            reasons.Add(Reasons.UnitInactive);
        }
        else if (!unit.UsesSmsReminders)
        {
            reasons.Add(Reasons.UnitWithoutSms);
        }

        if (setting.IsBlocked(unit.HsaId))
        {
            reasons.Add(Reasons.UnitBlocked);
        }

        if (booking.Status == BookingStatus.Cancelled)
        {
            reasons.Add(Reasons.BookingCancelled);
        }
        else if (booking.BookedAt >= booking.Start)
        {
            reasons.Add(Reasons.BookedAfterStart);
        }
        else if (now >= booking.Start)
        {
            reasons.Add(Reasons.StartPassed);
        }
    }

    /// <summary>R10–R13, R16: who receives the SMS for a contact on <paramref name="contactDate"/>.</summary>
    private static void AddRecipients(Patient patient, ReminderSetting setting, LocalDate contactDate, ref RecipientBuffer recipients, ref ReasonBuffer reasons)
    {
        if (Age.IsChildOn(patient.BirthDate, contactDate))
        {
            // R11: a child's own number is never used; each guardian number (at most two) is.
            var guardians = setting.GuardianNumbers;
            for (var i = 0; i < guardians.Count && i < ReminderSetting.MaxGuardianNumbers; i++)
            {
                var number = guardians[i].Number;
                if (number.IsMobile && !recipients.Contains(number))
                {
                    recipients.Add(Recipient.Guardian, number);
                }
            }

            if (recipients.Count == 0)
            {
                reasons.Add(Reasons.NoGuardianNumbers);
            }

            return;
        }

        // R10, R13: 13 or older, the patient's own mobile only; guardian numbers are never used.
        if (patient.Mobile is null)
        {
            reasons.Add(Reasons.NoMobile);
        }
        else if (!patient.Mobile.IsMobile)
        {
            reasons.Add(Reasons.NotMobile);
        }
        else if (setting.WhyMobileIsNotOwn(patient, contactDate) is { } notOwn)
        {
            reasons.Add(notOwn);
        }
        else
        {
            recipients.Add(Recipient.Patient, patient.Mobile);
        }
    }

    /// <summary>One SMS of <paramref name="kind"/> per recipient, from <paramref name="at"/> on; the same text, due time and notes for each.</summary>
    private static int AddMessages(
        SmsKind kind,
        Booking booking,
        Instant now,
        SmsPolicy policy,
        Duration lead,
        Reason atOnce,
        string text,
        ref RecipientBuffer recipients,
        PlannedSms[] messages,
        int at)
    {
        // R28 (rev. 2): quiet hours move the reminder only; the self check-in SMS always goes 2 h before (R21).
        var (due, notes) = DueAt(booking.Start, booking.BookedAt, now, lead, atOnce, kind == SmsKind.Reminder ? policy.QuietHours : QuietHours.Off);
        for (var i = 0; i < recipients.Count; i++)
        {
            messages[at++] = new PlannedSms(kind, recipients.Who[i], recipients.To[i], due, text, notes);
        }

        return at;
    }

    /// <summary>
    /// R20/R21: due <paramref name="lead"/> before the start, in elapsed time (across DST changes);
    /// at once when booked, or planned, later than that. R28: a due time inside quiet hours moves to
    /// their end, unless that end is at or after the start (the caller passes no quiet hours for R21).
    /// </summary>
    internal static (Instant Due, IReadOnlyList<Reason> Notes) DueAt(Instant start, Instant bookedAt, Instant now, Duration lead, Reason atOnce, QuietHours quietHours)
    {
        var nominal = start - lead;
        var due = nominal;
        IReadOnlyList<Reason> notes = [];

        // "At once" is the booking's story (booked less than the lead before the start) and is noted as such.
        // A decision made after the due time for any other reason (activated late, a dispatcher a few seconds
        // behind) also goes at once, but that is no fact about the booking, so it adds no note.
        if (bookedAt > nominal)
        {
            due = bookedAt;
            notes = [atOnce];
        }

        if (now > due)
        {
            due = now;
        }

        if (quietHours.EndOfQuietHoursContaining(due) is { } end && end < start)
        {
            due = end;
            notes = [.. notes, Reasons.MovedByQuietHours];
        }

        return (due, notes);
    }
}

/// <summary>The reasons gathered for a decision, on the stack: there are at most seven (six common, one per kind).</summary>
internal struct ReasonBuffer
{
    private Reasons8 _items;

    /// <summary>How many were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a reason.</summary>
    public void Add(Reason reason) => _items[Count++] = reason;

    /// <summary>The reasons in the order added, then <paramref name="last"/> when there is one.</summary>
    public readonly Reason[] ToArray(Reason? last)
    {
        var array = new Reason[Count + (last is null ? 0 : 1)];
        for (var i = 0; i < Count; i++)
        {
            // Element by element: a span copy of references goes through the runtime's bulk copy, slow for a few.
            array[i] = _items[i];
        }

        if (last is not null)
        {
            array[Count] = last;
        }

        return array;
    }

    [System.Runtime.CompilerServices.InlineArray(8)]
    private struct Reasons8
    {
        private Reason _first;
    }
}

/// <summary>The recipients of a decision, on the stack: the patient, or at most two guardians (R10, R11).</summary>
internal struct RecipientBuffer
{
    /// <summary>Who each recipient is.</summary>
    public Recipients2 Who;

    /// <summary>Each recipient's number.</summary>
    public Numbers2 To;

    /// <summary>How many were added.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a recipient.</summary>
    public void Add(Recipient who, PhoneNumber to)
    {
        Who[Count] = who;
        To[Count] = to;
        Count++;
    }

    /// <summary>True when <paramref name="number"/> already receives the SMS.</summary>
    public readonly bool Contains(PhoneNumber number)
    {
        for (var i = 0; i < Count; i++)
        {
            if (To[i] == number)
            {
                return true;
            }
        }

        return false;
    }

    [System.Runtime.CompilerServices.InlineArray(ReminderSetting.MaxGuardianNumbers)]
    internal struct Recipients2
    {
        private Recipient _first;
    }

    [System.Runtime.CompilerServices.InlineArray(ReminderSetting.MaxGuardianNumbers)]
    internal struct Numbers2
    {
        private PhoneNumber _first;
    }
}
