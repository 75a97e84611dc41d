using System.Globalization;
using NodaTime;

namespace Reminders.Domain.Texts;

/// <summary>How an SMS is encoded on the air interface.</summary>
public enum SmsEncoding
{
    /// <summary>The GSM 03.38 7-bit default alphabet (with its extension table).</summary>
    Gsm7,

    /// <summary>UCS-2 (UTF-16 code units), used when any character is outside GSM 03.38.</summary>
    Ucs2,
}

/// <summary>The measured size of an SMS text.</summary>
/// <param name="Encoding">The encoding the text needs.</param>
/// <param name="Units">GSM septets (extension characters count 2) or UTF-16 code units.</param>
/// <param name="Segments">The number of SMS parts it is sent as (at least 1).</param>
public sealed record SmsLength(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// The SMS texts (R25, R26) and their length (R27). Texts are fixed by the rule book and never
/// editable by users; dates and times are the local (Europe/Stockholm) start, formatted invariantly.
/// </summary>
public static class SmsText
{
    /// <summary>The most parts a reminder may take (R27).</summary>
    public const int MaxReminderSegments = 2;

    private const int Gsm7Single = 160;
    private const int Gsm7Part = 153;
    private const int Ucs2Single = 70;
    private const int Ucs2Part = 67;

    // GSM 03.38 default alphabet (the escape 0x1B excluded): one septet each.
    private const string Gsm7Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // GSM 03.38 extension table: escape + character, two septets each.
    private const string Gsm7Extension = "\f^{}\\[~]|€";

    private const string ReminderOpening = "Påminnelse om bokad kontakt med ";
    private const string ReminderClosing = ". Av/omboka senast 24 timmar innan, annars betalar du en avgift";
    private const string SelfCheckInOpening = "Du kan nu checka in och betala ditt besök hos ";
    private const string SelfCheckInClosing = ": ";

    /// <summary>The length of <c>" yyyy-MM-dd kl. HH:mm"</c> after the unit name.</summary>
    private const int DateTimeLength = 21;

    /// <summary>The start used to measure a unit name's reminder: the longest date and time.</summary>
    private static readonly LocalDateTime SampleStart = new(2025, 12, 31, 23, 59);

    /// <summary>
    /// The reminder (R25):
    /// <c>Påminnelse om bokad kontakt med {unit name} {yyyy-MM-dd} kl. {HH:mm}. Av/omboka senast 24 timmar innan, annars betalar du en avgift</c>.
    /// </summary>
    /// <param name="unitName">The care unit's name, as registered.</param>
    /// <param name="startLocal">The booked start, local time (Europe/Stockholm).</param>
    public static string Reminder(string unitName, LocalDateTime startLocal) =>
        Compose(ReminderOpening, unitName, startLocal, ReminderClosing, string.Empty);

    /// <summary>
    /// The self check-in SMS (R26):
    /// <c>Du kan nu checka in och betala ditt besök hos {unit name} {yyyy-MM-dd} kl. {HH:mm}: {link}</c>.
    /// </summary>
    /// <param name="unitName">The care unit's name, as registered.</param>
    /// <param name="startLocal">The booked start, local time (Europe/Stockholm).</param>
    /// <param name="link">The configured check-in link.</param>
    public static string SelfCheckIn(string unitName, LocalDateTime startLocal, string link) =>
        Compose(SelfCheckInOpening, unitName, startLocal, SelfCheckInClosing, link);

    /// <summary>
    /// Measures a text (R27). GSM 03.38 when every character is in the default alphabet or its
    /// extension table (extension characters <c>^ { } \ [ ~ ] | €</c> and form feed count 2 units);
    /// 160 units fit one SMS, 153 each part of a longer one. Otherwise UCS-2, counting UTF-16 code
    /// units: 70 single, 67 per part.
    /// </summary>
    /// <remarks>
    /// Parts are filled as senders do: an extension character's two septets and a surrogate pair's two
    /// code units are never split across parts, so a text can need one part more than units ÷ 153
    /// (or ÷ 67) rounded up. The empty text is one segment.
    /// </remarks>
    /// <param name="text">The SMS text.</param>
    public static SmsLength Measure(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var widths = new List<int>(text.Length);
        var gsm = true;
        foreach (var c in text)
        {
            if (Gsm7Basic.Contains(c, StringComparison.Ordinal))
            {
                widths.Add(1);
            }
            else if (Gsm7Extension.Contains(c, StringComparison.Ordinal))
            {
                widths.Add(2);
            }
            else
            {
                gsm = false;
                break;
            }
        }

        if (!gsm)
        {
            widths.Clear();
            for (var i = 0; i < text.Length; i++)
            {
                var pair = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
                widths.Add(pair ? 2 : 1);
                i += pair ? 1 : 0;
            }
        }

        var units = widths.Sum();
        var (single, part) = gsm ? (Gsm7Single, Gsm7Part) : (Ucs2Single, Ucs2Part);
        return new SmsLength(gsm ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2, units, units <= single ? 1 : CountParts(widths, part));
    }

    /// <summary>
    /// Refuses a unit name that makes the reminder (R25) longer than <see cref="MaxReminderSegments"/>
    /// parts (measured with the start 2025-12-31 23:59): <c>Reason("R27", "TooLong", …)</c>.
    /// </summary>
    /// <param name="unitName">The care unit's name.</param>
    public static Result CheckUnitName(string unitName)
    {
        var length = Measure(Reminder(unitName, SampleStart));
        if (length.Segments <= MaxReminderSegments)
        {
            return Result.Ok;
        }

        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"Med det här enhetsnamnet blir påminnelsen {length.Segments} SMS; högst {MaxReminderSegments} är tillåtet. Korta namnet.");
        if (length.Encoding == SmsEncoding.Ucs2)
        {
            text += " Namnet innehåller tecken utanför SMS-alfabetet (GSM), vilket gör varje SMS kortare.";
        }

        return Result.Refused(new Reason("R27", "TooLong", text));
    }

    /// <summary>
    /// True when the unit name makes the reminder (R25) longer than one SMS, for the admin warning
    /// (measured with the start 2025-12-31 23:59).
    /// </summary>
    /// <param name="unitName">The care unit's name.</param>
    public static bool ExceedsOneSegment(string unitName) =>
        Measure(Reminder(unitName, SampleStart)).Segments > 1;

    private static int CountParts(List<int> widths, int capacity)
    {
        var parts = 1;
        var used = 0;
        foreach (var width in widths)
        {
            if (used + width > capacity)
            {
                parts++;
                used = 0;
            }

            used += width;
        }

        return parts;
    }

    /// <summary>
    /// <paramref name="opening"/>, the unit name, <c>{yyyy-MM-dd} kl. {HH:mm}</c>, <paramref name="closing"/> and
    /// <paramref name="tail"/>, written straight into the one string (issue #9: the decision function renders
    /// every planned text, and NodaTime's culture-aware patterns were most of its time). Years 1–9999 in the
    /// ISO calendar are written by hand with the same digits the invariant patterns give; anything else takes
    /// the patterns themselves.
    /// </summary>
    private static string Compose(string opening, string? unitName, LocalDateTime start, string closing, string? tail)
    {
        unitName ??= string.Empty;
        tail ??= string.Empty;
        if (start.Calendar != CalendarSystem.Iso || start.Year is < 1 or > 9999)
        {
            return string.Concat(
                opening, unitName, " ", start.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                " kl. ", start.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture), closing + tail);
        }

        var length = opening.Length + unitName.Length + DateTimeLength + closing.Length + tail.Length;
        return string.Create(length, (opening, unitName, start, closing, tail), static (span, state) =>
        {
            var (opening, unitName, start, closing, tail) = state;
            opening.CopyTo(span);
            var at = opening.Length;
            unitName.CopyTo(span[at..]);
            at += unitName.Length;

            // " yyyy-MM-dd kl. HH:mm"
            var dateTime = span.Slice(at, DateTimeLength);
            dateTime[0] = ' ';
            WriteTwoDigits(dateTime[1..], start.Year / 100);
            WriteTwoDigits(dateTime[3..], start.Year % 100);
            dateTime[5] = '-';
            WriteTwoDigits(dateTime[6..], start.Month);
            dateTime[8] = '-';
            WriteTwoDigits(dateTime[9..], start.Day);
            " kl. ".CopyTo(dateTime[11..]);
            WriteTwoDigits(dateTime[16..], start.Hour);
            dateTime[18] = ':';
            WriteTwoDigits(dateTime[19..], start.Minute);
            at += DateTimeLength;

            closing.CopyTo(span[at..]);
            tail.CopyTo(span[(at + closing.Length)..]);
        });
    }

    /// <summary>Writes <paramref name="value"/> (0–99) as two decimal digits, zero-padded, at the start of <paramref name="digits"/>.</summary>
    private static void WriteTwoDigits(Span<char> digits, int value)
    {
        digits[1] = (char)('0' + (value % 10));
        digits[0] = (char)('0' + (value / 10));
    }
}
