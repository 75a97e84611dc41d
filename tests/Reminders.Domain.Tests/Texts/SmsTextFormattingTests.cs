using System.Globalization;
using NodaTime;
using NodaTime.Calendars;
using Reminders.Domain.Texts;
using Reminders.Domain.Time;

// Seeded System.Random on purpose: the cases must be reproducible, nothing here is security-relevant.
#pragma warning disable CA5394

namespace Reminders.Domain.Tests.Texts;

/// <summary>
/// R25, R26: the texts are written without NodaTime's culture-aware patterns (issue #9, speed). These tests hold
/// them to exactly what the patterns <c>yyyy-MM-dd</c> and <c>HH:mm</c> with the invariant culture give, over
/// every day of several years, every minute of both DST-change days in Europe/Stockholm, and 20 000 seeded
/// random instants from 1900 to 2100.
/// </summary>
public class SmsTextFormattingTests
{
    private const string Link = "https://www.1177.se/incheckning";

    private static readonly string[] UnitNames =
    [
        "Vårdcentralen Hälsan Öst", "", "BVC", "ÅÄÖ-mottagningen Ängelholm {0} {1:yyyy}", "Tandvården 😀", new string('x', 190),
    ];

    /// <summary>The reference: the template with NodaTime's invariant-culture patterns, as the texts were first written.</summary>
    private static string ReferenceReminder(string unitName, LocalDateTime start) =>
        "Påminnelse om bokad kontakt med " + unitName + " " + PatternDate(start) + " kl. " + PatternTime(start) +
        ". Av/omboka senast 24 timmar innan, annars betalar du en avgift";

    private static string ReferenceSelfCheckIn(string unitName, LocalDateTime start, string link) =>
        "Du kan nu checka in och betala ditt besök hos " + unitName + " " + PatternDate(start) + " kl. " + PatternTime(start) + ": " + link;

    private static string PatternDate(LocalDateTime value) => value.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string PatternTime(LocalDateTime value) => value.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static void AssertSameAsPatterns(LocalDateTime start, string unitName = "Vårdcentralen Hälsan Öst", string link = Link)
    {
        Assert.Equal(ReferenceReminder(unitName, start), SmsText.Reminder(unitName, start));
        Assert.Equal(ReferenceSelfCheckIn(unitName, start, link), SmsText.SelfCheckIn(unitName, start, link));
    }

    [Fact]
    public void R25_R26_every_day_of_2024_to_2026_at_midnight_and_23_59_every_month_and_weekday()
    {
        var weekdays = new HashSet<IsoDayOfWeek>();
        var months = new HashSet<int>();
        for (var day = new LocalDate(2024, 1, 1); day < new LocalDate(2027, 1, 1); day = day.PlusDays(1))
        {
            AssertSameAsPatterns(day.AtMidnight());
            AssertSameAsPatterns(day.At(new LocalTime(23, 59)));
            weekdays.Add(day.DayOfWeek);
            months.Add(day.Month);
        }

        Assert.Equal(7, weekdays.Count);
        Assert.Equal(12, months.Count);
    }

    [Theory]
    [InlineData(2025, 3, 30)] // spring forward: 02:00 becomes 03:00
    [InlineData(2025, 10, 26)] // fall back: 03:00 becomes 02:00, 02:xx twice
    [InlineData(2024, 3, 31)]
    [InlineData(2024, 10, 27)]
    public void R25_R26_every_minute_of_a_DST_change_day_in_Stockholm(int year, int month, int day)
    {
        var from = Stockholm.ToInstant(new LocalDate(year, month, day).AtMidnight());
        for (var minute = 0; minute < 25 * 60; minute++)
        {
            var local = Stockholm.LocalOf(from + Duration.FromMinutes(minute));
            AssertSameAsPatterns(local);
        }
    }

    [Fact]
    public void R25_single_digit_days_months_hours_and_minutes_are_zero_padded()
    {
        Assert.Equal(
            "Påminnelse om bokad kontakt med BVC 2025-01-05 kl. 07:03. Av/omboka senast 24 timmar innan, annars betalar du en avgift",
            SmsText.Reminder("BVC", new LocalDateTime(2025, 1, 5, 7, 3)));
        Assert.Equal(
            "Du kan nu checka in och betala ditt besök hos BVC 2025-09-09 kl. 00:00: x",
            SmsText.SelfCheckIn("BVC", new LocalDateTime(2025, 9, 9, 0, 0, 59), "x"));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(987, 6, 5)]
    [InlineData(1000, 12, 31)]
    [InlineData(9999, 12, 31)]
    [InlineData(0, 1, 1)] // year 0 and before: the patterns' year of era, kept as they write it
    [InlineData(-42, 7, 1)]
    public void R25_R26_years_at_the_edges_of_the_calendar_are_written_as_the_patterns_write_them(int year, int month, int day)
    {
        AssertSameAsPatterns(new LocalDateTime(year, month, day, 9, 5));
    }

    [Fact]
    public void R25_R26_a_start_in_another_calendar_is_written_as_the_patterns_write_it()
    {
        AssertSameAsPatterns(new LocalDateTime(2025, 2, 14, 10, 30, CalendarSystem.Julian));
        AssertSameAsPatterns(new LocalDateTime(1446, 9, 1, 10, 30, CalendarSystem.GetHebrewCalendar(HebrewMonthNumbering.Civil)));
    }

    [Fact]
    public void R25_R26_20000_random_instants_from_1900_to_2100_and_unit_names_match_the_patterns()
    {
        var rng = new Random(20251122);
        var from = Instant.FromUtc(1900, 1, 1, 0, 0).ToUnixTimeSeconds();
        var to = Instant.FromUtc(2100, 1, 1, 0, 0).ToUnixTimeSeconds();
        for (var i = 0; i < 20_000; i++)
        {
            var instant = Instant.FromUnixTimeSeconds(rng.NextInt64(from, to));
            var unitName = UnitNames[rng.Next(UnitNames.Length)];
            AssertSameAsPatterns(Stockholm.LocalOf(instant), unitName, rng.Next(4) == 0 ? "" : Link);
        }
    }
}
