using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Seeding;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Benchmarks;

/// <summary>
/// <c>generate</c>: the data set of the HTTP load test (scripts/load.sh, docs/performance.md) in a freshly migrated
/// SQLite file, written by the product's own paths so the rows are exactly what it would write:
/// <list type="bullet">
/// <item>units (R51 HSA-ids, some without SMS, most without self check-in) through EF;</item>
/// <item>patients by the VAS importer (R30–R36: activated, no consent, R32 unit blocks, R33, protected identities,
/// children with guardian numbers; fictitious R50 numbers, PTS fiction phones) on a generated file, then their names
/// from the register (one prepared update: the name is a plain string column);</item>
/// <item>bookings over the coming six weeks through EF, their SMS planned by <see cref="ReminderDecider"/> and
/// <see cref="SmsPlanner.Reconcile"/> as <see cref="ReminderPlanner"/> does;</item>
/// <item>a receptionist and a unit manager (known password, no password change) through <see cref="StaffAccounts"/>.</item>
/// </list>
/// Written to <c>OUT.tmp</c> and renamed at the end, so a cached file is always complete. Beside it:
/// <c>OUT.patients</c> (internal id and identity number of sampled patients) and <c>OUT.bookings</c> (external ids).
/// </summary>
internal static class LoadData
{
    /// <summary>The password of the load test's accounts (fictitious data only; never a production file).</summary>
    public const string Password = "Load-Reminders-2026";

    public const string Receptionist = "reception@load.invalid";

    public const string Manager = "manager@load.invalid";

    private const int Seed = 2026;

    private static readonly string[] Clinics =
    [
        "Kirurgikliniken", "Ortopedikliniken", "Medicinkliniken", "Vårdcentraler Nord", "Vårdcentraler Syd", "Klinisk kemi",
        "Ögonkliniken", "ÖNH-kliniken", "Urologikliniken", "Hudkliniken", "Rehabkliniken", "Kvinnohälsovården",
        "Barn- och ungdomskliniken", "Psykiatrin", "Tandvården", "Onkologikliniken", "Neurologikliniken", "Reumatologen",
        "Lungkliniken", "Infektionskliniken",
    ];

    private static readonly string[] Towns = ["Halmstad", "Varberg", "Kungsbacka", "Falkenberg", "Laholm", "Hylte", "Getinge", "Tvååker", "Onsala", "Oskarström"];

    public static async Task<int> RunAsync(string[] args)
    {
        var patients = Argument(args, "--patients", 1_000_000);
        var unitCount = Argument(args, "--units", 200);
        var bookingCount = Argument(args, "--bookings", 100_000);
        var outIndex = Array.IndexOf(args, "--out");
        var output = Path.GetFullPath(outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : "load.db");
        var temp = output + ".tmp";
        foreach (var file in new[] { temp, temp + "-wal", temp + "-shm" })
        {
            File.Delete(file);
        }

        var total = Stopwatch.StartNew();
        var services = Services(temp);
        var clock = services.GetRequiredService<IClock>();
        var now = clock.GetCurrentInstant();
        var today = Stockholm.DateOf(now);

        List<CareUnit> units;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            await db.Database.MigrateAsync();
            await scope.ServiceProvider.GetRequiredService<StaffAccounts>().EnsureRolesAsync();
            units = CreateUnits(unitCount);
            db.Units.AddRange(units);
            await db.SaveChangesAsync();
        }

        var step = Stopwatch.StartNew();
        var migrated = await ImportPatientsAsync(services, units, patients, today);
        Console.WriteLine(Invariant($"patients: {migrated} through the VAS importer in {step.Elapsed.TotalSeconds:F1} s"));

        step.Restart();
        await NameAsync(temp);
        Console.WriteLine(Invariant($"names from the register in {step.Elapsed.TotalSeconds:F1} s"));

        step.Restart();
        var (bookings, sms) = await BookAsync(services, units, bookingCount, now, today);
        Console.WriteLine(Invariant($"bookings: {bookings}, planned SMS: {sms} in {step.Elapsed.TotalSeconds:F1} s"));

        await using (var scope = services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<StaffAccounts>();
            var home = units.First(u => u.UsesSmsReminders && u.OffersSelfCheckIn).HsaId;
            Check(await accounts.CreateAsync(Receptionist, "Rut Reception (last)", Password, [StaffRoles.Receptionist], [home], mustChangePassword: false));
            Check(await accounts.CreateAsync(Manager, "Måns Chef (last)", Password, [StaffRoles.UnitManager], [home], mustChangePassword: false));
            Console.WriteLine(Invariant($"accounts: {Receptionist} (receptionist) and {Manager} (unit manager) at {home.Value}, password {Password}"));
        }

        await WriteSamplesAsync(temp, output);
        SqliteConnection.ClearAllPools();
        await services.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={temp}"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            await checkpoint.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        File.Move(temp, output, overwrite: true);
        foreach (var file in new[] { temp + "-wal", temp + "-shm" })
        {
            File.Delete(file);
        }

        Console.WriteLine(Invariant($"RESULT generated {output}: {new FileInfo(output).Length / 1e6:F0} MB in {total.Elapsed.TotalSeconds:F0} s"));
        return 0;
    }

    /// <summary>The product's services for the file: the store, Identity as the app configures it, the importer.</summary>
    private static ServiceProvider Services(string file)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock>(sp => sp.GetRequiredService<TimeProvider>().ToClock());
        services.AddDbContext<RemindersDbContext>(o => o.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={file}"));
        services.AddIdentityCore<StaffUser>(o =>
            {
                o.Password.RequiredLength = 12;
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<RemindersDbContext>();
        services.AddScoped<StaffAccounts>();
        services.AddScoped(sp => new VasImporter(sp.GetRequiredService<RemindersDbContext>(), sp.GetRequiredService<IClock>(),
            sp.GetRequiredService<TimeProvider>(), NullLogger<VasImporter>.Instance));
        return services.BuildServiceProvider();
    }

    /// <summary>
    /// Units per clinic with R51 HSA-ids; about one in ten without SMS (R4), one in three offering self check-in (R21).
    /// </summary>
    private static List<CareUnit> CreateUnits(int count)
    {
        var units = new List<CareUnit>(count);
        for (var i = 0; i < count; i++)
        {
            var clinic = Clinics[i % Clinics.Length];
            var hsaId = HsaId.Parse(string.Create(CultureInfo.InvariantCulture, $"SE2321000115-L{10000 + i:00000}")).Value;
            var name = string.Create(CultureInfo.InvariantCulture, $"{clinic} {Towns[i / Clinics.Length % Towns.Length]} {(i / (Clinics.Length * Towns.Length)) + 1}");
            units.Add(CareUnit.Create(hsaId, name, clinic, usesSmsReminders: i % 10 != 9, offersSelfCheckIn: i % 3 == 0));
        }

        return units;
    }

    /// <summary>Generates a VAS file with exactly <paramref name="count"/> valid rows (and the generator's bad rows) and imports it.</summary>
    private static async Task<int> ImportPatientsAsync(ServiceProvider services, List<CareUnit> units, int count, LocalDate today)
    {
        var goLive = today.PlusDays(2);
        var csv = Path.Combine(Path.GetTempPath(), "reminders-load-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".csv");
        try
        {
            var generator = new VasFileGenerator(Seed, goLive, today, units);
            await using (var stream = File.Create(csv))
            await using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 64 * 1024) { NewLine = "\r\n" })
            {
                await writer.WriteLineAsync(VasFileGenerator.Header);
                var valid = 0;
                foreach (var row in generator.Rows(int.MaxValue))
                {
                    await writer.WriteLineAsync(row.Text);
                    if (row.Patient is not null && ++valid == count)
                    {
                        break;
                    }
                }
            }

            await using var scope = services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<VasImporter>();
            await using var input = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            var report = await importer.ImportAsync(input, new VasImportOptions { GoLive = goLive }, null, CancellationToken.None);
            if (report.Rows - report.RejectedTotal != count || report.RejectedTotal != generator.Expected.Rejected.Count)
            {
                throw new InvalidOperationException(Invariant($"The import wrote {report.Rows - report.RejectedTotal} patients ({report.RejectedTotal} rejected); expected {count}."));
            }

            Console.WriteLine(Invariant($"  VAS report: {report.Activated} activated, R32 {report.NotActivated.MigrationUnitBlocks}, R33 {report.NotActivated.MigrationMobileBefore13}, R34 {report.NotActivated.ProtectedIdentity}, no consent {report.NotActivated.NoConsent}, guardian numbers {report.GuardianNumbersMigrated}, {report.RejectedTotal} bad rows rejected"));
            return count;
        }
        finally
        {
            File.Delete(csv);
        }
    }

    /// <summary>The register's names (the VAS file has none): fictitious, from the demo seeder's lists.</summary>
    private static async Task NameAsync(string file)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE Patients SET Name = $name WHERE Id = $id";
        var name = update.Parameters.Add("$name", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Integer);
        update.Prepare();
        var ids = new List<long>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT Id FROM Patients ORDER BY Id";
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        var random = new Random(Seed);
        foreach (var patientId in ids)
        {
            name.Value = DemoDataSeeder.FictitiousName(random);
            id.Value = patientId;
            await update.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    /// <summary>
    /// Bookings on weekdays 07:00–17:00 (today and the next six weeks) at random units for random patients, in
    /// batches: the bookings through EF, then each one decided and planned in memory as the planner does.
    /// </summary>
    private static async Task<(int Bookings, int Sms)> BookAsync(ServiceProvider services, List<CareUnit> units, int count, Instant now, LocalDate today)
    {
        var random = new Random(Seed);
        var policy = new SmsPolicyOptions().ToPolicy();
        var byId = units.ToDictionary(u => u.HsaId);
        var days = Enumerable.Range(0, 43).Select(today.PlusDays).Where(d => d.DayOfWeek is not (IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)).ToList();
        long maxPatient;
        await using (var scope = services.CreateAsyncScope())
        {
            maxPatient = await scope.ServiceProvider.GetRequiredService<RemindersDbContext>().Patients.MaxAsync(p => p.Id);
        }

        const int Batch = 5000;
        var sms = 0;
        for (var offset = 0; offset < count; offset += Batch)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            var batch = new List<Booking>(Batch);
            for (var i = offset; i < Math.Min(count, offset + Batch); i++)
            {
                var day = days[random.Next(days.Count)];
                var start = Stockholm.ToInstant(day.At(new LocalTime(7, 0).PlusMinutes(15 * random.Next(40))));
                var bookedAt = Instant.Min(now, start - Duration.FromHours(random.Next(1, 24 * 60)));
                var booking = Booking.Create("LOAD-" + (i + 1).ToString("000000", CultureInfo.InvariantCulture), 1 + random.NextInt64(maxPatient),
                    units[random.Next(units.Count)].HsaId, start, bookedAt);
                batch.Add(booking);
            }

            db.Bookings.AddRange(batch);
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            var ids = batch.Select(b => b.PatientId).Distinct().ToList();
            var patients = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id);
            var settings = await db.ReminderSettings.AsNoTracking().Where(s => ids.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId);
            foreach (var booking in batch)
            {
                var decision = ReminderDecider.Decide(patients[booking.PatientId], settings[booking.PatientId], byId[booking.Unit], booking, now, policy);
                var planned = SmsPlanner.Reconcile(booking.Id, booking.Start, false, decision, [], now, ReminderPlanner.NewCallbackToken);
                db.Messages.AddRange(planned);
                booking.RecordReach(decision.Reach);
                sms += planned.Count;
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        return (count, sms);
    }

    /// <summary>Writes the load script's inputs: sampled patients (id, identity number) and booking external ids.</summary>
    private static async Task WriteSamplesAsync(string file, string output)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using (var command = connection.CreateCommand())
        {
            // Every 50th patient: 20 000 spread over the whole id range (and so over every state).
            command.CommandText = "SELECT Id, IdentityNumber FROM Patients WHERE Id % 50 = 7 ORDER BY Id";
            await using var reader = await command.ExecuteReaderAsync();
            await using var writer = new StreamWriter(output + ".patients");
            while (await reader.ReadAsync())
            {
                await writer.WriteLineAsync(Invariant($"{reader.GetInt64(0)} {reader.GetString(1)}"));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT ExternalId FROM Bookings WHERE Id % 5 = 3 ORDER BY Id";
            await using var reader = await command.ExecuteReaderAsync();
            await using var writer = new StreamWriter(output + ".bookings");
            while (await reader.ReadAsync())
            {
                await writer.WriteLineAsync(reader.GetString(0));
            }
        }
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    private static int Argument(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
