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
    public IReadOnlyList<Reason> ReasonsFor(SmsKind kind) =>
        NotSent.FirstOrDefault(n => n.Kind == kind)?.Reasons ?? [];
}

/// <summary>
/// The one decision function (R24): given the patient, their setting, the unit, the booking and now,
/// which SMS go to whom and when, or exactly why not. Pure and deterministic. The planner, the
/// dispatcher (R23: again at the moment of sending), the pages and the API all call it.
/// </summary>
public static class ReminderDecider
{
    /// <summary>Decides both kinds of SMS for <paramref name="booking"/> at <paramref name="now"/>.</summary>
    public static Decision Decide(Patient patient, ReminderSetting setting, CareUnit unit, Booking booking, Instant now, SmsPolicy policy)
    {
        var messages = new List<PlannedSms>(4);
        var notSent = new List<NotSent>(2);

        // Reasons that stop every kind alike are gathered once.
        var common = new List<Reason>(4);
        AddEligibilityReasons(patient, setting, unit, booking, now, common);

        var recipients = new List<(Recipient Recipient, PhoneNumber To)>(2);
        AddRecipients(patient, setting, Stockholm.DateOf(booking.Start), recipients, common);

        var startLocal = Stockholm.LocalOf(booking.Start);
        DecideKind(SmsKind.Reminder, booking, now, policy, common, recipients, messages, notSent,
            lead: SmsPolicy.ReminderLead, atOnce: Reasons.ReminderAtOnce,
            text: () => SmsText.Reminder(unit.Name, startLocal), kindReasons: null);

        List<Reason>? selfCheckIn = null;
        if (!unit.OffersSelfCheckIn)
        {
            (selfCheckIn ??= []).Add(Reasons.NoSelfCheckIn);
        }
        else if (string.IsNullOrWhiteSpace(policy.SelfCheckInLink))
        {
            (selfCheckIn ??= []).Add(Reasons.NoSelfCheckInLink);
        }

        DecideKind(SmsKind.SelfCheckIn, booking, now, policy, common, recipients, messages, notSent,
            lead: SmsPolicy.SelfCheckInLead, atOnce: Reasons.SelfCheckInAtOnce,
            text: () => SmsText.SelfCheckIn(unit.Name, startLocal, policy.SelfCheckInLink), kindReasons: selfCheckIn);

        return new Decision(messages, notSent);
    }

    /// <summary>R1, R3, R4, R5, R6, R14, R22, R32, R33: the reasons no SMS of any kind goes out.</summary>
    private static void AddEligibilityReasons(Patient patient, ReminderSetting setting, CareUnit unit, Booking booking, Instant now, List<Reason> reasons)
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
    private static void AddRecipients(Patient patient, ReminderSetting setting, LocalDate contactDate, List<(Recipient, PhoneNumber)> recipients, List<Reason> reasons)
    {
        if (Age.IsChildOn(patient.BirthDate, contactDate))
        {
            // R11: a child's own number is never used; each guardian number (at most two) is.
            foreach (var guardian in setting.GuardianNumbers.Take(ReminderSetting.MaxGuardianNumbers))
            {
                if (guardian.Number.IsMobile && !recipients.Exists(r => r.Item2 == guardian.Number))
                {
                    recipients.Add((Recipient.Guardian, guardian.Number));
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
        else if (!setting.MobileIsOwn(patient, contactDate))
        {
            reasons.Add(Reasons.MobileNotConfirmedSince13);
        }
        else
        {
            recipients.Add((Recipient.Patient, patient.Mobile));
        }
    }

    private static void DecideKind(
        SmsKind kind,
        Booking booking,
        Instant now,
        SmsPolicy policy,
        List<Reason> common,
        List<(Recipient Recipient, PhoneNumber To)> recipients,
        List<PlannedSms> messages,
        List<NotSent> notSent,
        Duration lead,
        Reason atOnce,
        Func<string> text,
        List<Reason>? kindReasons)
    {
        if (common.Count > 0 || kindReasons is { Count: > 0 })
        {
            var reasons = new List<Reason>(common.Count + (kindReasons?.Count ?? 0));
            reasons.AddRange(common);
            if (kindReasons is not null)
            {
                reasons.AddRange(kindReasons);
            }

            notSent.Add(new NotSent(kind, reasons));
            return;
        }

        var (due, notes) = DueAt(booking.Start, booking.BookedAt, now, lead, atOnce, policy.QuietHours);
        var rendered = text();
        foreach (var (recipient, to) in recipients)
        {
            messages.Add(new PlannedSms(kind, recipient, to, due, rendered, notes));
        }
    }

    /// <summary>
    /// R20/R21: due <paramref name="lead"/> before the start, in elapsed time (across DST changes);
    /// at once when booked, or planned, later than that. R28: a due time inside quiet hours moves to
    /// their end, unless that end is at or after the start.
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
