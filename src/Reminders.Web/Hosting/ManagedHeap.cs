using System.Runtime;

namespace Reminders.Web.Hosting;

/// <summary>Which garbage collector the process runs: workstation by default (decision 0017), logged once at start.</summary>
public static partial class ManagedHeap
{
    /// <summary>Logs the collector and whether it collects concurrently.</summary>
    public static void LogCollector(ILogger logger) =>
        LogCollector(logger, GCSettings.IsServerGC ? "server" : "workstation", GCSettings.LatencyMode != GCLatencyMode.Batch);

    [LoggerMessage(EventId = 173, Level = LogLevel.Information, Message = "Managed heap: {GarbageCollector} GC, concurrent {ConcurrentGc}")]
    private static partial void LogCollector(ILogger logger, string garbageCollector, bool concurrentGc);
}
