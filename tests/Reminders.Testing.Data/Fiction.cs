using System.Globalization;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Phones;

namespace Reminders.Testing.Data;

/// <summary>
/// Fictional people's data (R50): identity numbers generated with a valid check digit or the tax agency's published
/// test number, and phone numbers from the series PTS reserves for fiction (mobiles +46 70-174 06 05 … 99, Stockholm
/// landlines 08-465 004 00 … 99). Never a real person's data.
/// </summary>
public static class Fiction
{
    /// <summary>The first and last of the two fictional digits of a mobile (+467017406NN).</summary>
    public const int FirstMobile = 5;

    /// <summary>The last fictional mobile's two digits.</summary>
    public const int LastMobile = 99;

    private static int _birthNumber;

    /// <summary>The tax agency's published test number: born 2017-01-01.</summary>
    public static PersonalIdentityNumber TaxAgencyTestNumber => PersonalIdentityNumber.FromNormalised("201701012393");

    /// <summary>
    /// A generated identity number born on <paramref name="birthDate"/>, with a birth number not handed out before in
    /// this process (after 999 numbers they repeat: use another birth date when a test needs more than that per date).
    /// </summary>
    public static PersonalIdentityNumber NewIdentity(LocalDate birthDate, bool coordination = false) =>
        PersonalIdentityNumber.Create(birthDate, (Interlocked.Increment(ref _birthNumber) % 999) + 1, coordination);

    /// <summary>
    /// The <paramref name="index"/>-th of many distinct identity numbers (999 birth numbers a day, from
    /// <paramref name="firstBirthDate"/> on): for bulk data where every patient must differ.
    /// </summary>
    public static PersonalIdentityNumber NthIdentity(int index, LocalDate firstBirthDate) =>
        PersonalIdentityNumber.Create(firstBirthDate.PlusDays(index / 999), (index % 999) + 1);

    /// <summary>The fictional mobile +467017406NN, <paramref name="lastTwoDigits"/> from 05 to 99.</summary>
    public static PhoneNumber Mobile(int lastTwoDigits)
    {
        if (lastTwoDigits is < FirstMobile or > LastMobile)
        {
            throw new ArgumentOutOfRangeException(nameof(lastTwoDigits), lastTwoDigits, "The fictional series is +46701740605…+46701740699.");
        }

        return PhoneNumber.FromTrusted("+467017406" + lastTwoDigits.ToString("D2", CultureInfo.InvariantCulture));
    }

    /// <summary>The <paramref name="index"/>-th fictional mobile (0 is +46701740605), cycling through the 95 of the series.</summary>
    public static PhoneNumber NthMobile(int index) => Mobile(FirstMobile + (index % (LastMobile - FirstMobile + 1)));

    /// <summary>A fictional mobile as staff or a file write it: <c>070-174 06 NN</c>.</summary>
    public static string MobileText(int lastTwoDigits) =>
        "070-174 06 " + Mobile(lastTwoDigits).Value[^2..];

    /// <summary>A fictional Stockholm landline, 08-465 004 NN.</summary>
    public static PhoneNumber Landline(int lastTwoDigits = 5) =>
        PhoneNumber.FromTrusted("+468465004" + lastTwoDigits.ToString("D2", CultureInfo.InvariantCulture));
}
