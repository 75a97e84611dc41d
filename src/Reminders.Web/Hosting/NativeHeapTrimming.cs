using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Messaging;

namespace Reminders.Web.Hosting;

/// <summary><c>Memory:*</c>: how the app keeps its native heap small (docs/operations.md, "Memory").</summary>
public sealed class MemoryOptions
{
    /// <summary>
    /// How often the free memory of glibc's malloc is handed back to the system (<c>malloc_trim</c>);
    /// <c>00:00:00</c> switches it off.
    /// </summary>
    public TimeSpan NativeHeapTrimInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>A trim interval is zero (off) or at least a second: trimming walks every arena under its lock.</summary>
public sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MemoryOptions options) => new OptionsFailures()
        .Check(options.NativeHeapTrimInterval < TimeSpan.Zero || (options.NativeHeapTrimInterval > TimeSpan.Zero && options.NativeHeapTrimInterval < TimeSpan.FromSeconds(1)),
            "Memory:NativeHeapTrimInterval", $"{options.NativeHeapTrimInterval} is not accepted; expected 00:00:00 (off) or at least 00:00:01, e.g. 00:00:30.")
        .Result();
}

/// <summary>
/// Hands the native heap's free memory back to the system at an interval. glibc's malloc keeps what SQLite, the
/// runtime and the TLS library free for reuse, in every arena, and gives back only what lies at the top of a heap;
/// after a peak (the replanning at start, a VAS import, a burst of requests) tens of MB stay resident although
/// nothing uses them. <c>malloc_trim(0)</c> releases the free pages inside the arenas too. Measured after the load
/// script: 40–45 MB less resident for a few milliseconds every interval (docs/performance.md, "Working set").
/// On a C library other than glibc (musl, Windows) the service does nothing.
/// </summary>
public sealed partial class NativeHeapTrimming(IOptions<MemoryOptions> options, TimeProvider time, IMeterFactory meters, ILogger<NativeHeapTrimming> logger)
    : BackgroundService
{
    private readonly Counter<long> _trims = meters.Create(SmsMetrics.MeterName).CreateCounter<long>(
        "reminders.native_heap.trims", "{trim}", "Times the native heap's free memory was handed back to the system.");

    private readonly Histogram<double> _duration = meters.Create(SmsMetrics.MeterName).CreateHistogram<double>(
        "reminders.native_heap.trim.duration", "s", "Duration of one trim of the native heap.");

    /// <summary>Trims done by this instance since it started.</summary>
    public long Trims => Interlocked.Read(ref _count);

    private long _count;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval == TimeSpan.Zero || !Supported)
        {
            LogOff(logger, interval == TimeSpan.Zero ? "Memory:NativeHeapTrimInterval is 00:00:00" : "not glibc");
            return;
        }

        LogOn(logger, interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var started = Stopwatch.GetTimestamp();
            var outcome = Trim();
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            _trims.Add(1, new KeyValuePair<string, object?>("outcome", outcome == Outcome.Released ? "released" : "nothing_free"));
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Whether this process's C library is glibc, which has <c>malloc_trim</c>.</summary>
    public static bool Supported => Glibc.Present;

    /// <summary>What one trim did.</summary>
    public enum Outcome
    {
        /// <summary>Free pages were handed back to the system.</summary>
        Released,

        /// <summary>glibc found nothing to hand back.</summary>
        NothingFree,

        /// <summary>Not glibc: nothing was done.</summary>
        NotSupported,
    }

    /// <summary>Hands the free pages of every malloc arena back to the system.</summary>
    public static Outcome Trim() => !Supported ? Outcome.NotSupported : Glibc.MallocTrim(0) == 1 ? Outcome.Released : Outcome.NothingFree;

    [LoggerMessage(EventId = 171, Level = LogLevel.Information, Message = "Native heap: free memory handed back to the system every {TrimInterval}")]
    private static partial void LogOn(ILogger logger, TimeSpan trimInterval);

    [LoggerMessage(EventId = 172, Level = LogLevel.Information, Message = "Native heap: not trimmed ({Reason})")]
    private static partial void LogOff(ILogger logger, string reason);
}
