using NodaTime;

namespace Reminders.Testing;

/// <summary>
/// A settable time source for tests. The app derives NodaTime's <see cref="IClock"/> from the registered
/// <see cref="TimeProvider"/>, so this one drives both BCL and NodaTime time. Timers stay real.
/// </summary>
public sealed class FakeTimeProvider(Instant start) : TimeProvider
{
    private readonly Lock _lock = new();
    private Instant _now = start;

    /// <summary>The current fake instant.</summary>
    public Instant Now
    {
        get
        {
            lock (_lock)
            {
                return _now;
            }
        }
    }

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now.ToDateTimeOffset();

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Moves time forward.</summary>
    public void Advance(Duration by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }

    /// <summary>Sets the time.</summary>
    public void SetNow(Instant now)
    {
        lock (_lock)
        {
            _now = now;
        }
    }
}
