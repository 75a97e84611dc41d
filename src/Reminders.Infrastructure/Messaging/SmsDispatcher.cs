using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Infrastructure.Messaging;

/// <summary>What one poll did.</summary>
/// <param name="Claimed">SMS claimed.</param>
/// <param name="Sent">Accepted by the provider.</param>
/// <param name="Retried">Put back for a later attempt.</param>
/// <param name="Failed">Failed for good after the last attempt.</param>
/// <param name="Stopped">Stopped, moved or deferred by the decision at send time (R23).</param>
/// <param name="UnknownOutcome">Attempts whose outcome is unknown, failed without resending (decision 0005).</param>
public sealed record DispatchSummary(int Claimed, int Sent, int Retried, int Failed, int Stopped, int UnknownOutcome);

/// <summary>
/// Sends due SMS. One poll: fail attempts whose outcome is unknown (docs/decisions/0005), claim due SMS with
/// a lease in one statement, and for each decide again (R23) and either stop it, move it, or record the attempt,
/// call the gateway and record the provider's id. Several instances may run on one database: the lease and the
/// conditional saves (the lease owner is a concurrency token) keep each SMS with one of them.
/// </summary>
public sealed partial class SmsDispatcher(
    IServiceScopeFactory scopes,
    IClock clock,
    IOptions<DispatcherOptions> options,
    DispatcherState state,
    SmsMetrics metrics,
    ILogger<SmsDispatcher> logger)
{
    /// <summary>The text staff read on an SMS whose attempt was interrupted (decision 0005).</summary>
    public const string UnknownOutcomeText =
        "Utfall okänt: sändningen avbröts innan sms-leverantörens svar registrerades. Sms:et kan ha skickats och skickas därför inte igen automatiskt.";

    /// <summary>This instance's lease owner id.</summary>
    public string Owner { get; } = string.Create(CultureInfo.InvariantCulture,
        $"{Environment.MachineName[..Math.Min(40, Environment.MachineName.Length)]}:{Environment.ProcessId}:{Guid.NewGuid():N}");

    private DispatcherOptions Options => options.Value;

    /// <summary>One poll: the hosted loop calls it every <see cref="DispatcherOptions.PollInterval"/>; tests call it directly.</summary>
    public async Task<DispatchSummary> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var unknown = await FailUnknownOutcomesAsync(cancellationToken);
        var ids = await ClaimAsync(cancellationToken);
        if (ids.Count > 0)
        {
            metrics.Claimed(ids.Count);
        }


        // Up to MaxParallelSends SMS at a time, each with its own scope, fresh decision (R23) and conditional
        // saves, so the guarantees are those of one SMS at a time; the overlap is in the HTTP call and CPU work.
        var counts = new int[Enum.GetValues<Processed>().Length];
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = Math.Max(1, Options.MaxParallelSends),
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(ids, parallel, async (id, _) =>
        {
            Processed processed;
            try
            {
                processed = await ProcessAsync(id, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // An SMS already in Sending stays there: decision 0005 fails it after its lease, never resends it.
                LogProcessingFailed(logger, e, id);
                return;
            }

            Interlocked.Increment(ref counts[(int)processed]);
        });

        state.PollSucceeded(clock.GetCurrentInstant());
        return new DispatchSummary(ids.Count, counts[(int)Processed.Sent], counts[(int)Processed.Retried], counts[(int)Processed.Failed],
            counts[(int)Processed.Stopped], unknown);
    }

    /// <summary>Polls until nothing is due any more (tests, and catching up after a pause); returns the totals.</summary>
    public async Task<DispatchSummary> DispatchUntilIdleAsync(CancellationToken cancellationToken)
    {
        var total = new DispatchSummary(0, 0, 0, 0, 0, 0);
        while (true)
        {
            var poll = await DispatchDueAsync(cancellationToken);
            total = new DispatchSummary(total.Claimed + poll.Claimed, total.Sent + poll.Sent, total.Retried + poll.Retried,
                total.Failed + poll.Failed, total.Stopped + poll.Stopped, total.UnknownOutcome + poll.UnknownOutcome);
            if (poll.Claimed == 0)
            {
                return total;
            }
        }
    }

    private enum Processed
    {
        Sent,
        Retried,
        Failed,
        Stopped,
        Skipped,
    }

    /// <summary>
    /// Decision 0005: an SMS left in Sending after its lease ran out belongs to an attempt that was interrupted
    /// between recording it and recording the provider's answer. It may have been sent; it is failed with a
    /// reason staff can read and never resent automatically.
    /// </summary>
    private async Task<int> FailUnknownOutcomesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var now = clock.GetCurrentInstant();
        var stale = await UnknownOutcomes(db, now, Options.BatchSize).ToListAsync(cancellationToken);
        var count = 0;
        foreach (var sms in stale)
        {
            sms.MarkFailed(UnknownOutcomeText);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                count++;
                LogUnknownOutcome(logger, sms.Id, sms.BookingId);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another instance (or a late delivery report) got there first.
                db.Entry(sms).State = EntityState.Detached;
            }
        }

        return count;
    }

    private async Task<IReadOnlyList<long>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var now = clock.GetCurrentInstant();
        var claim = new SmsClaim(Owner, now, now + Duration.FromTimeSpan(Options.LeaseDuration), Options.BatchSize);
        return await services.GetRequiredService<IStoreSql>().ClaimDueSmsAsync(services.GetRequiredService<RemindersDbContext>(), claim, cancellationToken);
    }

    /// <summary>SMS left in Sending after their lease (decision 0005), oldest first (the SQL Server tests parse it).</summary>
    internal static IQueryable<OutgoingSms> UnknownOutcomes(RemindersDbContext db, Instant now, int limit) =>
        db.Messages
            .Where(m => m.Status == SmsStatus.Sending && (m.LeaseUntil == null || m.LeaseUntil <= now))
            .OrderBy(m => m.Id)
            .Take(limit);

    /// <summary>A claimed SMS with its booking, patient and unit, in one round trip.</summary>
    internal static IQueryable<SmsToSend> ToSend(RemindersDbContext db, long id) =>
        from m in db.Messages
        where m.Id == id
        join b in db.Bookings on m.BookingId equals b.Id
        join p in db.Patients on b.PatientId equals p.Id
        join u in db.Units on b.Unit equals u.HsaId
        select new SmsToSend(m, b, p, u);

    /// <summary>The patient's reminder setting with its owned collections, for the decision at send time (R23).</summary>
    internal static IQueryable<ReminderSetting> SettingOf(RemindersDbContext db, long patientId) =>
        db.ReminderSettings.Where(s => s.PatientId == patientId);

    private async Task<Processed> ProcessAsync(long id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<RemindersDbContext>();

        // One connection for the SMS's reads and saves (the SQLite pragmas run once, not per command), and the
        // fresh data for the decision in two round trips: the SMS with its booking, patient and unit, then the
        // patient's setting with its owned collections (kept apart so they do not multiply the joined rows).
        await db.Database.OpenConnectionAsync(cancellationToken);
        var row = await ToSend(db, id).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            // Only a missing SMS is skipped; an SMS of ours whose booking, patient or unit is missing is an error.
            var orphan = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
            return orphan is null || orphan.Status != SmsStatus.Pending || orphan.LeaseOwner != Owner
                ? Processed.Skipped
                : throw new InvalidOperationException($"SMS {id}: its booking, patient or unit is missing.");
        }

        var (sms, booking, patient, unit) = (row.Sms, row.Booking, row.Patient, row.Unit);
        if (sms.Status != SmsStatus.Pending || sms.LeaseOwner != Owner)
        {
            return Processed.Skipped;
        }

        var setting = await SettingOf(db, booking.PatientId).SingleAsync(cancellationToken);

        // R23: decide again now; whatever changed since planning wins.
        var now = clock.GetCurrentInstant();
        var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, services.GetRequiredService<ISmsPolicySource>().Current);
        var (verdict, planned, _) = SmsPlanner.AtSendTime(sms, booking.Start, decision, now);
        if (verdict != SendVerdict.Send)
        {
            // The planner reconciles the whole booking with the fresh decision: it stops this SMS with the
            // decision's reasons, or gives it its new due time (moved booking, R28), and plans a replacement
            // (e.g. a new mobile number) in the same save.
            await services.GetRequiredService<ReminderPlanner>().PlanBookingAsync(booking, cancellationToken);
            if (sms.IsPending)
            {
                sms.ReleaseLease();
            }

            return await TrySaveAsync(db, sms, cancellationToken) ? LogStopped(sms) : Processed.Skipped;
        }

        if (planned!.Text != sms.Text)
        {
            sms.Replan(planned, booking.Start);
        }

        // The claim covered a whole batch: renew the lease for this attempt, so that no instance takes a live
        // attempt for an interrupted one (decision 0005). A lease that ran out is no longer ours to use.
        if (sms.LeaseUntil is not { } leaseUntil || leaseUntil <= now)
        {
            return Processed.Skipped;
        }

        // A stopping host starts no new attempt (the lease lets another instance take the SMS); one that has begun
        // runs to the provider's answer, bounded by the provider's time-out, and the host waits for it (HostOptions).
        if (cancellationToken.IsCancellationRequested)
        {
            return Processed.Skipped;
        }

        sms.Lease(Owner, now + Duration.FromTimeSpan(Options.LeaseDuration));

        // Recorded before the provider is called: after a crash the SMS is never sent blindly again (decision 0005).
        sms.BeginAttempt(now);
        if (!await TrySaveAsync(db, sms, CancellationToken.None))
        {
            return Processed.Skipped;
        }

        var gateway = services.GetRequiredService<ISmsGateway>();
        var callback = services.GetRequiredService<CallbackUrls>().For(sms.CallbackToken);
        var calling = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await gateway.SendAsync(new SmsMessage(sms.Id, sms.To, sms.Text, callback), CancellationToken.None);
        metrics.ProviderCalled(System.Diagnostics.Stopwatch.GetElapsedTime(calling));

        var after = clock.GetCurrentInstant();
        Processed outcome;
        if (result.Accepted)
        {
            sms.MarkSent(result.ProviderId!, after);
            outcome = Processed.Sent;
        }
        else if (result.OutcomeUnknown)
        {
            sms.MarkFailed(result.Error ?? UnknownOutcomeText);
            outcome = Processed.Failed;
        }
        else if (sms.Attempts >= Options.MaxAttempts)
        {
            sms.MarkFailed(string.Create(CultureInfo.InvariantCulture,
                $"Sms:et kunde inte skickas efter {sms.Attempts} försök. Senaste fel: {result.Error}"));
            outcome = Processed.Failed;
        }
        else
        {
            var retryAt = after + Duration.FromTimeSpan(RetryDelay(sms.Attempts, result.RetryAfter));
            sms.RetryLater(result.Error ?? "Okänt fel hos sms-leverantören.", retryAt);
            outcome = Processed.Retried;
        }

        // The provider's answer is recorded even when the host is stopping.
        if (!await TrySaveAsync(db, sms, CancellationToken.None))
        {
            // A delivery report got in between and already moved the SMS on; nothing to record.
            return outcome;
        }

        LogAttempt(logger, sms.Id, sms.BookingId, sms.Attempts, sms.Status.ToString());
        return outcome;
    }

    private Processed LogStopped(OutgoingSms sms)
    {
        LogDecidedAgain(logger, sms.Id, sms.BookingId, sms.Status.ToString());
        return Processed.Stopped;
    }

    private static async Task<bool> TrySaveAsync(RemindersDbContext db, OutgoingSms sms, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(sms).State = EntityState.Detached;
            return false;
        }
    }

    /// <summary>Exponential backoff with up to 20 % jitter, capped; never sooner than the provider's Retry-After.</summary>
    internal TimeSpan RetryDelay(int attempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 20);
        var baseDelay = Options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent);
        var capped = Math.Min(baseDelay, Options.RetryMaxDelay.TotalMilliseconds);
        var jitter = capped * RandomNumberGenerator.GetInt32(0, 201) / 1000.0;
        var delay = TimeSpan.FromMilliseconds(capped + jitter);
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "SMS {SmsId}: processing failed; left for the lease to expire")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, long smsId);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "SMS {SmsId} (booking {BookingId}) attempt {Attempt}: {Status}")]
    private static partial void LogAttempt(ILogger logger, long smsId, long bookingId, int attempt, string status);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "SMS {SmsId} (booking {BookingId}) decided again at send time: {Status}")]
    private static partial void LogDecidedAgain(ILogger logger, long smsId, long bookingId, string status);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "SMS {SmsId} (booking {BookingId}) outcome unknown after an interrupted attempt: failed, not resent")]
    private static partial void LogUnknownOutcome(ILogger logger, long smsId, long bookingId);
}

/// <summary>A claimed SMS and what its decision at send time reads.</summary>
/// <param name="Sms">The SMS.</param>
/// <param name="Booking">Its booking.</param>
/// <param name="Patient">The booking's patient.</param>
/// <param name="Unit">The booking's unit.</param>
internal sealed record SmsToSend(OutgoingSms Sms, Booking Booking, Patient Patient, CareUnit Unit);
