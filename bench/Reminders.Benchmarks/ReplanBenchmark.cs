using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Texts;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Seeding;

namespace Reminders.Benchmarks;

/// <summary>
/// Replanning a unit's bookings after a rename (issue #9: 100 000 bookings in under 10 s). Builds one SQLite
/// file (one unit, activated adults with their own mobiles, future bookings with their SMS planned), then per
/// run copies it and, alternately, renames the unit through <see cref="ReminderPlanner.PlanUnitAsync"/> +
/// <see cref="Application.Changes.ChangeWriter"/> (the product, as the units handler does it) and rewrites the same
/// texts with a raw Microsoft.Data.Sqlite loop (the baseline).
/// </summary>
internal static class ReplanBenchmark
{
    private static readonly Instant Now = Instant.FromUtc(2025, 3, 27, 8, 0);

    public static async Task<int> RunAsync(string[] args)
    {
        var bookings = Argument(args, "--bookings", 100_000);
        var patients = Argument(args, "--patients", 10_000);
        var runs = Argument(args, "--runs", 3);
        var skipRaw = args.Contains("--no-raw");
        var folder = Path.Combine(Path.GetTempPath(), "reminders-replan-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        // --data FILE keeps the built file for the next run (built there when missing; same sizes expected).
        var kept = Option(args, "--data");
        var template = kept ?? Path.Combine(folder, "template.db");

        var setupWatch = Stopwatch.StartNew();
        var unit = kept is not null && File.Exists(kept) ? BenchUnit() : await BuildAsync(template, patients, bookings);
        Console.WriteLine(Invariant($"Built {patients} patients, {bookings} bookings, {bookings * 2} pending SMS in {setupWatch.Elapsed.TotalSeconds:F1} s."));
        Console.WriteLine(Invariant($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}"));

        if (args.Contains("--profile"))
        {
            await ProfileAsync(template, folder, unit, "Vårdcentralen Profil");
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
            return 0;
        }

        var product = new List<double>();
        var raw = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var newName = "Vårdcentralen Nytt Namn " + (run + 1).ToString(CultureInfo.InvariantCulture);
            var file = Copy(template, folder, $"product-{run}.db");
            var (plan, save) = await ProductAsync(file, unit, newName);
            await VerifyAsync(file, newName, bookings * 2);
            product.Add(plan + save);
            Console.WriteLine(Invariant($"run {run + 1} product: {plan + save:F2} s (plan {plan:F2} s, save {save:F2} s), {bookings / (plan + save):F0} bookings/s"));
            if (!skipRaw)
            {
                file = Copy(template, folder, $"raw-{run}.db");
                var r = await RawAsync(file, unit, newName);
                await VerifyAsync(file, newName, bookings * 2);
                raw.Add(r);
                Console.WriteLine(Invariant($"run {run + 1} raw:     {r:F2} s, {bookings / r:F0} bookings/s"));
            }
        }

        var productMedian = Median(product);
        var rawText = raw.Count == 0 ? "not run" : Invariant($"{Median(raw):F2}s ratio={Median(raw) / productMedian:F2}");
        Console.WriteLine(Invariant($"RESULT bookings={bookings} patients={patients} product={productMedian:F2}s ({bookings / productMedian:F0} bookings/s) raw={rawText}"));
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    internal static async Task<CareUnit> BuildAsync(string file, int patientCount, int bookingCount)
    {
        await using var db = NewDbContext(file);
        await db.Database.MigrateAsync();
        var unit = BenchUnit();
        db.Units.Add(unit);
        await db.SaveChangesAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var context = new ChangeContext(Now - Duration.FromDays(30), unit.HsaId, ChangeChannel.CheckIn);
        var people = new List<(Patient Patient, ReminderSetting Setting)>(patientCount);
        for (var i = 0; i < patientCount; i++)
        {
            // Adults born 1940–1995, birth numbers 1–999: fictitious numbers built with the domain's factory.
            var patient = Build.Patient(Fiction.NthIdentity(i % (999 * 20_000), new LocalDate(1940, 1, 1)), "Bänk Patient", Fiction.NthMobile(i), Now - Duration.FromDays(400), consentIn1177: true);
            db.Patients.Add(patient);
            people.Add((patient, null!));
        }

        await db.SaveChangesAsync();
        for (var i = 0; i < people.Count; i++)
        {
            var setting = Build.ActivatedSetting(people[i].Patient, context);
            db.ReminderSettings.Add(setting);
            people[i] = (people[i].Patient, setting);
        }

        await db.SaveChangesAsync();

        const int Batch = 10_000;
        for (var offset = 0; offset < bookingCount; offset += Batch)
        {
            var batch = new List<(Booking Booking, Patient Patient, ReminderSetting Setting)>(Batch);
            for (var i = offset; i < Math.Min(bookingCount, offset + Batch); i++)
            {
                // Every 20 minutes from three days ahead: 100 000 bookings cover about four years.
                var person = people[i % people.Count];
                var booking = Build.Booking("bench-" + i.ToString(CultureInfo.InvariantCulture), person.Patient.Id, unit.HsaId,
                    Now + Duration.FromDays(3) + Duration.FromMinutes(20L * i), Now - Duration.FromDays(1));
                db.Bookings.Add(booking);
                batch.Add((booking, person.Patient, person.Setting));
            }

            await db.SaveChangesAsync();
            foreach (var (booking, patient, setting) in batch)
            {
                var decision = ReminderDecider.Decide(patient, setting, unit, booking, Now, Workload.Policy);
                db.Messages.AddRange(SmsPlanner.Reconcile(booking.Id, booking.Start, false, decision, [], Now, ReminderPlanner.NewCallbackToken));
            }

            await db.SaveChangesAsync();
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Booking or OutgoingSms).ToList())
            {
                entry.State = EntityState.Detached;
            }
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        return unit;
    }

    internal static CareUnit BenchUnit() => DemoDataSeeder.CreateUnits().First(u => u.UsesSmsReminders && u.OffersSelfCheckIn);

    internal static async Task<(double Plan, double Save)> ProductAsync(string file, CareUnit template, string newName)
    {
        await using var db = NewDbContext(file);
        var clock = new FixedTime(Now).ToClock();
        var planner = new ReminderPlanner(db, clock, new FixedSmsPolicySource(Workload.Policy));
        var watch = Stopwatch.StartNew();
        var unit = await db.Units.SingleAsync(u => u.HsaId == template.HsaId);
        if (!unit.Update(newName, unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn))
        {
            throw new InvalidOperationException("The rename changed nothing.");
        }

        var planned = await planner.PlanUnitAsync(unit.HsaId, CancellationToken.None);
        var plan = watch.Elapsed.TotalSeconds;
        db.ChangeTracker.DetectChanges();
        var detect = watch.Elapsed.TotalSeconds - plan;
        await BenchWriter.For(db, clock, planner).SavePlanAsync(planned, CancellationToken.None);
        var save = watch.Elapsed.TotalSeconds - plan;
        Console.WriteLine(Invariant($"  tracked entities {db.ChangeTracker.Entries().Count()}, change detection {detect:F2} s of the save"));
        return (plan, save);
    }

    /// <summary>
    /// Where the time goes (<c>--profile</c>): the steps of the unit replanning timed one by one, tracked (as the
    /// product did before the bulk path) and without tracking, on fresh copies of the file.
    /// </summary>
    private static async Task ProfileAsync(string template, string folder, CareUnit unitTemplate, string newName)
    {
        foreach (var tracked in new[] { true, false })
        {
            var file = Copy(template, folder, tracked ? "profile-tracked.db" : "profile-untracked.db");
            await using var db = NewDbContext(file);
            var now = Now;
            var steps = new List<(string, double)>();
            var watch = Stopwatch.StartNew();
            void Step(string name)
            {
                steps.Add((name, watch.Elapsed.TotalSeconds));
                watch.Restart();
            }

            var unit = await db.Units.SingleAsync(u => u.HsaId == unitTemplate.HsaId);
            unit.Update(newName, unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn);
            var id = unit.HsaId;
            IQueryable<T> Q<T>(IQueryable<T> q) where T : class => tracked ? q : q.AsNoTracking();
            Step("unit");
            var bookings = await Q(db.Bookings.Where(b => b.Unit == id && b.Start > now)).ToListAsync();
            Step("bookings");
            var unitBookings = db.Bookings.Where(b => b.Unit == id && b.Start > now);
            var patients = (await Q(db.Patients.Where(p => unitBookings.Select(b => b.PatientId).Contains(p.Id))).ToListAsync()).ToDictionary(p => p.Id);
            Step("patients");
            var settings = (await Q(db.ReminderSettings.Where(s => unitBookings.Select(b => b.PatientId).Contains(s.PatientId))).ToListAsync()).ToDictionary(s => s.PatientId);
            Step("settings");
            var messages = (await Q(db.Messages.Where(m => unitBookings.Select(b => b.Id).Contains(m.BookingId))).ToListAsync()).OrderBy(m => m.Id).ToLookup(m => m.BookingId);
            Step("messages");
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            var added = 0;
            foreach (var booking in bookings)
            {
                var decision = ReminderDecider.Decide(patients[booking.PatientId], settings[booking.PatientId], unit, booking, now, Workload.Policy);
                added += SmsPlanner.Reconcile(booking.Id, booking.Start, booking.Status == BookingStatus.Cancelled, decision, messages[booking.Id].ToList(), now, ReminderPlanner.NewCallbackToken).Count;
            }

            Step("decide+reconcile");
            if (tracked)
            {
                db.ChangeTracker.DetectChanges();
                Step("detect changes");
                await db.SaveChangesAsync();
                Step("SaveChanges (200k UPDATE)");
            }

            Console.WriteLine((tracked ? "tracked (EF save, as before):   " : "untracked (read as the bulk path reads): ") + string.Join(", ", steps.Select(s => Invariant($"{s.Item1} {s.Item2:F2} s"))) + Invariant($" (added {added})"));
        }
    }

    /// <summary>The floor: one transaction, one read of the pending SMS with their start, one prepared update per SMS.</summary>
    internal static async Task<double> RawAsync(string file, CareUnit unit, string newName)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        await using var transaction = connection.BeginTransaction();
        await using (var rename = connection.CreateCommand())
        {
            rename.Transaction = transaction;
            rename.CommandText = "UPDATE Units SET Name = $name WHERE HsaId = $unit";
            rename.Parameters.AddWithValue("$name", newName);
            rename.Parameters.AddWithValue("$unit", unit.HsaId.Value);
            await rename.ExecuteNonQueryAsync();
        }

        var rows = new List<(long Id, string Kind, DateTime Start)>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT m.Id, m.Kind, b.Start FROM Messages m JOIN Bookings b ON b.Id = m.BookingId WHERE b.Unit = $unit AND m.Status = 'Pending'";
            read.Parameters.AddWithValue("$unit", unit.HsaId.Value);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetDateTime(2)));
            }
        }

        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE Messages SET Text = $text WHERE Id = $id";
        var text = update.Parameters.Add("$text", SqliteType.Text);
        var id = update.Parameters.Add("$id", SqliteType.Integer);
        update.Prepare();
        var link = Workload.Link;
        foreach (var row in rows)
        {
            var start = Stockholm.LocalOf(Instant.FromDateTimeUtc(DateTime.SpecifyKind(row.Start, DateTimeKind.Utc)));
            text.Value = row.Kind == nameof(SmsKind.Reminder) ? SmsText.Reminder(newName, start) : SmsText.SelfCheckIn(newName, start, link);
            id.Value = row.Id;
            await update.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return watch.Elapsed.TotalSeconds;
    }

    internal static async Task VerifyAsync(string file, string newName, int expected)
    {
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), SUM(instr(Text, $name) > 0), SUM(Status = 'Pending') FROM Messages";
        command.Parameters.AddWithValue("$name", newName);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.GetInt64(0) != expected || reader.GetInt64(1) != expected || reader.GetInt64(2) != expected)
        {
            throw new InvalidOperationException(Invariant($"After the rename: {reader.GetInt64(0)} SMS, {reader.GetInt64(1)} with the new name, {reader.GetInt64(2)} pending; expected {expected} of each."));
        }
    }

    private static RemindersDbContext NewDbContext(string file)
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={file}");
        return new RemindersDbContext(options.Options);
    }

    internal static string Copy(string template, string folder, string name)
    {
        SqliteConnection.ClearAllPools();
        var file = Path.Combine(folder, name);
        File.Copy(template, file, overwrite: true);
        return file;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    internal static int Argument(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
