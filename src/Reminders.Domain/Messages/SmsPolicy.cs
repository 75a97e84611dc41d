using NodaTime;
using Reminders.Domain.Time;

namespace Reminders.Domain.Messages;

/// <summary>The two kinds of SMS (R20, R21).</summary>
public enum SmsKind
{
    /// <summary>The reminder, 48 h before (R20, text R25).</summary>
    Reminder,

    /// <summary>The mobile self check-in SMS, 2 h before (R21, text R26).</summary>
    SelfCheckIn,
}

/// <summary>Who receives an SMS (R10, R11).</summary>
public enum Recipient
{
    /// <summary>The patient, 13 or older, on their own mobile (R10).</summary>
    Patient,

    /// <summary>A guardian of a child under 13 (R11).</summary>
    Guardian,
}

/// <summary>
/// R28 quiet hours (rev. 2): an admin setting, off by default (the sources say "direkt" and "2 timmar
/// innan"); when switched on, 21:00–07:00 local unless set otherwise. They only ever move the reminder (R20),
/// never the self check-in SMS (R21). A window whose start is after its end wraps midnight.
/// </summary>
/// <param name="Enabled">False switches quiet hours off.</param>
/// <param name="Start">Local start, inclusive.</param>
/// <param name="End">Local end, exclusive: the SMS is sent then.</param>
public sealed record QuietHours(bool Enabled, LocalTime Start, LocalTime End)
{
    /// <summary>The default (rev. 2): off, with 21:00–07:00 as the window once switched on.</summary>
    public static QuietHours Default { get; } = new(false, new LocalTime(21, 0), new LocalTime(7, 0));

    /// <summary>No quiet hours (the default).</summary>
    public static QuietHours Off => Default;

    /// <summary>Switched on with the default window, 21:00–07:00.</summary>
    public static QuietHours Night { get; } = new(true, new LocalTime(21, 0), new LocalTime(7, 0));

    /// <summary>
    /// When quiet hours that contain <paramref name="instant"/> end, or null when it is outside them.
    /// </summary>
    public Instant? EndOfQuietHoursContaining(Instant instant)
    {
        if (!Enabled || Start == End)
        {
            return null;
        }

        var local = Stockholm.LocalOf(instant);
        var time = local.TimeOfDay;
        var wraps = Start > End;
        var inside = wraps ? time >= Start || time < End : time >= Start && time < End;
        if (!inside)
        {
            return null;
        }

        var endDate = wraps && time >= Start ? local.Date.PlusDays(1) : local.Date;
        return Stockholm.ToInstant(endDate + End);
    }
}

/// <summary>The settings the decision depends on besides the data: quiet hours (R28) and the self check-in link (R26).</summary>
/// <param name="QuietHours">R28.</param>
/// <param name="SelfCheckInLink">R26: the link in the self check-in text; empty means none is set, and then no self check-in SMS is planned.</param>
public sealed record SmsPolicy(QuietHours QuietHours, string SelfCheckInLink)
{
    /// <summary>How long before the start the reminder is due (R20).</summary>
    public static Duration ReminderLead { get; } = Duration.FromHours(48);

    /// <summary>How long before the start the self check-in SMS is due (R21).</summary>
    public static Duration SelfCheckInLead { get; } = Duration.FromHours(2);

    /// <summary>The product's defaults (rev. 2): quiet hours off, and no self check-in link (R26 has no built-in one).</summary>
    public static SmsPolicy Default { get; } = new(QuietHours.Default, "");

    /// <summary>
    /// A stable text of everything in the policy that decides an SMS: two policies with the same fingerprint plan
    /// the same SMS. Stored after a replanning, so a change (admin page, configuration) is noticed and replanned.
    /// </summary>
    public string Fingerprint => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"quiet={(QuietHours.Enabled ? "on" : "off")};{QuietHours.Start:HH:mm}-{QuietHours.End:HH:mm};link={SelfCheckInLink}");
}
