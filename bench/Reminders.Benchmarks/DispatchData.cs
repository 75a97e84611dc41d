using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Seeding;

namespace Reminders.Benchmarks;

/// <summary>
/// The dispatcher benchmark's data: a freshly migrated SQLite file with one unit (SMS and self check-in),
/// activated adults with fictitious identity numbers and mobiles from the fiction series, and one booking each
/// between 20 and 40 hours ahead, planned by <see cref="ReminderPlanner.PlanUnitAsync"/>: every booking's
/// reminder is due now, its self check-in SMS is pending for later (the claim has to skip it).
/// </summary>
internal static class DispatchData
{
    /// <summary>R28 off: the benchmark runs at any hour, and due SMS must stay due at send time (R23); a link, so R21 plans too.</summary>
    public static SmsPolicy Policy { get; } = new(QuietHours.Off, Workload.Link);

    /// <summary>Builds the file at the real current time (the workers decide again with the real clock).</summary>
    public static async Task BuildAsync(string file, int bookings)
    {
        var now = SystemClock.Instance.GetCurrentInstant();
        await using var db = NewDbContext(file);
        await db.Database.MigrateAsync();
        var unit = DemoDataSeeder.CreateUnits().First(u => u.UsesSmsReminders && u.OffersSelfCheckIn);
        db.Units.Add(unit);
        await db.SaveChangesAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        var context = new ChangeContext(now - Duration.FromDays(30), unit.HsaId, ChangeChannel.CheckIn);
        var patients = new List<Patient>(bookings);
        for (var i = 0; i < bookings; i++)
        {
            // Adults born 1940–1995, birth numbers 1–999: fictitious numbers built with the domain's factory (R50).
            var patient = Build.Patient(Fiction.NthIdentity(i % (999 * 20_000), new LocalDate(1940, 1, 1)), "Bänk Patient", Fiction.NthMobile(i), now - Duration.FromDays(400), consentIn1177: true);
            patients.Add(patient);
        }

        db.Patients.AddRange(patients);
        await db.SaveChangesAsync();
        for (var i = 0; i < patients.Count; i++)
        {
            var patient = patients[i];
            db.ReminderSettings.Add(Build.ActivatedSetting(patient, context));
            // Spread over 20–40 hours ahead: inside the reminder's 48-hour lead, outside self check-in's 2 hours.
            var start = now + Duration.FromHours(20) + Duration.FromSeconds(72_000L * i / bookings);
            db.Bookings.Add(Build.Booking("bench-" + patient.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), patient.Id, unit.HsaId, start, now - Duration.FromDays(1)));
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        var planner = new ReminderPlanner(db, SystemClock.Instance, new FixedSmsPolicySource(Policy));
        var plan = await planner.PlanUnitAsync(unit.HsaId, CancellationToken.None);
        await BenchWriter.For(db, SystemClock.Instance, planner).SavePlanAsync(plan, CancellationToken.None);
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE)");

        var planned = SystemClock.Instance.GetCurrentInstant();
        var due = await db.Messages.CountAsync(m => m.Status == SmsStatus.Pending && m.Kind == SmsKind.Reminder && m.NotBefore <= planned);
        var later = await db.Messages.CountAsync(m => m.Status == SmsStatus.Pending && m.Kind == SmsKind.SelfCheckIn);
        if (due != bookings || later != bookings)
        {
            throw new InvalidOperationException($"Planned {due} due reminders and {later} later self check-in SMS; expected {bookings} of each.");
        }
    }

    /// <summary>A context on the file, configured as the product configures it.</summary>
    public static RemindersDbContext NewDbContext(string file)
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={file}");
        return new RemindersDbContext(options.Options);
    }

    /// <summary>Copies the prepared file for one run (after closing pooled connections to it).</summary>
    public static void Copy(string template, string file)
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(file + suffix);
        }

        File.Copy(template, file, overwrite: true);
    }
}

/// <summary>The policy the decision and replanning benchmarks measure: quiet hours on and a self check-in link, so both kinds are planned and R28 is evaluated.</summary>
internal static class Workload
{
    /// <summary>A fictitious self check-in link (R26 has no built-in one).</summary>
    public const string Link = "https://incheckning.example/r";

    /// <summary>Quiet hours on (21:00–07:00) and the link.</summary>
    public static SmsPolicy Policy { get; } = new(QuietHours.Night, Link);
}
