using System.Text;

namespace Reminders.Domain.Phones;

/// <summary>
/// A phone number in E.164 form (<c>+46701234567</c>), rule R16. Swedish and international
/// numbers are accepted; only mobile numbers may receive SMS (<see cref="ParseMobile"/>).
/// </summary>
public sealed record PhoneNumber
{
    private const string Rule = "R16";
    private const string Sweden = "46";
    private const string Norway = "47";
    private const string Denmark = "45";
    private const string Finland = "358";
    private const int MinDigits = 8;
    private const int MaxDigits = 15;

    private PhoneNumber(string value) => Value = value;

    /// <summary>The number in E.164: <c>+</c>, country code and national number, digits only.</summary>
    public string Value { get; }

    /// <summary>
    /// True when the number can be a mobile number.
    /// </summary>
    /// <remarks>
    /// <list type="bullet">
    /// <item>Sweden (+46): <c>+46 7[02369]</c> followed by exactly 7 digits (070, 072, 073, 076, 079).
    /// Other 07x ranges (071 M2M, 074, 075, 077, 078) are not mobile.</item>
    /// <item>Norway (+47): 8 digits starting with 4 or 9.</item>
    /// <item>Denmark (+45): 8 digits. Danish mobile and fixed ranges are interleaved and ported,
    /// so every well-formed Danish number counts as mobile.</item>
    /// <item>Finland (+358): starting with 4 or 50, 6–10 digits after the country code.</item>
    /// <item>Any other country: accepted as mobile when the E.164 length (8–15 digits) is valid.
    /// We cannot know other countries' numbering plans reliably, so the SMS provider decides.</item>
    /// </list>
    /// </remarks>
    public bool IsMobile => IsMobileNumber(Value);

    /// <summary>
    /// Parses any phone number and normalises it to E.164.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Spaces, hyphens, dots and parentheses are ignored; <c>(0)</c> after an international prefix is
    /// dropped (<c>+46 (0)70 123 45 67</c>), as is a trunk 0 written right after +46
    /// (<c>+46 070 123 45 67</c>: Swedish national numbers never start with 0). A leading <c>00</c>
    /// means <c>+</c>; a leading single <c>0</c> means a Swedish national number (+46).
    /// </para>
    /// <para>
    /// Refusals are <c>Reason("R16", code, text)</c> with the code <c>Empty</c>, <c>Characters</c>
    /// (anything but digits, a leading +, spaces, hyphens, dots, parentheses), <c>Format</c> (a + that
    /// is not first, a country code starting with 0), <c>NoPrefix</c> (digits without + or 0 first),
    /// <c>SwedishLength</c> (a +46 number without 7–9 digits after the country code), <c>TooShort</c>
    /// or <c>TooLong</c> (fewer than 8 or more than 15 digits after +).
    /// </para>
    /// </remarks>
    /// <param name="input">The number as typed.</param>
    public static Result<PhoneNumber> Parse(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Refuse("Empty", "Ange ett telefonnummer.");
        }

        var text = input.Trim();
        if (text.StartsWith('+') || text.StartsWith("00", StringComparison.Ordinal))
        {
            text = text.Replace("(0)", string.Empty, StringComparison.Ordinal);
        }

        var compact = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) || c == '+')
            {
                compact.Append(c);
            }
            else if (!(char.IsWhiteSpace(c) || c is '-' or '.' or '(' or ')'))
            {
                return Refuse(
                    "Characters",
                    "Numret får bara innehålla siffror, plustecken först, mellanslag, bindestreck, punkt och parenteser.");
            }
        }

        var number = compact.ToString();
        string digits;
        if (number.StartsWith('+'))
        {
            digits = number[1..];
        }
        else if (number.StartsWith("00", StringComparison.Ordinal))
        {
            digits = number[2..];
        }
        else if (number.StartsWith('0'))
        {
            digits = Sweden + number[1..];
        }
        else if (number.Contains('+', StringComparison.Ordinal))
        {
            return RefuseMisplacedPlus();
        }
        else
        {
            return Refuse(
                "NoPrefix",
                "Ange numret med inledande 0 (t.ex. 070-123 45 67) eller med landsnummer (t.ex. +46 70 123 45 67).");
        }

        if (digits.Contains('+', StringComparison.Ordinal))
        {
            return RefuseMisplacedPlus();
        }

        if (digits.Length == 0)
        {
            return RefuseTooShort();
        }

        if (digits[0] == '0')
        {
            return Refuse("Format", "Landsnumret kan inte börja med 0.");
        }

        if (digits.StartsWith(Sweden + "0", StringComparison.Ordinal))
        {
            digits = Sweden + digits[3..];
        }

        if (digits.StartsWith(Sweden, StringComparison.Ordinal))
        {
            var national = digits.Length - Sweden.Length;
            if (national is < 7 or > 9 || digits[2] == '0')
            {
                return Refuse(
                    "SwedishLength",
                    "Ett svenskt nummer har 8–10 siffror med inledande 0 (t.ex. 070-123 45 67 eller 08-123 456 78).");
            }
        }

        if (digits.Length < MinDigits)
        {
            return RefuseTooShort();
        }

        if (digits.Length > MaxDigits)
        {
            return Refuse("TooLong", "Numret är för långt: högst 15 siffror inklusive landsnummer.");
        }

        return Result.Success(new PhoneNumber("+" + digits));
    }

    /// <summary>
    /// Parses like <see cref="Parse"/> and refuses numbers that are not mobile (see
    /// <see cref="IsMobile"/>): <c>Reason("R16", "MobileLength", …)</c> for a Swedish mobile prefix
    /// (070, 072, 073, 076, 079) with the wrong number of digits, otherwise
    /// <c>Reason("R16", "NotMobile", "Numret är inte ett mobilnummer.")</c>.
    /// </summary>
    /// <param name="input">The number as typed.</param>
    public static Result<PhoneNumber> ParseMobile(string? input)
    {
        var parsed = Parse(input);
        if (!parsed.Succeeded || parsed.Value.IsMobile)
        {
            return parsed;
        }

        var value = parsed.Value.Value;
        if (value.StartsWith("+467", StringComparison.Ordinal) && value.Length > 4 && "02369".Contains(value[4], StringComparison.Ordinal))
        {
            return Refuse("MobileLength", "Ett svenskt mobilnummer har 10 siffror, t.ex. 070-123 45 67.");
        }

        return Refuse("NotMobile", "Numret är inte ett mobilnummer.");
    }

    /// <summary>Recreates a number read back from storage; it must already be normalised E.164.</summary>
    /// <param name="e164">A value as produced by <see cref="Value"/>.</param>
    /// <exception cref="ArgumentException">The value is not a normalised E.164 number (a broken invariant).</exception>
    public static PhoneNumber FromTrusted(string e164)
    {
        if (e164 is not null && e164.StartsWith('+'))
        {
            var parsed = Parse(e164);
            if (parsed.Succeeded && string.Equals(parsed.Value.Value, e164, StringComparison.Ordinal))
            {
                return parsed.Value;
            }
        }

        throw new ArgumentException($"Not a normalised E.164 number: '{e164}'.", nameof(e164));
    }

    /// <summary>
    /// A form for people: Swedish mobiles as <c>070-123 45 67</c>; Swedish, Norwegian, Danish and
    /// Finnish other numbers as <c>+46 812345678</c> (country code apart); any other number as E.164.
    /// </summary>
    public string ToDisplayString()
    {
        if (Value.StartsWith("+46", StringComparison.Ordinal) && IsMobile)
        {
            return $"0{Value[3..5]}-{Value[5..8]} {Value[8..10]} {Value[10..12]}";
        }

        foreach (var code in (ReadOnlySpan<string>)[Sweden, Norway, Denmark, Finland])
        {
            if (Value.AsSpan(1).StartsWith(code, StringComparison.Ordinal))
            {
                return $"+{code} {Value[(1 + code.Length)..]}";
            }
        }

        return Value;
    }

    /// <summary>The E.164 form, <see cref="Value"/>.</summary>
    public override string ToString() => Value;

    private static bool IsMobileNumber(string value)
    {
        var digits = value.AsSpan(1);
        if (digits.StartsWith(Sweden))
        {
            var national = digits[Sweden.Length..];
            return national.Length == 9 && national[0] == '7' && national[1] is '0' or '2' or '3' or '6' or '9';
        }

        if (digits.StartsWith(Norway))
        {
            var national = digits[Norway.Length..];
            return national.Length == 8 && national[0] is '4' or '9';
        }

        if (digits.StartsWith(Denmark))
        {
            return digits.Length - Denmark.Length == 8;
        }

        if (digits.StartsWith(Finland))
        {
            var national = digits[Finland.Length..];
            return national.Length is >= 6 and <= 10 && (national[0] == '4' || national.StartsWith("50"));
        }

        return digits.Length is >= MinDigits and <= MaxDigits;
    }

    private static Result<PhoneNumber> RefuseTooShort() =>
        Refuse("TooShort", "Numret är för kort: minst 8 siffror inklusive landsnummer.");

    private static Result<PhoneNumber> RefuseMisplacedPlus() =>
        Refuse("Format", "Plustecken får bara stå först i numret.");

    private static Result<PhoneNumber> Refuse(string code, string text) =>
        Result.Failure<PhoneNumber>(new Reason(Rule, code, text));
}
