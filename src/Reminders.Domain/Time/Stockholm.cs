using NodaTime;

namespace Reminders.Domain.Time;

/// <summary>
/// The region's local time. Instants are stored in UTC; local dates and times exist only at the
/// edges (ages, texts, quiet hours, pages). Europe/Stockholm from the TZDB that ships with NodaTime.
/// </summary>
public static class Stockholm
{
    /// <summary>The Europe/Stockholm zone.</summary>
    public static DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb["Europe/Stockholm"];

    /// <summary>The local date in Stockholm at <paramref name="instant"/>.</summary>
    public static LocalDate DateOf(Instant instant) => instant.InZone(Zone).Date;

    /// <summary>The local date and time in Stockholm at <paramref name="instant"/>.</summary>
    public static LocalDateTime LocalOf(Instant instant) => instant.InZone(Zone).LocalDateTime;

    /// <summary>
    /// The instant of a Stockholm wall-clock time; a time in the spring gap is moved forward, an
    /// ambiguous autumn time takes its earlier occurrence.
    /// </summary>
    public static Instant ToInstant(LocalDateTime local) => local.InZoneLeniently(Zone).ToInstant();
}
