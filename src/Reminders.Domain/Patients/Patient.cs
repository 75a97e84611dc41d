using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Phones;

namespace Reminders.Domain.Patients;

/// <summary>Where the patient's own mobile number came from (R15, R15b).</summary>
public enum MobileSource
{
    /// <summary>No number is known.</summary>
    None,

    /// <summary>Delivered by 1177 through the population register feed (R15).</summary>
    Feed1177,

    /// <summary>Given by a samordningsnummer holder at check-in and registered by staff (R15b).</summary>
    StaffAtCheckIn,
}

/// <summary>
/// A patient as the population register and 1177 describe them. The mobile number is read-only for
/// staff (R15): it changes through <see cref="UpdateFromRegister"/>, or for samordningsnummer holders
/// only, through <see cref="RegisterMobileAtCheckIn"/> (R15b).
/// </summary>
public sealed class Patient
{
    /// <summary>The longest name stored.</summary>
    public const int MaxNameLength = 200;

    private Patient(PersonalIdentityNumber identityNumber, string name)
    {
        IdentityNumber = identityNumber;
        BirthDate = identityNumber.BirthDate;
        Name = name;
    }

    /// <summary>Internal id: the only patient reference that may appear in logs.</summary>
    public long Id { get; private set; }

    /// <summary>The personnummer or samordningsnummer (R50).</summary>
    public PersonalIdentityNumber IdentityNumber { get; private set; }

    /// <summary>The patient's name.</summary>
    public string Name { get; private set; }

    /// <summary>Protected identity: never texted, numbers never shown (R14).</summary>
    public bool ProtectedIdentity { get; private set; }

    /// <summary>The patient's own phone number as delivered (may not be a mobile: R16, R60b).</summary>
    public PhoneNumber? Mobile { get; private set; }

    /// <summary>When 1177 last delivered or updated <see cref="Mobile"/> (R12).</summary>
    public Instant? MobileUpdatedAt { get; private set; }

    /// <summary>Where <see cref="Mobile"/> came from.</summary>
    public MobileSource MobileSource { get; private set; }

    /// <summary>The consent flag of the patient's 1177 settings; it never activates anything (R1).</summary>
    public bool ConsentIn1177 { get; private set; }

    /// <summary>
    /// Concurrency token: moves on with every change, so a mobile registered at the desk (R15b) and a register
    /// update (R15) of the same patient at the same time never overwrite each other silently (issue #16).
    /// </summary>
    public int Version { get; private set; }

    /// <summary>
    /// The birth date read from the identity number (R50), kept with the patient so that queries select by age
    /// (R60b's adults) in the database with the domain's own age rule instead of reading the number's digits in SQL.
    /// </summary>
    public LocalDate BirthDate { get; private set; }

    /// <summary>Creates a patient as the register first delivers them.</summary>
    public static Patient Create(PersonalIdentityNumber identityNumber, string name) => new(identityNumber, name.Trim());

    /// <summary>
    /// Applies the population register / 1177 feed (R15: the only way the mobile changes, except R15b).
    /// A feed that delivers a number replaces one registered by staff (R15b). Returns what changed.
    /// </summary>
    public PatientChanges UpdateFromRegister(string name, bool protectedIdentity, PhoneNumber? mobile, Instant? mobileUpdatedAt, bool consentIn1177)
    {
        var changes = PatientChanges.None;
        name = name.Trim();
        if (name != Name)
        {
            Name = name;
            changes |= PatientChanges.Name;
        }

        if (protectedIdentity != ProtectedIdentity)
        {
            ProtectedIdentity = protectedIdentity;
            changes |= PatientChanges.ProtectedIdentity;
        }

        if (consentIn1177 != ConsentIn1177)
        {
            ConsentIn1177 = consentIn1177;
            changes |= PatientChanges.Consent;
        }

        // A feed without a number leaves a staff-registered samordningsnummer mobile in place (R15b).
        var keepStaffNumber = mobile is null && MobileSource == MobileSource.StaffAtCheckIn;
        if (!keepStaffNumber && (mobile != Mobile || mobileUpdatedAt != MobileUpdatedAt))
        {
            Mobile = mobile;
            MobileUpdatedAt = mobile is null ? null : mobileUpdatedAt;
            MobileSource = mobile is null ? MobileSource.None : MobileSource.Feed1177;
            changes |= PatientChanges.Mobile;
        }

        if (changes != PatientChanges.None)
        {
            Version++;
        }

        return changes;
    }

    /// <summary>
    /// R15b: a samordningsnummer holder cannot log in to 1177, so staff may register the mobile number
    /// they give at check-in. Refused for personnummer (R15) and for anything but a mobile (R16).
    /// </summary>
    public Result RegisterMobileAtCheckIn(PhoneNumber number, Instant now)
    {
        if (!IdentityNumber.IsCoordinationNumber)
        {
            return Result.Refused(Reasons.MobileFrom1177Only);
        }

        if (ProtectedIdentity)
        {
            return Result.Refused(Reasons.ProtectedIdentity);
        }

        if (!number.IsMobile)
        {
            return Result.Refused(Reasons.NotMobile);
        }

        Mobile = number;
        MobileUpdatedAt = now;
        MobileSource = MobileSource.StaffAtCheckIn;
        Version++;
        return Result.Ok;
    }
}

/// <summary>What a register update changed; anything but the name may change the SMS to send.</summary>
[Flags]
public enum PatientChanges
{
    /// <summary>Nothing changed.</summary>
    None = 0,

    /// <summary>The name changed.</summary>
    Name = 1,

    /// <summary>Protected identity was set or cleared (R14).</summary>
    ProtectedIdentity = 2,

    /// <summary>The mobile or its delivery time changed (R12, R16).</summary>
    Mobile = 4,

    /// <summary>The 1177 consent flag changed (R1).</summary>
    Consent = 8,
}
