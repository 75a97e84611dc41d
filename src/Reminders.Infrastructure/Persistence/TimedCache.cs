namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// One value read from the store, kept for a fixed time. <see cref="Invalidate"/> drops it at once; a read that
/// was already under way when the value was invalidated is returned to its caller but not kept, so a save that
/// happens during a reload is never hidden behind the old value for the rest of the lifetime.
/// </summary>
/// <typeparam name="T">An immutable value (or one its users never change).</typeparam>
public sealed class TimedCache<T>(TimeProvider time, TimeSpan lifetime)
    where T : class
{
    private readonly Lock _gate = new();
    private T? _value;
    private DateTimeOffset _until;
    private long _generation;

    /// <summary>The kept value, or <paramref name="load"/>'s (kept for the lifetime).</summary>
    public T Get(Func<T> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        var (cached, generation, now) = Peek();
        return cached ?? Keep(load(), generation, now);
    }

    /// <summary>The kept value, or <paramref name="load"/>'s (kept for the lifetime).</summary>
    public async ValueTask<T> GetAsync(Func<CancellationToken, Task<T>> load, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(load);
        var (cached, generation, now) = Peek();
        return cached ?? Keep(await load(cancellationToken).ConfigureAwait(false), generation, now);
    }

    /// <summary>Forgets the kept value (after a change was saved).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _value = null;
        }
    }

    private (T? Cached, long Generation, DateTimeOffset Now) Peek()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return (_value is not null && _until > now ? _value : null, _generation, now);
        }
    }

    private T Keep(T value, long generation, DateTimeOffset readAt)
    {
        lock (_gate)
        {
            if (generation == _generation)
            {
                _value = value;
                _until = readAt + lifetime;
            }
        }

        return value;
    }
}
