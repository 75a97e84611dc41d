using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;

namespace Reminders.Domain.Tests;

/// <summary>
/// The domain tests' defaults over the shared builders (<see cref="Build"/>, <see cref="Fiction"/>): one unit, an
/// adult patient whose mobile 1177 delivered in 2020, a setting activated in 2024, a booking "B-1". Never a real
/// person's data (R50).
/// </summary>
internal static class TestData
{
    public const string UnitName = "Ortopedmottagningen Centrum";

    public static readonly HsaId UnitId = HsaId.FromTrusted("SE2321000115-O39423");
    public static readonly HsaId OtherUnitId = HsaId.FromTrusted("SE2321000115-E10001");
    public static readonly HsaId ReceptionUnitId = HsaId.FromTrusted("SE2321000115-R20002");

    /// <summary>The tax agency's published test number: born 2017-01-01.</summary>
    public static PersonalIdentityNumber TaxAgencyTestNumber => Fiction.TaxAgencyTestNumber;

    /// <summary>A fictional mobile, +467017406NN with NN 05…99.</summary>
    public static PhoneNumber Mobile(int n) => Fiction.Mobile(n);

    /// <summary>A fictional Stockholm landline, 08-465 004 NN.</summary>
    public static PhoneNumber Landline(int n = 5) => Fiction.Landline(n);

    /// <summary>A Stockholm local wall-clock time as an instant.</summary>
    public static Instant Local(int year, int month, int day, int hour = 0, int minute = 0) =>
        Stockholm.ToInstant(new LocalDateTime(year, month, day, hour, minute));

    public static LocalDateTime LocalOf(Instant instant) => Stockholm.LocalOf(instant);

    public static ChangeContext Ctx(Instant at, HsaId? unit = null, ChangeChannel channel = ChangeChannel.CheckIn) =>
        new(at, unit ?? ReceptionUnitId, channel);

    public static CareUnit Unit(bool usesSms = true, bool selfCheckIn = false, bool active = true, HsaId? id = null, string name = UnitName) =>
        Build.Unit(id ?? UnitId, name, "Ortopedkliniken", usesSms, selfCheckIn, active);

    /// <summary>
    /// A patient as the register delivers them. By default an adult (born 1980-05-10) whose mobile
    /// +46701740605 was delivered by 1177 in 2020, long after the 13th birthday.
    /// </summary>
    public static Patient Patient(
        LocalDate? birthDate = null,
        int birthNumber = 239,
        bool coordination = false,
        bool protectedIdentity = false,
        PhoneNumber? mobile = null,
        bool noMobile = false,
        Instant? mobileUpdatedAt = null,
        bool consentIn1177 = false)
    {
        var id = PersonalIdentityNumber.Create(birthDate ?? new LocalDate(1980, 5, 10), birthNumber, coordination);
        return PatientWith(id, protectedIdentity, noMobile ? null : mobile ?? Mobile(5), mobileUpdatedAt ?? Local(2020, 1, 15, 12), consentIn1177);
    }

    public static Patient PatientWith(PersonalIdentityNumber id, bool protectedIdentity, PhoneNumber? mobile, Instant? mobileUpdatedAt, bool consentIn1177 = false) =>
        Build.Patient(id, "Testperson Testsson", mobile, mobileUpdatedAt, protectedIdentity, consentIn1177);

    /// <summary>A child's patient record: no own mobile by default.</summary>
    public static Patient Child(LocalDate birthDate, PhoneNumber? mobile = null, Instant? mobileUpdatedAt = null, int birthNumber = 239) =>
        Patient(birthDate, birthNumber, mobile: mobile, noMobile: mobile is null, mobileUpdatedAt: mobileUpdatedAt);

    /// <summary>A setting, activated by default, with guardian numbers set while the patient was a child.</summary>
    public static ReminderSetting Setting(Patient patient, bool activated = true, params PhoneNumber[] guardians)
    {
        var setting = ReminderSetting.CreateFor(patient.Id);
        if (guardians.Length > 0)
        {
            // Registered on the day of birth + 1 year, when the patient was certainly a child.
            var when = Stockholm.ToInstant(patient.BirthDate.PlusYears(1).AtMidnight() + Period.FromHours(12));
            var result = setting.SetGuardianNumbers(patient, guardians, Ctx(when));
            Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        }

        if (activated)
        {
            var result = setting.Activate(patient, Ctx(Local(2024, 1, 2, 9)));
            Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        }

        return setting;
    }

    public static Booking Booking(Instant start, Instant? bookedAt = null, HsaId? unit = null, long patientId = 0, bool cancelled = false)
    {
        var booking = Build.Booking("B-1", patientId, unit ?? UnitId, start, bookedAt);
        if (cancelled)
        {
            booking.Cancel(booking.BookedAt + Duration.FromMinutes(1));
        }

        return booking;
    }

    public static SmsPolicy Policy(QuietHours? quietHours = null, string link = "https://www.1177.se/incheckning") =>
        new(quietHours ?? QuietHours.Night, link);

    /// <summary>Calls the decision function with defaults (the default unit, now = booked-at).</summary>
    public static Decision Decide(Patient patient, ReminderSetting setting, Booking booking, CareUnit? unit = null, Instant? now = null, SmsPolicy? policy = null) =>
        ReminderDecider.Decide(patient, setting, unit ?? Unit(), booking, now ?? booking.BookedAt, policy ?? Policy());

    /// <summary>"Rule Code" of each reason, to assert exact lists.</summary>
    public static string[] Codes(IEnumerable<Reason> reasons) => [.. reasons.Select(r => $"{r.Rule} {r.Code}")];
}
