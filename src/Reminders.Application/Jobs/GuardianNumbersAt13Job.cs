using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using NodaTime;
using NodaTime.Text;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Domain.Patients;
using Reminders.Domain.Time;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.Jobs;

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
/// replanned and the removal is audited (channel Automatic). Each patient is one change through the write
/// primitive (<see cref="ChangeWriter"/>), so an SMS the dispatcher claims meanwhile is replanned and the save
/// retried instead of ending the night's run; the candidates are read in batches by patient id, each batch with a
/// fresh context, and one run goes at a time.
/// </summary>
public sealed partial class GuardianNumbersAt13Job(IServiceScopeFactory scopes, IClock clock, ILogger<GuardianNumbersAt13Job> logger) : IDisposable
{
    /// <summary>Candidates read and changed per context.</summary>
    public const int BatchSize = 200;

    private readonly SemaphoreSlim _oneRun = new(1, 1);

    /// <summary>Runs once (waiting for a run in progress); returns how many patients lost guardian numbers.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await _oneRun.WaitAsync(cancellationToken);
        try
        {
            return await RunBatchesAsync(cancellationToken);
        }
        finally
        {
            _oneRun.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _oneRun.Dispose();

    private async Task<int> RunBatchesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var today = Stockholm.DateOf(now);
        var removed = 0;
        var after = 0L;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            var writer = scope.ServiceProvider.GetRequiredService<ChangeWriter>();

            // The birth date lives in the identity number, so the age filter runs here, on the few with guardian numbers.
            var batch = await db.ReminderSettings.AsNoTracking()
                .Where(s => s.PatientId > after && s.GuardianNumbers.Any())
                .OrderBy(s => s.PatientId).Select(s => s.PatientId).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
            {
                return removed;
            }

            foreach (var patientId in batch)
            {
                db.ChangeTracker.Clear();
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

                var change = new Change(Actor.System, AuditAction.RemoveGuardianNumbersAt13, null, patientId, Replan.Patient(patientId), new { removedGuardianNumbers = count });
                var outcome = await writer.SaveAsync(change, () => Outcome.Ok(count), cancellationToken);
                if (outcome.Succeeded)
                {
                    removed++;
                    LogRemoved(logger, patientId, count);
                }
                else
                {
                    // The setting changed under the job (a check-in at the same moment): the next night tries again.
                    LogConflict(logger, patientId);
                }
            }

            after = batch[^1];
        }
    }

    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "R13: removed {Count} guardian number(s) of patient {PatientId}")]
    private static partial void LogRemoved(ILogger logger, long patientId, int count);

    [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "R13: patient {PatientId} changed meanwhile; left for the next run")]
    private static partial void LogConflict(ILogger logger, long patientId);
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

/// <summary><c>Jobs:GuardianNumbersAt13:At</c> is a local HH:mm.</summary>
public sealed class GuardianNumbersAt13OptionsValidator : IValidateOptions<GuardianNumbersAt13Options>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GuardianNumbersAt13Options options) => new OptionsFailures()
        .Check(!NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(options.At ?? "").Success,
            "Jobs:GuardianNumbersAt13:At", $"'{options.At}' is not accepted; expected a local time HH:mm, e.g. 02:00.")
        .Result();
}
