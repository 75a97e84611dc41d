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

    /// <summary>The age of majority: from it, a mobile whose update date is unknown counts as the patient's own (R12).</summary>
    public const int Adult = 18;

    /// <summary>
    /// How many days before the 13th birthday the patient may confirm their number as their own (R12), so a
    /// youth who comes in just before turning 13 can confirm and a booking on the birthday gets its reminder.
    /// </summary>
    public const int ConfirmDaysBefore13 = 30;

    /// <summary>The first date a confirmation of the patient's number counts (R12): 30 days before the 13th birthday.</summary>
    public static LocalDate FirstConfirmationDate(LocalDate birthDate) => ThirteenthBirthday(birthDate).PlusDays(-ConfirmDaysBefore13);

    /// <summary>True when the patient is 18 or older on <paramref name="date"/> (R12, R33).</summary>
    public static bool IsAdultOn(LocalDate birthDate, LocalDate date) => date >= birthDate.PlusYears(Adult);

    /// <summary>
    /// The last birth date of an adult on <paramref name="date"/>: <see cref="IsAdultOn"/> is true exactly for the birth
    /// dates on or before it, so a query can select adults (R60b) by comparing a stored birth date. Someone born on
    /// 29 February comes of age on 28 February in a common year, as <c>PlusYears</c> counts.
    /// </summary>
    public static LocalDate LastAdultBirthDateOn(LocalDate date)
    {
        var sameDay = date.PlusYears(-Adult);
        var dayAfter = sameDay.PlusDays(1);
        return IsAdultOn(dayAfter, date) ? dayAfter : sameDay;
    }

    /// <summary>True when the patient is under 13 on <paramref name="date"/> (R11).</summary>
    public static bool IsChildOn(LocalDate birthDate, LocalDate date) => date < ThirteenthBirthday(birthDate);

    /// <summary>Whole years of age on <paramref name="date"/>.</summary>
    public static int YearsOn(LocalDate birthDate, LocalDate date) => Period.Between(birthDate, date, PeriodUnits.Years).Years;
}
