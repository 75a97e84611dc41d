using System.Diagnostics.Metrics;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// SQLite's own heap, on the meter <c>Reminders</c>: the page caches of the pooled connections, prepared statements
/// and schemas live in native memory, which the runtime's GC metrics do not see (docs/operations.md, "Memory").
/// On SQL Server there is nothing to report, so the gauges report no value.
/// </summary>
public sealed class SqliteMemoryMetrics
{
    /// <summary>Creates the gauges on the meter <see cref="Messaging.SmsMetrics.MeterName"/> of <paramref name="meters"/>.</summary>
    public SqliteMemoryMetrics(IMeterFactory meters, StoreSettings store)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(store);
        var meter = meters.Create(Messaging.SmsMetrics.MeterName);
        var sqlite = store.Provider == DatabaseProvider.Sqlite;
        meter.CreateObservableGauge("reminders.sqlite.memory.used", () => sqlite ? [new Measurement<long>(Used())] : Array.Empty<Measurement<long>>(), "By",
            "Native memory SQLite holds now: page caches of the pooled connections, statements, schemas.");
        meter.CreateObservableGauge("reminders.sqlite.memory.highwater", () => sqlite ? [new Measurement<long>(Highwater())] : Array.Empty<Measurement<long>>(), "By",
            "The most native memory SQLite has held at once since the process started.");
    }

    /// <summary>Bytes SQLite holds now (<c>sqlite3_memory_used</c>).</summary>
    public static long Used()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_memory_used();
    }

    /// <summary>The most bytes SQLite has held at once (<c>sqlite3_memory_highwater</c>, not reset).</summary>
    public static long Highwater()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_memory_highwater(0);
    }
}
