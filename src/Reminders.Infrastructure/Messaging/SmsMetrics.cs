using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Messaging;

/// <summary>
/// The SMS pipeline's metrics on the meter <c>Reminders</c> (exported as Prometheus text at <c>/metrics</c>):
/// counters of SMS planned, sent, failed and delivered by kind, the provider call's duration, the claim batch
/// size, and gauges of the SMS that are due but not yet sent and the age of the oldest of them.
/// </summary>
/// <remarks>
/// The counters are fed by <see cref="Interceptor"/> from the saves themselves: every status change of an SMS is
/// an EF save of the entity (planner, dispatcher, delivery reports, bulk changes), so no writer has to remember
/// to count, and a change is counted only once it is committed. No tag carries personal data: only the kind.
/// </remarks>
public sealed class SmsMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Reminders";

    private readonly Counter<long> _planned;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _delivered;
    private readonly Histogram<double> _providerCall;
    private readonly Histogram<int> _claimBatch;
    private readonly TimedCache<Backlog> _backlog;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/> (one per host).</summary>
    public SmsMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _scopes = scopes;
        _time = time;
        _backlog = new TimedCache<Backlog>(time, TimeSpan.FromSeconds(5));
        var meter = meters.Create(MeterName);
        _planned = meter.CreateCounter<long>("reminders.sms.planned", "{sms}", "SMS planned (created for sending), by kind.");
        _sent = meter.CreateCounter<long>("reminders.sms.sent", "{sms}", "SMS accepted by the provider, by kind.");
        _failed = meter.CreateCounter<long>("reminders.sms.failed", "{sms}", "SMS failed for good, by kind.");
        _delivered = meter.CreateCounter<long>("reminders.sms.delivered", "{sms}", "SMS the provider reported delivered, by kind.");
        _providerCall = meter.CreateHistogram<double>("reminders.sms.provider.duration", "s", "Duration of one call to the SMS provider.");
        _claimBatch = meter.CreateHistogram<int>("reminders.sms.claim.size", "{sms}", "SMS claimed by one dispatcher poll.");
        meter.CreateObservableGauge("reminders.sms.due", () => CurrentBacklog().Due, "{sms}", "SMS due and not yet sent.");
        meter.CreateObservableGauge("reminders.sms.due.oldest_age", () => CurrentBacklog().OldestAgeSeconds, "s",
            "How long the oldest SMS that is due and not yet sent has been due.");
        Interceptor = new StatusInterceptor(this);
    }

    /// <summary>Counts the committed status changes of SMS; added to every context of the store.</summary>
    public ISaveChangesInterceptor Interceptor { get; }

    /// <summary>Records one provider call's duration.</summary>
    public void ProviderCalled(TimeSpan elapsed) => _providerCall.Record(elapsed.TotalSeconds);

    /// <summary>Records the size of one claim.</summary>
    public void Claimed(int count) => _claimBatch.Record(count);

    private Backlog CurrentBacklog() => _backlog.Get(LoadBacklog);

    // One indexed read ((Status, NotBefore)), cached a few seconds: a scrape every few seconds costs one query at most.
    private Backlog LoadBacklog()
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var now = Instant.FromDateTimeOffset(_time.GetUtcNow());
        var due = db.Messages.AsNoTracking().Where(m => m.Status == SmsStatus.Pending && m.NotBefore <= now);
        var count = due.Count();
        var oldest = count == 0 ? null : due.OrderBy(m => m.NotBefore).Select(m => (Instant?)m.NotBefore).FirstOrDefault();
        return new Backlog(count, oldest is { } o ? (now - o).TotalSeconds : 0);
    }

    private void Count(OutgoingSms sms, SmsStatus? before)
    {
        var kind = new KeyValuePair<string, object?>("kind", sms.Kind.ToString());
        var counter = before is null
            ? _planned
            : sms.Status switch
            {
                SmsStatus.Sent => _sent,
                SmsStatus.Failed => _failed,
                SmsStatus.Delivered => _delivered,
                _ => null,
            };
        counter?.Add(1, kind);
    }

    private sealed record Backlog(int Due, double OldestAgeSeconds);

    /// <summary>Notes the SMS changes of a save before it runs and counts them once it has committed.</summary>
    private sealed class StatusInterceptor(SmsMetrics metrics) : SaveChangesInterceptor
    {
        private readonly ConditionalWeakTable<DbContext, List<(OutgoingSms Sms, SmsStatus? Before)>> _pending = [];

        public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Note(eventData.Context);
            return result;
        }

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Note(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Flush(eventData.Context, commit: true);
            return result;
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Flush(eventData.Context, commit: true);
            return ValueTask.FromResult(result);
        }

        public override void SaveChangesFailed(DbContextErrorEventData eventData) => Flush(eventData.Context, commit: false);

        public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Flush(eventData.Context, commit: false);
            return Task.CompletedTask;
        }

        private void Note(DbContext? context)
        {
            if (context is null)
            {
                return;
            }

            List<(OutgoingSms, SmsStatus?)>? changes = null;
            foreach (var entry in context.ChangeTracker.Entries<OutgoingSms>())
            {
                if (entry.State == EntityState.Added)
                {
                    (changes ??= []).Add((entry.Entity, null));
                }
                else if (entry.State == EntityState.Modified && entry.Property(m => m.Status) is { IsModified: true } status
                         && !Equals(status.OriginalValue, status.CurrentValue))
                {
                    (changes ??= []).Add((entry.Entity, status.OriginalValue));
                }
            }

            _pending.AddOrUpdate(context, changes ?? []);
        }

        private void Flush(DbContext? context, bool commit)
        {
            if (context is null || !_pending.TryGetValue(context, out var changes))
            {
                return;
            }

            _pending.Remove(context);
            if (!commit)
            {
                return;
            }

            foreach (var (sms, before) in changes)
            {
                metrics.Count(sms, before);
            }
        }
    }
}
