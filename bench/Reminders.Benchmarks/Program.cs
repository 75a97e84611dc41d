using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Domain.Time;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Seeding;
using Reminders.Infrastructure.VasImport;

using BenchmarkDotNet.Running;
using Reminders.Benchmarks;

// Benchmarks (not tests), by first argument; run in Release (docs/performance.md):
//   vas [--rows N] [--runs R] [--parse]          the VAS import against a raw loop (also with no command, as before);
//                                                --parse times the CSV reading alone first, --runs 0 skips the import
//   decide [--medium] [BenchmarkDotNet options]  ReminderDecider.Decide, BenchmarkDotNet in process (short job, or medium)
//   decide-loop [--calls N] [--case Name]        the same three cases in a plain loop, for a profiler (perf, callgrind)
//   replan [--bookings N] [--patients P] [--runs R] [--no-raw] [--profile] [--data FILE]
//                                                replanning a unit's bookings after a rename, alternating with a raw loop
//   replan-bdn [--bookings N] [--patients P]     the same, BenchmarkDotNet (monitoring, raw loop as baseline)
//   dispatch [--sms N] [--warmup S] [BenchmarkDotNet options]  the SMS dispatcher, 1 and 2 instances, MaxParallelSends 1 and 4, loopback provider
//   dispatch-worker --db FILE --provider URL [--raw | --warm-from FILE --warmup S]   one dispatcher instance (started by "dispatch")
//   generate [--patients N] [--units U] [--bookings B] --out FILE  the HTTP load test's SQLite file (scripts/load.sh)
//   raw-server --db FILE [--port P]              the load test's raw Microsoft.Data.Sqlite lookup endpoint
//   reports --db FILE [--runs N] [--warmup N] [--unit HSA] [--probe] [--sql] [--data-quality]
//                                                the managers' report queries one by one on the load test's file (wall and
//                                                CPU ms per call); --probe the reads under them, --sql EF's statements
var command = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "vas";
var rest = command == "vas" && (args.Length == 0 || args[0] != "vas") ? args : args[1..];
switch (command)
{
    case "decide":
    {
        var options = rest.Where(a => a != "--medium").ToArray();
        BenchmarkSwitcher.FromTypes([typeof(DecideBenchmarks)])
            .Run(options.Contains("--filter") ? options : [.. options, "--filter", "*"], DecideBenchmarks.Config(medium: rest.Contains("--medium")));
    }

        return 0;
    case "decide-loop":
        return DecideBenchmarks.Loop(rest);
    case "replan":
        return await ReplanBenchmark.RunAsync(rest);
    case "replan-bdn":
        return ReplanBenchmarks.Run(rest);
    case "dispatch":
        return DispatchBenchmarks.Run(rest);
    case "dispatch-worker":
        return await DispatchWorker.RunAsync(rest);
    case "generate":
        return await LoadData.RunAsync(rest);
    case "raw-server":
        return await RawServer.RunAsync(rest);
    case "reports":
        return await ReportsBenchmark.RunAsync(rest);
    case "vas":
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}': vas, decide, decide-loop, replan, replan-bdn, dispatch, generate, raw-server or reports.");
        return 2;
}

// VAS import: imports N generated rows into a fresh SQLite file with the product's importer and, alternately in the same
// run, inserts the same rows with a raw Microsoft.Data.Sqlite loop into the same tables and indexes.
var rows = Argument("--rows", 1_000_000);
var runs = Argument("--runs", 2);
var goLive = new LocalDate(2025, 3, 29);
var now = Instant.FromUtc(2025, 3, 27, 8, 0);
var today = Stockholm.DateOf(now);
var folder = Path.Combine(Path.GetTempPath(), "reminders-bench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(folder);
var csv = Path.Combine(folder, "vas.csv");

var generateWatch = Stopwatch.StartNew();
VasGeneratedExpectation expected;
await using (var file = File.Create(csv))
{
    expected = new VasFileGenerator(2025, goLive, today, DemoDataSeeder.CreateUnits()).WriteTo(file, rows);
}

Console.WriteLine(Invariant($"Generated {rows} rows ({new FileInfo(csv).Length / 1e6:F1} MB) in {generateWatch.Elapsed.TotalSeconds:F1} s; {expected.Rejected.Count} bad rows."));
Console.WriteLine(Invariant($"Machine: {Environment.ProcessorCount} cores, {RuntimeInformation()}, SQLite {SqliteVersion()}"));

if (rest.Contains("--parse"))
{
    // The import's reader alone (CsvHelper through VasCsvRecords): every field of every record as a string, and the
    // record-size pass before the first write. (Issue #13 compared it here with the hand-written reader it replaced.)
    var read = new List<double>();
    var scan = new List<double>();
    for (var i = 0; i < 3; i++)
    {
        read.Add(Time(ParseCsvHelper));
        scan.Add(Time(ScanCsvHelper));
        Console.WriteLine(Invariant($"parse run {i + 1}: read {read[^1]:F2} s, record-size pass {scan[^1]:F2} s"));
    }

    Console.WriteLine(Invariant($"PARSE rows={rows} read median={Median(read):F2}s record-size pass median={Median(scan):F2}s"));
}

if (runs == 0)
{
    Directory.Delete(folder, recursive: true);
    return 0;
}

var product = new List<double>();
var raw = new List<double>();
long productPeak = 0;
for (var run = 0; run < runs; run++)
{
    var p = await ProductAsync(run);
    product.Add(p);
    if (run == 0)
    {
        // Measured before the raw loop materialises its typed rows, so it is the product's own peak.
        productPeak = Process.GetCurrentProcess().PeakWorkingSet64;
    }

    Console.WriteLine(Invariant($"run {run + 1} product: {p:F1} s, {rows / p:F0} rows/s, process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB"));
    var r = await RawAsync(run);
    raw.Add(r);
    Console.WriteLine(Invariant($"run {run + 1} raw:     {r:F1} s, {rows / r:F0} rows/s"));
}

var productMedian = Median(product);
var rawMedian = Median(raw);
Console.WriteLine(Invariant($"RESULT rows={rows} product={productMedian:F1}s ({rows / productMedian:F0} rows/s) raw={rawMedian:F1}s ({rows / rawMedian:F0} rows/s) ratio={rawMedian / productMedian:F2} productPeakWorkingSet={productPeak / 1e6:F0}MB processPeak={Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0}MB"));
Directory.Delete(folder, recursive: true);
return 0;

async Task<double> ProductAsync(int run)
{
    var db = await FreshStoreAsync($"product-{run}.db");
    await using (db)
    {
        var time = new FixedTime(now);
        var importer = new VasImporter(db, time.ToClock(), time, NullLogger<VasImporter>.Instance);
        var watch = Stopwatch.StartNew();
        await using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        var report = await importer.ImportAsync(stream, new VasImportOptions { GoLive = goLive }, null, CancellationToken.None);
        var seconds = watch.Elapsed.TotalSeconds;
        if (report.Rows != expected.Rows || report.Activated != expected.Activated(false) || report.RejectedTotal != expected.Rejected.Count)
        {
            throw new InvalidOperationException("The import's report does not match the generator's expectation.");
        }

        return seconds;
    }
}

async Task<double> RawAsync(int run)
{
    // The typed rows are materialised first so that the raw loop times inserts only.
    var generator = new VasFileGenerator(2025, goLive, today, DemoDataSeeder.CreateUnits());
    var patients = generator.Rows(rows).Where(r => r.Patient is not null).Select(r => r.Patient!).ToList();
    var path = Path.Combine(folder, $"raw-{run}.db");
    await (await FreshStoreAsync($"raw-{run}.db")).DisposeAsync();
    await using var connection = new SqliteConnection($"Data Source={path}");
    await connection.OpenAsync();
    Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;");
    var seen = new HashSet<string>(StringComparer.Ordinal);
    var watch = Stopwatch.StartNew();
    await using var transaction = connection.BeginTransaction();
    var patient = Prepare(connection, transaction, "INSERT INTO Patients (IdentityNumber, Name, ProtectedIdentity, Mobile, MobileUpdatedAt, MobileSource, ConsentIn1177, BirthDate) VALUES ($1, '', $2, $3, $4, $5, $6, $7) RETURNING Id", 7);
    var setting = Prepare(connection, transaction, "INSERT INTO ReminderSettings (PatientId, Status, NotActivatedReason, StatusChangedAt, StatusChangedAtUnit, Version) VALUES ($1, $2, $3, $4, NULL, $5)", 5);
    var block = Prepare(connection, transaction, "INSERT INTO ReminderBlocks (Unit, BlockedAt, RegisteredAtUnit, Channel, PatientId) VALUES ($1, $2, NULL, 'Migration', $3)", 3);
    var guardian = Prepare(connection, transaction, "INSERT INTO GuardianNumbers (Number, AddedAt, PatientId) VALUES ($1, $2, $3)", 3);
    var comment = Prepare(connection, transaction, "INSERT INTO ReminderComments (At, Text, PatientId) VALUES ($1, $2, $3)", 3);
    var at = now.ToDateTimeUtc();
    var text = "RPA-migrerat 2025-03-27";
    foreach (var p in patients)
    {
        if (!seen.Add(p.IdentityNumber))
        {
            continue;
        }

        Set(patient, p.IdentityNumber, p.ProtectedIdentity, p.Mobile, p.MobileUpdatedAt?.ToDateTimeUtc(), p.Mobile is null ? "None" : "Feed1177", p.Consent,
            Reminders.Domain.Identity.PersonalIdentityNumber.FromNormalised(p.IdentityNumber).BirthDate.ToDateOnly());
        var id = (long)patient.ExecuteScalar()!;
        Set(setting, id, p.Status.ToString(), p.Reason.ToString(), p.Status == Reminders.Domain.Reminders.ReminderStatus.NotActivated && p.Reason == Reminders.Domain.Reminders.NotActivatedReason.None ? null : at, 2);
        setting.ExecuteNonQuery();
        foreach (var unit in p.Blocks)
        {
            Set(block, unit, at, id);
            block.ExecuteNonQuery();
        }

        foreach (var number in p.GuardianNumbers)
        {
            Set(guardian, number, at, id);
            guardian.ExecuteNonQuery();
        }

        Set(comment, at, text, id);
        comment.ExecuteNonQuery();
    }

    await transaction.CommitAsync();
    return watch.Elapsed.TotalSeconds;
}

async Task<RemindersDbContext> FreshStoreAsync(string name)
{
    var options = new DbContextOptionsBuilder<RemindersDbContext>();
    options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, name)}");
    var db = new RemindersDbContext(options.Options);
    await db.Database.MigrateAsync();
    db.Units.AddRange(DemoDataSeeder.CreateUnits());
    await db.SaveChangesAsync();
    db.ChangeTracker.Clear();
    return db;
}

double ParseCsvHelper()
{
    using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
    using var records = new VasCsvRecords(stream);
    var fields = new List<string>(8);
    var count = 0;
    while (records.Read(fields))
    {
        count += fields.Count;
    }

    return count;
}

double ScanCsvHelper()
{
    using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
    using var records = new VasCsvRecords(stream);
    records.SkipToEnd();
    return records.Line;
}

static double Time(Func<double> action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalSeconds;
}

static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameters)
{
    var command = connection.CreateCommand();
    command.Transaction = transaction;
    command.CommandText = sql;
    for (var i = 1; i <= parameters; i++)
    {
        command.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture) });
    }

    command.Prepare();
    return command;
}

static void Set(SqliteCommand command, params object?[] values)
{
    for (var i = 0; i < values.Length; i++)
    {
        command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}

static void Execute(SqliteConnection connection, string sql)
{
    using var command = connection.CreateCommand();
    command.CommandText = sql;
    command.ExecuteNonQuery();
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

static string SqliteVersion()
{
    using var connection = new SqliteConnection("Data Source=:memory:");
    connection.Open();
    using var command = connection.CreateCommand();
    command.CommandText = "SELECT sqlite_version()";
    return (string)command.ExecuteScalar()!;
}

static string RuntimeInformation() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription + " " + System.Runtime.InteropServices.RuntimeInformation.OSDescription;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(rest, name);
    return index >= 0 && index + 1 < rest.Length ? int.Parse(rest[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>A fixed clock for the benchmark; elapsed time stays real.</summary>
internal sealed class FixedTime(Instant now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToDateTimeOffset();
}
