namespace Reminders.Web.Hosting;

/// <summary>
/// Bounds glibc's malloc arenas for the app's native allocations (SQLite's page caches and statements, the TLS and
/// compression libraries). glibc gives every thread that allocates at the same time as another an arena of its own,
/// up to eight per core; each keeps freed memory for reuse, so under load the native heap grows by arena, not by need.
/// The runtime's own threads have made their arenas before this runs (8 seen on two cores), so the bound stops more
/// being made; the memory they keep free goes back to the system through <see cref="NativeHeapTrimming"/>
/// (docs/operations.md, "Memory").
/// An operator's own <c>MALLOC_ARENA_MAX</c> wins; on a C library other than glibc (musl, Windows) nothing is done.
/// </summary>
public static partial class MallocArenas
{
    /// <summary>The arenas kept when the operator has not chosen.</summary>
    public const int Bound = 2;

    /// <summary>The environment variable glibc reads at start; when set, the app leaves the arenas alone.</summary>
    public const string EnvironmentVariable = "MALLOC_ARENA_MAX";

    /// <summary>What <see cref="Apply"/> did.</summary>
    public enum Outcome
    {
        /// <summary>Not applied yet.</summary>
        NotApplied,

        /// <summary>The arenas are bounded to <see cref="Bound"/>.</summary>
        Bounded,

        /// <summary>The operator set <see cref="EnvironmentVariable"/>; glibc uses theirs.</summary>
        SetByOperator,

        /// <summary>Not Linux with glibc, or glibc refused: the C library's own default is in force.</summary>
        NotApplicable,
    }

    /// <summary>What the first call of <see cref="Apply"/> in this process did (logged at start).</summary>
    public static Outcome Applied { get; private set; }

    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in glibc's malloc.h

    /// <summary>Bounds the arenas once per process, before the host starts its threads; later calls return the first outcome.</summary>
    public static Outcome Apply()
    {
        if (Applied != Outcome.NotApplied)
        {
            return Applied;
        }

        Applied = Decide(Environment.GetEnvironmentVariable(EnvironmentVariable));
        return Applied;
    }

    /// <summary>Bounds the arenas unless <paramref name="operatorValue"/> (the variable's value) is set.</summary>
    internal static Outcome Decide(string? operatorValue)
    {
        if (!string.IsNullOrEmpty(operatorValue))
        {
            return Outcome.SetByOperator;
        }

        // mallopt returns 1 on success, 0 on error; musl has no mallopt.
        return Glibc.Present && Glibc.Mallopt(ArenaMaxParameter, Bound) == 1 ? Outcome.Bounded : Outcome.NotApplicable;
    }

    /// <summary>Logs what <see cref="Apply"/> did, once at start.</summary>
    [LoggerMessage(EventId = 170, Level = LogLevel.Information, Message = "Native heap: glibc malloc arenas {MallocArenas} (bound {ArenaBound})")]
    public static partial void LogOutcome(ILogger logger, Outcome mallocArenas, int arenaBound);
}
