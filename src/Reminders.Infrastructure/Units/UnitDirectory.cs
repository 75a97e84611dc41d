using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Units;

/// <summary>
/// The region's care units for the read pages (the patient page's block list and unit names, the arrivals list,
/// the booking-messages API, report and inbox names): one read of the ~200 rows per <see cref="CacheFor"/> instead
/// of one per page view. A save of a unit through any context of this process drops the list at once (when its
/// transaction commits, see <see cref="ChangeInterceptor"/>); another instance of the app sees the change within
/// <see cref="CacheFor"/>. What sends or plans SMS (planner, dispatcher, handlers that change data) reads units
/// from the store, never from here, so a stale name or setting can only be shown, not texted.
/// </summary>
public sealed class UnitDirectory
{
    /// <summary>How long a read list is used.</summary>
    public static TimeSpan CacheFor { get; } = TimeSpan.FromSeconds(30);

    private readonly IServiceScopeFactory _scopes;
    private readonly TimedCache<Snapshot> _cache;

    /// <summary>A directory reading through its own scopes.</summary>
    public UnitDirectory(IServiceScopeFactory scopes, TimeProvider time)
    {
        _scopes = scopes;
        _cache = new TimedCache<Snapshot>(time, CacheFor);
        ChangeInterceptor = new UnitChangeInterceptor(this);
    }

    /// <summary>Added to the context's options: drops the list when a change to a unit is saved.</summary>
    public IInterceptor ChangeInterceptor { get; }

    /// <summary>
    /// Every unit, active or not, by clinic then name. Shared between requests: read-only (never attach these to a
    /// context or call their changing methods; load the unit from the store to change it).
    /// </summary>
    public async ValueTask<IReadOnlyList<CareUnit>> AllAsync(CancellationToken cancellationToken) =>
        (await SnapshotAsync(cancellationToken).ConfigureAwait(false)).All;

    /// <summary>
    /// The unit with <paramref name="hsaId"/>, or null (read-only, as <see cref="AllAsync"/>). A unit missing from
    /// the kept list is looked for once more in the store (created by another instance since the list was read).
    /// </summary>
    public async ValueTask<CareUnit?> FindAsync(HsaId hsaId, CancellationToken cancellationToken)
    {
        if ((await SnapshotAsync(cancellationToken).ConfigureAwait(false)).ById.TryGetValue(hsaId, out var unit))
        {
            return unit;
        }

        _cache.Invalidate();
        return (await SnapshotAsync(cancellationToken).ConfigureAwait(false)).ById.GetValueOrDefault(hsaId);
    }

    /// <summary>Drops the list (the next read goes to the store).</summary>
    public void Invalidate() => _cache.Invalidate();

    private ValueTask<Snapshot> SnapshotAsync(CancellationToken cancellationToken) => _cache.GetAsync(async ct =>
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var units = await db.Units.AsNoTracking().OrderBy(u => u.Clinic).ThenBy(u => u.Name).ToListAsync(ct).ConfigureAwait(false);
        return new Snapshot(units, units.ToDictionary(u => u.HsaId));
    }, cancellationToken);

    private sealed record Snapshot(IReadOnlyList<CareUnit> All, IReadOnlyDictionary<HsaId, CareUnit> ById);

    /// <summary>
    /// Drops the directory's list after a save that added, changed or removed a unit: at once, and again when the
    /// save's transaction commits (a reload between the two would otherwise keep the uncommitted state's
    /// predecessor for the whole lifetime).
    /// </summary>
    private sealed class UnitChangeInterceptor(UnitDirectory directory) : ISaveChangesInterceptor, IDbTransactionInterceptor
    {
        private static readonly object Marker = new();
        private readonly ConditionalWeakTable<DbContext, object> _pending = [];

        public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
        {
            Note(eventData.Context);
            return result;
        }

        public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Note(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
        {
            Saved(eventData.Context);
            return result;
        }

        public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Saved(eventData.Context);
            return ValueTask.FromResult(result);
        }

        public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

        public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Committed(eventData.Context);
            return Task.CompletedTask;
        }

        public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Forget(eventData.Context);
            return Task.CompletedTask;
        }

        private void Note(DbContext? context)
        {
            if (context is not null && context.ChangeTracker.Entries<CareUnit>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                _pending.AddOrUpdate(context, Marker);
            }
        }

        private void Saved(DbContext? context)
        {
            if (context is null || !_pending.TryGetValue(context, out _))
            {
                return;
            }

            directory.Invalidate();
            if (context.Database.CurrentTransaction is null)
            {
                _pending.Remove(context);
            }
        }

        private void Committed(DbContext? context)
        {
            if (context is not null && _pending.Remove(context))
            {
                directory.Invalidate();
            }
        }

        private void Forget(DbContext? context)
        {
            if (context is not null)
            {
                _pending.Remove(context);
            }
        }
    }
}
