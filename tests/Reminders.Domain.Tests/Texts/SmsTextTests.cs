using System.Globalization;
using NodaTime;
using Reminders.Domain.Texts;

namespace Reminders.Domain.Tests.Texts;

public class SmsTextTests
{
    // The reminder without the unit name is 116 GSM units (2025-12-31 kl. 23:59).
    private const int ReminderFixedUnits = 116;

    public static TheoryData<string, LocalDateTime, string> Reminders() => new()
    {
        {
            "Vårdcentralen Hälsan Öst", new LocalDateTime(2025, 3, 7, 9, 5),
            "Påminnelse om bokad kontakt med Vårdcentralen Hälsan Öst 2025-03-07 kl. 09:05. Av/omboka senast 24 timmar innan, annars betalar du en avgift"
        },
        {
            "ÅÄÖ-mottagningen Ängelholm", new LocalDateTime(2025, 12, 31, 23, 59),
            "Påminnelse om bokad kontakt med ÅÄÖ-mottagningen Ängelholm 2025-12-31 kl. 23:59. Av/omboka senast 24 timmar innan, annars betalar du en avgift"
        },
        {
            "BVC Norr", new LocalDateTime(2026, 1, 1, 0, 0),
            "Påminnelse om bokad kontakt med BVC Norr 2026-01-01 kl. 00:00. Av/omboka senast 24 timmar innan, annars betalar du en avgift"
        },
        {
            "Tandvården", new LocalDateTime(2024, 2, 29, 13, 30),
            "Påminnelse om bokad kontakt med Tandvården 2024-02-29 kl. 13:30. Av/omboka senast 24 timmar innan, annars betalar du en avgift"
        },
    };

    [Theory]
    [MemberData(nameof(Reminders))]
    public void R25_reminder_text_is_exactly_the_region_template(string unitName, LocalDateTime start, string expected)
    {
        Assert.Equal(expected, SmsText.Reminder(unitName, start));
    }

    [Fact]
    public void R26_self_check_in_text_is_exactly_the_product_template()
    {
        var text = SmsText.SelfCheckIn(
            "Hudmottagningen Södersjukhuset", new LocalDateTime(2025, 11, 3, 8, 15), "https://e-tjanster.1177.se/checkin/abc");

        Assert.Equal(
            "Du kan nu checka in och betala ditt besök hos Hudmottagningen Södersjukhuset 2025-11-03 kl. 08:15: https://e-tjanster.1177.se/checkin/abc",
            text);
    }

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("ar-SA")]
    [InlineData("fa-IR")]
    [InlineData("th-TH")]
    [InlineData("en-US")]
    public void R25_R26_dates_and_times_do_not_depend_on_the_current_culture(string culture)
    {
        var saved = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            var start = new LocalDateTime(2025, 6, 5, 7, 3);

            Assert.Equal(
                "Påminnelse om bokad kontakt med BVC Norr 2025-06-05 kl. 07:03. Av/omboka senast 24 timmar innan, annars betalar du en avgift",
                SmsText.Reminder("BVC Norr", start));
            Assert.Equal(
                "Du kan nu checka in och betala ditt besök hos BVC Norr 2025-06-05 kl. 07:03: https://x.se/c",
                SmsText.SelfCheckIn("BVC Norr", start, "https://x.se/c"));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = saved;
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    public void R27_gsm_text_is_160_single_and_153_per_part(int length, int segments)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, length, segments), SmsText.Measure(new string('a', length)));
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(201, 3)]
    [InlineData(202, 4)]
    public void R27_ucs2_text_is_70_single_and_67_per_part(int length, int segments)
    {
        var text = "ç" + new string('a', length - 1); // lower-case ç is not in GSM 03.38

        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, length, segments), SmsText.Measure(text));
    }

    [Theory]
    [InlineData("åäöÅÄÖé")]
    [InlineData("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ")]
    [InlineData(" !\"#¤%&'()*+,-./0123456789:;<=>?")]
    [InlineData("¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§")]
    [InlineData("¿abcdefghijklmnopqrstuvwxyzäöñüà")]
    public void R27_the_gsm_default_alphabet_counts_one_unit_per_character(string text)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, text.Length, 1), SmsText.Measure(text));
    }

    [Theory]
    [InlineData("^")]
    [InlineData("{")]
    [InlineData("}")]
    [InlineData("\\")]
    [InlineData("[")]
    [InlineData("~")]
    [InlineData("]")]
    [InlineData("|")]
    [InlineData("€")]
    [InlineData("\f")]
    public void R27_extension_characters_count_two_units(string character)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 2, 1), SmsText.Measure(character));
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 160, 1), SmsText.Measure(character + new string('a', 158)));
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 161, 2), SmsText.Measure(character + new string('a', 159)));
    }

    [Fact]
    public void R27_extension_characters_at_the_boundaries()
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 160, 1), SmsText.Measure(new string('€', 80)));
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 161, 2), SmsText.Measure(new string('a', 159) + "€"));
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 304, 2), SmsText.Measure(new string('€', 152))); // 76 per part
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 306, 3), SmsText.Measure(new string('€', 153))); // 153 septets hold 76 '€'
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 306, 2), SmsText.Measure(new string('€', 76) + "a" + new string('€', 76) + "a"));
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 307, 3), SmsText.Measure(new string('€', 76) + "a" + new string('€', 76) + "aa"));
    }

    [Fact]
    public void R27_an_extension_character_is_never_split_across_parts()
    {
        // 152 + 2 + 152 = 306 units, but '€' cannot take the 153rd septet of part 1 alone
        var text = new string('a', 152) + "€" + new string('a', 152);

        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 306, 3), SmsText.Measure(text));
    }

    [Theory]
    [InlineData("😀", 2, 1)]
    [InlineData("Hej 😀", 6, 1)]
    public void R27_an_emoji_forces_ucs2_and_counts_two_code_units(string text, int units, int segments)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, units, segments), SmsText.Measure(text));
    }

    [Fact]
    public void R27_an_emoji_makes_a_gsm_length_text_multipart()
    {
        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, 100, 1), SmsText.Measure(new string('a', 100)));
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 102, 2), SmsText.Measure(new string('a', 100) + "😀"));
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 70, 1), SmsText.Measure(new string('a', 68) + "😀"));
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 71, 2), SmsText.Measure(new string('a', 69) + "😀"));
    }

    [Fact]
    public void R27_a_surrogate_pair_is_never_split_across_parts()
    {
        var text = new string('a', 66) + "😀" + new string('a', 66);

        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 134, 3), SmsText.Measure(text));
    }

    [Theory]
    [InlineData("ç")] // only upper-case Ç is in GSM 03.38
    [InlineData("á")]
    [InlineData("ê")]
    [InlineData("õ")]
    [InlineData("`")]
    [InlineData("\t")]
    [InlineData("\u00A0")] // non-breaking space
    [InlineData("–")] // en dash
    [InlineData("’")] // typographic apostrophe
    [InlineData("«")]
    [InlineData("δ")] // lower-case Greek
    [InlineData("Ł")]
    public void R27_a_character_outside_gsm_makes_the_whole_text_ucs2(string character)
    {
        Assert.Equal(new SmsLength(SmsEncoding.Ucs2, 4, 1), SmsText.Measure("Hej" + character));
    }

    [Fact]
    public void R27_the_reminder_template_itself_is_gsm()
    {
        var length = SmsText.Measure(SmsText.Reminder("", new LocalDateTime(2025, 12, 31, 23, 59)));

        Assert.Equal(new SmsLength(SmsEncoding.Gsm7, ReminderFixedUnits, 1), length);
    }

    [Theory]
    [InlineData("Vårdcentralen Hälsan Öst", false)]
    [InlineData("BVC Norr", false)]
    public void R27_realistic_unit_names_fit_in_one_sms(string unitName, bool exceeds)
    {
        Assert.Equal(exceeds, SmsText.ExceedsOneSegment(unitName));
        Assert.True(SmsText.CheckUnitName(unitName).Succeeded);
    }

    [Theory]
    [InlineData(160 - ReminderFixedUnits, false)] // 44 characters: 160 units
    [InlineData(160 - ReminderFixedUnits + 1, true)] // 161
    public void R27_exceeds_one_segment_at_the_gsm_boundary(int nameLength, bool exceeds)
    {
        Assert.Equal(44, 160 - ReminderFixedUnits);
        Assert.Equal(exceeds, SmsText.ExceedsOneSegment(new string('x', nameLength)));
    }

    [Fact]
    public void R27_extension_characters_in_a_unit_name_count_double()
    {
        Assert.False(SmsText.ExceedsOneSegment(new string('[', 22))); // 44 units
        Assert.True(SmsText.ExceedsOneSegment(new string('[', 22) + "x")); // 45 units
    }

    [Fact]
    public void R27_one_non_gsm_character_in_a_unit_name_makes_the_reminder_multipart()
    {
        Assert.False(SmsText.ExceedsOneSegment("Vardcentralen Lacko"));
        Assert.True(SmsText.ExceedsOneSegment("Vårdcentralen Läckö 😀"));
        Assert.True(SmsText.ExceedsOneSegment("Vardcentralen Françoise"));
    }

    [Theory]
    [InlineData(306 - ReminderFixedUnits, true)] // 190 characters: 306 units, two parts
    [InlineData(306 - ReminderFixedUnits + 1, false)] // 307: three parts
    public void R27_unit_name_is_refused_when_the_reminder_exceeds_two_parts(int nameLength, bool accepted)
    {
        Assert.Equal(2, SmsText.MaxReminderSegments);
        var result = SmsText.CheckUnitName(new string('x', nameLength));

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            Assert.Equal(
                new Reason("R27", "TooLong", "Med det här enhetsnamnet blir påminnelsen 3 SMS; högst 2 är tillåtet. Korta namnet."),
                Assert.Single(result.Reasons));
        }
    }

    [Theory]
    [InlineData(134 - ReminderFixedUnits, true)] // 18 UTF-16 units: 134, two UCS-2 parts
    [InlineData(134 - ReminderFixedUnits + 1, false)] // 135: three parts
    public void R27_a_ucs2_unit_name_has_far_less_room(int nameLength, bool accepted)
    {
        var name = "ç" + new string('x', nameLength - 1);

        var result = SmsText.CheckUnitName(name);

        Assert.Equal(accepted, result.Succeeded);
        if (!accepted)
        {
            var reason = Assert.Single(result.Reasons);
            Assert.Equal("R27", reason.Rule);
            Assert.Equal("TooLong", reason.Code);
            Assert.Equal(
                "Med det här enhetsnamnet blir påminnelsen 3 SMS; högst 2 är tillåtet. Korta namnet. " +
                "Namnet innehåller tecken utanför SMS-alfabetet (GSM), vilket gör varje SMS kortare.",
                reason.Text);
        }
    }
}
