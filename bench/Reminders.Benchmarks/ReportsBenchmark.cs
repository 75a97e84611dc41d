using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Application.Reports;
using Reminders.Domain.Messages;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Units;

namespace Reminders.Benchmarks;

/// <summary>
/// The managers' report queries (R60, R60b, R61) one by one on the load test's file (issue #18: reports and the
/// overview at 1 M patients): wall time and this process's CPU time per call, median of the runs after a warm-up,
/// for the load test manager's units (or <c>--unit</c>). The HTTP figures come from <c>scripts/load.sh</c>; this
/// says which query the time goes to.
/// </summary>
internal static class ReportsBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var file = Option(args, "--db") ?? throw new ArgumentException("--db FILE (the load test's file, e.g. ~/.cache/reminders-load/load-1m.db)");
        var runs = int.Parse(Option(args, "--runs") ?? "20", CultureInfo.InvariantCulture);
        // Enough calls before measuring for the runtime's tiered compilation to reach optimised code (a server has it).
        var warmup = int.Parse(Option(args, "--warmup") ?? "30", CultureInfo.InvariantCulture);
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock>(sp => sp.GetRequiredService<TimeProvider>().ToClock());
        var sql = args.Contains("--sql");
        // As the app registers it: options built once (singleton), a context per scope.
        services.AddDbContext<RemindersDbContext>((_, o) =>
        {
            o.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={file}");
            if (sql)
            {
                // Every statement with its time (EF's command log), to see which query a report's time goes to.
                o.LogTo(Console.WriteLine, [Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted]);
            }
        }, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        services.AddSingleton<UnitDirectory>();
        services.AddSingleton<ISmsPolicySource>(new FixedSmsPolicySource(SmsPolicy.Default));
        services.AddScoped<ReportQueries>();

        await using var provider = services.BuildServiceProvider();

        List<CareUnit> units;
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            await db.Database.MigrateAsync(); // a file made by an older build
            var wanted = Option(args, "--unit") is { } unit
                ? [unit]
                : await db.StaffUnits.AsNoTracking().Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == LoadData.Manager)).Select(s => s.Unit.Value).ToListAsync();
            units = (await db.Units.AsNoTracking().ToListAsync()).Where(u => wanted.Contains(u.HsaId.Value)).ToList();
            // R60b: which path the unreachable counts take: the stored answers, or deciding what is not decided yet
            // (a file made before Bookings.Reach existed, until the replanning job has run on it).
            var byReach = await db.Bookings.AsNoTracking().GroupBy(b => b.Reach).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Console.WriteLine("bookings by stored reach: " + string.Join(", ", byReach.Select(r => Invariant($"{r.Key} {r.Count}"))));
        }

        Console.WriteLine(Invariant($"{file}: {units.Count} unit(s) {string.Join(", ", units.Select(u => u.HsaId.Value))}, {runs} runs after {warmup} warm-up calls, load average {File.ReadAllText("/proc/loadavg")[..14]}"));
        var today = ReportQueries.YearMonthOf(SystemClock.Instance.GetCurrentInstant());
        (string Name, Func<Probe, Task<int>> Call)[] cases =
        [
            // What /Reports (Pages/Reports/Index) calls for one view.
            ("overview (the page's two calls)", async q =>
            {
                var counts = await q.Queries.UnitCountsAsync(units, default);
                return (await q.Queries.UnreachablePatientsAsync(units, default)).Values.Sum(ids => ids.Count) + counts.Count;
            }),
            ("blocked and left-out counts, one statement per unit (overview)", async q => (await q.Queries.UnitCountsAsync(units, default)).Values.Sum(c => c.Blocked + c.LeftOutByMigration)),
            ("unreachable counts (overview)", async q => (await q.Queries.UnreachablePatientsAsync(units, default)).Values.Sum(ids => ids.Count)),
            ("migration (report)", async q => (await q.Queries.MigrationAsync(units, 14, default)).Upcoming.Count),
            ("unreachable list (data-quality report)", async q => (await q.Queries.UnreachableAsync(units, default)).Count),
            ("blocked (report)", async q => (await q.Queries.BlockedAsync(units, default)).Count),
            ("no-shows 12 months (report)", async q => (await q.Queries.NoShowsAsync(units, today.PlusMonths(-11), today, default)).Count),
        ];
        if (args.Contains("--probe"))
        {
            // Where a report's time goes: the reads under the decision (bookings, the patients, their settings with the
            // four owned collections as one joined query or split), each on its own.
            var hsa = units[0].HsaId;
            var now = SystemClock.Instance.GetCurrentInstant();
            cases =
            [
                ("probe: count units", async q => await q.Db.Units.CountAsync()),
                ("probe: ado select 1", async q => { var c = q.Db.Database.GetDbConnection(); await c.OpenAsync(); await using var cmd = c.CreateCommand(); cmd.CommandText = "SELECT 1"; var r = Convert.ToInt32(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture); await c.CloseAsync(); return r; }),
                ("probe: bookings entities", async q => (await q.Db.Bookings.AsNoTracking().Where(b => b.Unit == hsa && b.Start >= now).ToListAsync()).Count),
                ("probe: bookings ids", async q => (await q.Db.Bookings.AsNoTracking().Where(b => b.Unit == hsa && b.Start >= now).Select(b => b.PatientId).ToListAsync()).Count),
                ("probe: patients 334", async q => { var ids = await q.Db.Bookings.Where(b => b.Unit == hsa && b.Start >= now).Select(b => b.PatientId).Take(334).ToListAsync(); return (await q.Db.Patients.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.Id)).ToListAsync()).Count; }),
                ("probe: settings 334 split", async q => { var ids = await q.Db.Bookings.Where(b => b.Unit == hsa && b.Start >= now).Select(b => b.PatientId).Take(334).ToListAsync(); return (await q.Db.ReminderSettings.AsNoTracking().AsSplitQuery().Where(p => EF.Parameter(ids).Contains(p.PatientId)).ToListAsync()).Count; }),
                ("probe: settings 334 single", async q => { var ids = await q.Db.Bookings.Where(b => b.Unit == hsa && b.Start >= now).Select(b => b.PatientId).Take(334).ToListAsync(); return (await q.Db.ReminderSettings.AsNoTracking().Where(p => EF.Parameter(ids).Contains(p.PatientId)).ToListAsync()).Count; }),
            ];
        }

        if (args.Contains("--data-quality"))
        {
            // Slow on the load file, whose fictional mobiles are 95 numbers shared by ~10 000 patients each.
            cases = [.. cases, ("data quality (report)", async q => (await q.Queries.DataQualityAsync(units, default)).SharedNumbers.Count)];
        }

        foreach (var (name, call) in cases)
        {
            var wall = new List<double>();
            var cpu = new List<double>();
            var rows = 0;
            for (var run = -warmup; run < runs; run++)
            {
                await using var scope = provider.CreateAsyncScope();
                var queries = new Probe(scope.ServiceProvider.GetRequiredService<ReportQueries>(), scope.ServiceProvider.GetRequiredService<RemindersDbContext>());
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                rows = await call(queries);
                watch.Stop();
                if (run >= 0)
                {
                    wall.Add(watch.Elapsed.TotalMilliseconds);
                    cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds);
                }
            }

            Console.WriteLine(Invariant($"RESULT {name,-30} rows={rows,6} wall_ms={Median(wall),8:F2} cpu_ms={Median(cpu),8:F2}"));
        }

        SqliteConnection.ClearAllPools();
        return 0;
    }

    private sealed record Probe(ReportQueries Queries, RemindersDbContext Db);

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
