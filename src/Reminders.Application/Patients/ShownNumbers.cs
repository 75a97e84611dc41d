using NodaTime;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;

namespace Reminders.Application.Patients;

/// <summary>
/// R14: the one read model of a patient's phone numbers. Every page, report, CSV and API view takes a patient's
/// numbers from here, never from the entity: for a protected identity every number is hidden (the patient's mobile
/// and when it was updated, guardians' numbers, the recipient of an SMS, a number the resident gave in the
/// e-service). The decision function still reads the entity (a protected patient is never texted, R14/R23);
/// this type only decides what a person or a caller may see.
/// </summary>
public sealed class ShownNumbers
{
    private ShownNumbers(bool hidden, PhoneNumber? mobile, Instant? mobileUpdatedAt, IReadOnlyList<GuardianNumber> guardians)
    {
        Hidden = hidden;
        Mobile = mobile;
        MobileUpdatedAt = mobileUpdatedAt;
        Guardians = guardians;
    }

    /// <summary>True for a protected identity (R14): no number of this patient is shown anywhere.</summary>
    public bool Hidden { get; }

    /// <summary>The patient's own number; null when there is none or it is hidden.</summary>
    public PhoneNumber? Mobile { get; }

    /// <summary>When 1177 last updated <see cref="Mobile"/>; null when unknown or hidden (the date tells about the number).</summary>
    public Instant? MobileUpdatedAt { get; }

    /// <summary>The guardians' numbers (R11) in their order; empty when hidden.</summary>
    public IReadOnlyList<GuardianNumber> Guardians { get; }

    /// <summary>The numbers of <paramref name="patient"/> as they may be shown; without a setting, no guardians' numbers.</summary>
    public static ShownNumbers Of(Patient patient, ReminderSetting? setting = null)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return patient.ProtectedIdentity
            ? new ShownNumbers(true, null, null, [])
            : new ShownNumbers(false, patient.Mobile, patient.MobileUpdatedAt, setting?.GuardianNumbers ?? []);
    }

    /// <summary>Another number of this patient's (an SMS's recipient, a number the resident gave); null when hidden.</summary>
    public PhoneNumber? Show(PhoneNumber number) => Hidden ? null : number;

    /// <summary>A number as typed by the resident (the e-service keeps it as given); null when hidden.</summary>
    public string? Show(string? number) => Hidden ? null : number;

    /// <summary>
    /// A number where only its last two digits may be shown (the data-quality report's shared numbers, the
    /// development SMS sink). Only for numbers that are not hidden: a protected patient's number is never shown,
    /// not even masked.
    /// </summary>
    public static string Masked(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        return number.Length <= 2 ? number : new string('•', number.Length - 2) + number[^2..];
    }
}
