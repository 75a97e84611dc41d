using System.Globalization;
using NodaTime;

namespace Reminders.Domain.Identity;

/// <summary>
/// A Swedish personnummer or samordningsnummer (coordination number), rule R50, held in its
/// normalised 12-digit form <c>YYYYMMDDNNNC</c> (no separator). A samordningsnummer is written
/// with the day of birth plus 60 (61–91); <see cref="BirthDate"/> is the real date.
/// </summary>
/// <remarks>
/// Instances exist only for valid numbers: create them with <see cref="Parse"/> (user input),
/// <see cref="FromNormalised"/> (data read back from storage) or <see cref="Create"/> (generated
/// demo and test data).
/// </remarks>
public sealed record PersonalIdentityNumber
{
    private const string Rule = "R50";

    private PersonalIdentityNumber(string value, LocalDate birthDate, bool isCoordinationNumber)
    {
        Value = value;
        BirthDate = birthDate;
        IsCoordinationNumber = isCoordinationNumber;
    }

    /// <summary>The normalised 12 digits <c>YYYYMMDDNNNC</c>, without separator.</summary>
    public string Value { get; }

    /// <summary>The date of birth; for a samordningsnummer the day with 60 subtracted.</summary>
    public LocalDate BirthDate { get; }

    /// <summary>True for a samordningsnummer (day of birth written as day + 60).</summary>
    public bool IsCoordinationNumber { get; }

    /// <summary>
    /// Parses staff or patient input. Accepted forms (surrounding whitespace is ignored):
    /// <c>YYYYMMDD-NNNC</c>, <c>YYYYMMDDNNNC</c>, <c>YYMMDD-NNNC</c>, <c>YYMMDDNNNC</c> and
    /// <c>YYMMDD+NNNC</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The century of a 10-digit number is taken from <paramref name="today"/>: with <c>-</c> or no
    /// separator the year ending in YY within [today.Year − 99, today.Year]; with <c>+</c> (100 years
    /// or older, used from the calendar year the person turns 100) within
    /// [today.Year − 199, today.Year − 100].
    /// </para>
    /// <para>
    /// The first failing check refuses, with <c>Reason("R50", code, text)</c> and one of the codes, in
    /// the order checked: <c>Empty</c>, <c>Format</c> (characters, length or separator position),
    /// <c>PlusWith12Digits</c>, <c>Date</c> (no such date, also for samordningsnummer day − 60),
    /// <c>BirthNumber</c> (000), <c>CheckDigit</c> (Luhn over the last 10 digits),
    /// <c>FutureDate</c> (birth date after <paramref name="today"/>).
    /// </para>
    /// </remarks>
    /// <param name="input">The number as typed.</param>
    /// <param name="today">Today's local date (Europe/Stockholm); decides the century and the future check.</param>
    public static Result<PersonalIdentityNumber> Parse(string? input, LocalDate today)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Refuse("Empty", "Ange ett personnummer.");
        }

        var text = input.Trim();
        var separatorIndex = -1;
        var separator = '\0';
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiDigit(c))
            {
                continue;
            }

            if (c is '-' or '+' && separatorIndex < 0)
            {
                separatorIndex = i;
                separator = c;
                continue;
            }

            return RefuseFormat();
        }

        var digits = separatorIndex < 0 ? text : text.Remove(separatorIndex, 1);
        string twelve;
        if (digits.Length == 12)
        {
            if (separatorIndex >= 0 && separatorIndex != 8)
            {
                return RefuseFormat();
            }

            if (separator == '+')
            {
                return Refuse(
                    "PlusWith12Digits",
                    "Plustecken används bara i tiosiffrig form (ÅÅMMDD+NNNN). Ange ÅÅÅÅMMDD-NNNN.");
            }

            twelve = digits;
        }
        else if (digits.Length == 10)
        {
            if (separatorIndex >= 0 && separatorIndex != 6)
            {
                return RefuseFormat();
            }

            var yy = ((digits[0] - '0') * 10) + (digits[1] - '0');
            var year = today.Year - (((today.Year % 100) - yy + 100) % 100);
            if (separator == '+')
            {
                year -= 100;
            }

            if (year is < 0 or > 9999)
            {
                return Refuse("Date", "Datumet finns inte.");
            }

            twelve = year.ToString("D4", CultureInfo.InvariantCulture) + digits[2..];
        }
        else
        {
            return RefuseFormat();
        }

        var result = FromTwelveDigits(twelve);
        if (!result.Succeeded)
        {
            return result;
        }

        return result.Value.BirthDate > today
            ? Refuse("FutureDate", "Födelsedatumet ligger i framtiden.")
            : result;
    }

    /// <summary>
    /// Recreates a number read back from storage. A value that is not a valid normalised number
    /// (12 ASCII digits, existing date, birth number 001–999, correct check digit) is a broken
    /// invariant and throws; there is no future-date check because no clock is involved.
    /// </summary>
    /// <param name="twelveDigits">The stored <see cref="Value"/>.</param>
    /// <exception cref="ArgumentException">The value is not a valid normalised number.</exception>
    public static PersonalIdentityNumber FromNormalised(string twelveDigits)
    {
        if (twelveDigits is null || twelveDigits.Length != 12 || !twelveDigits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A normalised personnummer is exactly 12 ASCII digits.", nameof(twelveDigits));
        }

        var result = FromTwelveDigits(twelveDigits);
        return result.Succeeded
            ? result.Value
            : throw new ArgumentException(
                $"Not a valid normalised personnummer ({string.Join("; ", result.Reasons)}).",
                nameof(twelveDigits));
    }

    /// <summary>
    /// Builds a valid number with a computed check digit, for generated demo and test data
    /// (R50: never a real person's data; use the tax agency's test numbers where one fits).
    /// </summary>
    /// <param name="birthDate">The real date of birth (ISO year 0–9999).</param>
    /// <param name="birthNumber">The birth number NNN, 1–999.</param>
    /// <param name="coordination">True for a samordningsnummer (day + 60).</param>
    /// <exception cref="ArgumentOutOfRangeException">The birth number or the year is out of range.</exception>
    public static PersonalIdentityNumber Create(LocalDate birthDate, int birthNumber, bool coordination = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(birthNumber, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(birthNumber, 999);
        var date = birthDate.WithCalendar(CalendarSystem.Iso);
        if (date.Year is < 0 or > 9999)
        {
            throw new ArgumentOutOfRangeException(nameof(birthDate), birthDate, "The year must have four digits.");
        }

        var day = coordination ? date.Day + 60 : date.Day;
        var nine = string.Create(
            CultureInfo.InvariantCulture,
            $"{date.Year % 100:D2}{date.Month:D2}{day:D2}{birthNumber:D3}");
        var century = (date.Year / 100).ToString("D2", CultureInfo.InvariantCulture);
        var check = ComputeCheckDigit(nine).ToString(CultureInfo.InvariantCulture);
        return new PersonalIdentityNumber(century + nine + check, date, coordination);
    }

    /// <summary>
    /// The Luhn check digit (0–9) for the nine digits <c>YYMMDDNNN</c>: weights 2, 1, 2, …,
    /// products above 9 reduced by 9, and the digit that brings the sum to a multiple of 10.
    /// </summary>
    /// <param name="nineDigits">Exactly nine ASCII digits.</param>
    /// <exception cref="ArgumentException">Not exactly nine ASCII digits.</exception>
    public static int ComputeCheckDigit(string nineDigits)
    {
        if (nineDigits is null || nineDigits.Length != 9 || !nineDigits.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The check digit is computed over exactly nine ASCII digits.", nameof(nineDigits));
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var product = (nineDigits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += product > 9 ? product - 9 : product;
        }

        return (10 - (sum % 10)) % 10;
    }

    /// <summary>The display form <c>YYYYMMDD-NNNC</c>.</summary>
    public override string ToString() => $"{Value[..8]}-{Value[8..]}";

    private static Result<PersonalIdentityNumber> FromTwelveDigits(string twelve)
    {
        var year = int.Parse(twelve.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
        var month = int.Parse(twelve.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var writtenDay = int.Parse(twelve.AsSpan(6, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        var coordination = writtenDay > 60;
        var day = coordination ? writtenDay - 60 : writtenDay;
        if (month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return Refuse("Date", "Datumet finns inte.");
        }

        if (twelve.AsSpan(8, 3).SequenceEqual("000"))
        {
            return Refuse("BirthNumber", "Födelsenumret (siffrorna efter datumet) kan inte vara 000.");
        }

        if (ComputeCheckDigit(twelve.Substring(2, 9)) != twelve[11] - '0')
        {
            return Refuse("CheckDigit", "Kontrollsiffran stämmer inte.");
        }

        return Result.Success(new PersonalIdentityNumber(twelve, new LocalDate(year, month, day), coordination));
    }

    private static Result<PersonalIdentityNumber> RefuseFormat() =>
        Refuse("Format", "Ange personnummer som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.");

    private static Result<PersonalIdentityNumber> Refuse(string code, string text) =>
        Result.Failure<PersonalIdentityNumber>(new Reason(Rule, code, text));
}
