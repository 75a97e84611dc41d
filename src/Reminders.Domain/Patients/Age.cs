using NodaTime;

namespace Reminders.Domain.Patients;

/// <summary>Age rules around the 13th birthday (R10–R13, R42).</summary>
public static class Age
{
    /// <summary>The age from which the patient receives SMS on their own number (R10).</summary>
    public const int OwnNumberFrom = 13;

    /// <summary>
    /// The 13th birthday. NodaTime's <c>PlusYears</c> takes 28 February for a birth on 29 February in a
    /// non-leap year, as Swedish law on computing time does (lag 1930:173 1 §).
    /// </summary>
    public static LocalDate ThirteenthBirthday(LocalDate birthDate) => birthDate.PlusYears(OwnNumberFrom);

    /// <summary>True when the patient is under 13 on <paramref name="date"/> (R11).</summary>
    public static bool IsChildOn(LocalDate birthDate, LocalDate date) => date < ThirteenthBirthday(birthDate);

    /// <summary>Whole years of age on <paramref name="date"/>.</summary>
    public static int YearsOn(LocalDate birthDate, LocalDate date) => Period.Between(birthDate, date, PeriodUnits.Years).Years;
}
