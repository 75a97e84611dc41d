using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Infrastructure.Jobs;

/// <summary><c>Jobs:GuardianNumbersAt13:*</c>.</summary>
public sealed class GuardianNumbersAt13Options
{
    /// <summary>False stops the nightly schedule (the core stays callable).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Local time (Europe/Stockholm, HH:mm) the job runs every night.</summary>
    public string At { get; set; } = "02:00";
}

/// <summary>
/// R13, automatic: patients who have turned 13 lose their registered guardian numbers, their bookings are
/// replanned and the removal is audited (channel Automatic), each patient in one save.
/// </summary>
public sealed partial class GuardianNumbersAt13Job(IServiceScopeFactory scopes, IClock clock, ILogger<GuardianNumbersAt13Job> logger)
{
    /// <summary>The actor recorded in the audit log.</summary>
    public const string Actor = "system";

    /// <summary>Runs once; returns how many patients lost guardian numbers.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var planner = scope.ServiceProvider.GetRequiredService<ReminderPlanner>();
        var now = clock.GetCurrentInstant();
        var today = Stockholm.DateOf(now);

        // The birth date lives in the identity number, so the age filter runs here, on the few with guardian numbers.
        var candidates = await db.ReminderSettings.Where(s => s.GuardianNumbers.Any()).Select(s => s.PatientId).ToListAsync(cancellationToken);
        var removed = 0;
        foreach (var patientId in candidates)
        {
            var patient = await db.Patients.SingleAsync(p => p.Id == patientId, cancellationToken);
            if (Age.IsChildOn(patient.BirthDate, today))
            {
                continue;
            }

            var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patientId, cancellationToken);
            var count = setting.GuardianNumbers.Count;
            if (!setting.RemoveGuardianNumbersAt13(patient, now))
            {
                continue;
            }

            await planner.PlanPatientAsync(patientId, cancellationToken);
            db.AuditEvents.Add(AuditLog.Row(now, Actor, null, null, patientId, AuditActions.RemoveGuardianNumbersAt13, nameof(ChangeChannel.Automatic),
                new { removedGuardianNumbers = count }));
            await db.SaveChangesAsync(cancellationToken);
            removed++;
            LogRemoved(logger, patientId, count);
        }

        return removed;
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "R13: removed {Count} guardian number(s) of patient {PatientId}")]
    private static partial void LogRemoved(ILogger logger, long patientId, int count);
}

/// <summary>Runs <see cref="GuardianNumbersAt13Job"/> every night at <c>Jobs:GuardianNumbersAt13:At</c> local time.</summary>
public sealed partial class GuardianNumbersAt13Service(GuardianNumbersAt13Job job, IOptions<GuardianNumbersAt13Options> options, IClock clock, TimeProvider time, ILogger<GuardianNumbersAt13Service> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var parsed = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(options.Value.At);
        var at = parsed.Success ? parsed.Value : throw new InvalidOperationException($"Jobs:GuardianNumbersAt13:At must be HH:mm, not '{options.Value.At}'.");
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetCurrentInstant();
            var next = NextRun(now, at);
            try
            {
                await Task.Delay((next - now).ToTimeSpan(), time, stoppingToken);
                await job.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>The next instant the local clock in Stockholm shows <paramref name="at"/>, after <paramref name="now"/>.</summary>
    public static Instant NextRun(Instant now, LocalTime at)
    {
        var local = Stockholm.LocalOf(now);
        var candidate = Stockholm.ToInstant(local.Date + at);
        return candidate > now ? candidate : Stockholm.ToInstant(local.Date.PlusDays(1) + at);
    }

    [LoggerMessage(EventId = 131, Level = LogLevel.Error, Message = "R13 nightly job failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
