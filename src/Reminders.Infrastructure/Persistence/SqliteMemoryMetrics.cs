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
        var sqlite = store.Provider == DatabaseProvider.Sqlite;
        if (sqlite)
        {
            SQLitePCL.Batteries_V2.Init(); // the provider the gauges read (idempotent; Microsoft.Data.Sqlite does the same)
        }

        var meter = meters.Create(Messaging.SmsMetrics.MeterName);
        void Gauge(string name, Func<long> read, string description) =>
            meter.CreateObservableGauge(name, () => sqlite ? [new Measurement<long>(read())] : Array.Empty<Measurement<long>>(), "By", description);

        Gauge("reminders.sqlite.memory.used", () => SQLitePCL.raw.sqlite3_memory_used(),
            "Native memory SQLite holds now: page caches of the pooled connections, statements, schemas.");
        Gauge("reminders.sqlite.memory.highwater", () => SQLitePCL.raw.sqlite3_memory_highwater(0),
            "The most native memory SQLite has held at once since the process started.");
    }
}
