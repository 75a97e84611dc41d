using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Reminders.Domain;
using Reminders.Domain.Audit;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Application.Changes;

/// <summary>
/// What a change needs replanned (R22, R23), named by the use case that made it: nothing, one booking, every
/// future booking of a patient, or every future booking of a unit (the bulk path, issue #9).
/// </summary>
public abstract record Replan
{
    private Replan()
    {
    }

    /// <summary>The change touches no SMS (an outcome, an e-service request, a setting of the product).</summary>
    public static Replan None { get; } = new NothingToPlan();

    /// <summary>One booking (new ones are saved first, inside the change's transaction, for their id).</summary>
    public static Replan Booking(Booking booking) => new OneBooking(booking);

    /// <summary>Every booking of the patient that has not started.</summary>
    public static Replan Patient(long patientId) => new PatientBookings(patientId);

    /// <summary>Every booking at the unit that has not started; only the unit may have changed.</summary>
    public static Replan Unit(HsaId unit) => new UnitBookings(unit);

    internal sealed record NothingToPlan : Replan;

    internal sealed record OneBooking(Booking Value) : Replan;

    internal sealed record PatientBookings(long PatientId) : Replan;

    internal sealed record UnitBookings(HsaId Value) : Replan;
}

/// <summary>One change as the write primitive records it: who, the typed audit action, where, whose, what to replan.</summary>
/// <param name="Actor">Who makes it and through which channel.</param>
/// <param name="Action">The audit row's action.</param>
/// <param name="Unit">The care unit the change is made at or concerns (the audit row's unit).</param>
/// <param name="PatientId">The patient concerned, when there is one.</param>
/// <param name="Replan">What the change needs replanned.</param>
/// <param name="Details">The audit row's details: internal ids, units, counts; never names or numbers.</param>
public sealed record Change(Actor Actor, AuditAction Action, string? Unit, long? PatientId, Replan Replan, object? Details = null);

/// <summary>
/// The one write path every change goes through (docs/decisions/0016): the use case loads and calls the domain;
/// then this replans what the change names (<see cref="Replan"/>), adds the change's one typed audit row, and saves
/// all of it in one transaction, with the retry for SMS the dispatcher moved on meanwhile; the result is an
/// <see cref="Outcome{T}"/> that pages and the API map alike. Refusals (a rule said no, a stale copy) write their
/// audit row and nothing else. No other class of the application layer saves (an architecture test says so).
/// </summary>
public sealed class ChangeWriter(RemindersDbContext db, ReminderPlanner planner, AuditLog audit)
{
    /// <summary>How often a save is retried after the dispatcher moved an SMS on between planning and saving.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// Starts a change that spans several steps (a new row whose id the rest needs, or several changes that commit
    /// together). Commit it with <see cref="ChangeTransaction.CommitAsync"/>; disposing without committing rolls
    /// it back. Inside it, <see cref="SaveAsync{T}"/> saves without committing.
    /// </summary>
    public async Task<ChangeTransaction> BeginAsync(CancellationToken cancellationToken) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null);

    /// <summary>
    /// Saves the rows added so far so that they get their ids, inside the transaction of <see cref="BeginAsync"/>
    /// (required): nothing is committed before the change is.
    /// </summary>
    public async Task AssignIdsAsync(CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Ids are assigned inside a change's transaction (ChangeWriter.BeginAsync).");
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Saves a claim inside the change's transaction (required): a tracked row whose concurrency token moved on
    /// (e.g. <c>EServiceRequest.TakeInHand</c>), so that of two writers starting the same change, the second one's
    /// claim fails here, before any of its change is made. False when another writer changed the row since it was
    /// read: nothing is saved and nothing is tracked any more; the caller ends without committing. Not audited on
    /// its own: the change that follows carries the audit row.
    /// </summary>
    public async Task<bool> ClaimAsync(CancellationToken cancellationToken)
    {
        try
        {
            await AssignIdsAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>
    /// Replans, audits and saves <paramref name="change"/>; <paramref name="saved"/> builds the answer once it is
    /// stored. When another save won meanwhile (a concurrency token other than an SMS' changed), nothing of the
    /// change is kept: the refusal is audited and the answer is <see cref="OutcomeKind.Conflict"/>.
    /// </summary>
    public async Task<Outcome<T>> SaveAsync<T>(Change change, Func<Outcome<T>> saved, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(saved);
        var ambient = db.Database.CurrentTransaction;
        await using var savepoint = ambient is null ? null : await Savepoint.CreateAsync(ambient, cancellationToken);
        try
        {
            var plan = await PlanAsync(change.Replan, cancellationToken);
            audit.Add(change.Action, change.Actor, change.Unit, change.PatientId, change.Details);
            await SavePlanAsync(plan, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another save won between this change's read and its write (e.g. ReminderSetting.Version): nothing of the
            // change stays (a failed save wrote nothing; inside a caller's transaction its savepoint is rolled back).
            if (savepoint is not null)
            {
                await savepoint.RollbackAsync(cancellationToken);
            }

            return await ConflictAsync<T>(change, cancellationToken);
        }

        return saved();
    }

    /// <summary>A rule refused the change: nothing of it is saved, the refusal is (with the rules that refused it).</summary>
    public async Task<Outcome<T>> RefuseAsync<T>(Change change, IReadOnlyList<Reason> reasons, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        await SaveRefusalAsync(change, reasons.Select(r => r.Rule), cancellationToken);
        return Outcome.Refused<T>(reasons);
    }

    /// <summary>The caller's copy is stale (someone else changed the data since it was shown): refused and audited.</summary>
    public async Task<Outcome<T>> ConflictAsync<T>(Change change, CancellationToken cancellationToken)
    {
        await SaveRefusalAsync(change, ["Concurrency"], cancellationToken);
        return Outcome.Conflict<T>();
    }

    private async Task SaveRefusalAsync(Change change, IEnumerable<string> rules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        db.ChangeTracker.Clear();
        audit.Add(change.Action, change.Actor, change.Unit, change.PatientId, new { refusedBy = rules.Distinct().ToArray() }, succeeded: false);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Saves the tracked changes with <paramref name="plan"/>. Changes planned booking by booking are tracked, and one
    /// save writes them atomically (no transaction is held while planning, so the dispatcher is not kept waiting); a
    /// bulk plan's SMS are written by statements of their own, so the change and they share a transaction. Internal
    /// for tests and benchmarks that let another writer in between planning and saving.
    /// </summary>
    internal async Task SavePlanAsync(SmsPlan plan, CancellationToken cancellationToken)
    {
        await using var own = plan.HasBulk && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await SaveAsync(plan, cancellationToken);
        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
    }

    private async Task<SmsPlan> PlanAsync(Replan replan, CancellationToken cancellationToken)
    {
        switch (replan)
        {
            case Replan.OneBooking { Value: var booking }:
                if (booking.Id == 0)
                {
                    await AssignIdsAsync(cancellationToken);
                }

                return await planner.PlanBookingAsync(booking, cancellationToken);
            case Replan.PatientBookings { PatientId: var patientId }:
                return await planner.PlanPatientAsync(patientId, cancellationToken);
            case Replan.UnitBookings { Value: var unit }:
                return await planner.PlanUnitAsync(unit, cancellationToken);
            default:
                return SmsPlan.Tracked;
        }
    }

    /// <summary>
    /// Saves the tracked changes and the plan's bulk SMS changes in the current transaction. When the only
    /// conflicts are SMS rows the dispatcher moved on meanwhile (claimed or started sending them), those rows are
    /// reloaded, their bookings planned again, and the save retried: an SMS in flight never vetoes the change that
    /// caused the replanning (for example a patient becoming protected, R14, or a cancellation, R22). A bulk update
    /// that finds its SMS moved on is not applied, and that booking is replanned from the stored rows and saved the
    /// tracked way. Any other conflict is the caller's.
    /// </summary>
    private async Task SaveAsync(SmsPlan plan, CancellationToken cancellationToken)
    {
        await SaveTrackedAsync(cancellationToken);
        var conflicts = await planner.WriteBulkAsync(plan, cancellationToken);
        if (conflicts.Count == 0)
        {
            return;
        }

        foreach (var id in conflicts)
        {
            await planner.PlanBookingAsync(await db.Bookings.SingleAsync(b => b.Id == id, cancellationToken), cancellationToken);
        }

        await SaveTrackedAsync(cancellationToken);
    }

    private async Task SaveTrackedAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateConcurrencyException conflict) when (attempt < MaxAttempts && conflict.Entries.All(e => e.Entity is OutgoingSms))
            {
                var bookings = new HashSet<long>();
                foreach (var entry in conflict.Entries)
                {
                    await entry.ReloadAsync(cancellationToken);
                    bookings.Add(((OutgoingSms)entry.Entity).BookingId);
                }

                // R22: the SMS planned for those bookings from the stale rows are not in the store (the failed save
                // wrote nothing); replanning plans them again, so they go, or a booking would get the same SMS twice.
                foreach (var stale in db.ChangeTracker.Entries<OutgoingSms>().Where(e => e.State == EntityState.Added && bookings.Contains(e.Entity.BookingId)).ToList())
                {
                    stale.State = EntityState.Detached;
                }

                foreach (var id in bookings)
                {
                    if (await db.Bookings.FindAsync([id], cancellationToken) is { } booking)
                    {
                        await planner.PlanBookingAsync(booking, cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>A savepoint in the caller's transaction, so a conflicting change is undone without undoing the caller's steps.</summary>
    private sealed class Savepoint(IDbContextTransaction transaction) : IAsyncDisposable
    {
        private readonly string _name = "change_" + Guid.NewGuid().ToString("N")[..8];

        public static async Task<Savepoint> CreateAsync(IDbContextTransaction transaction, CancellationToken cancellationToken)
        {
            var savepoint = new Savepoint(transaction);
            await transaction.CreateSavepointAsync(savepoint._name, cancellationToken);
            return savepoint;
        }

        public Task RollbackAsync(CancellationToken cancellationToken) => transaction.RollbackToSavepointAsync(_name, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>A change's transaction (<see cref="ChangeWriter.BeginAsync"/>); null inside a caller's own.</summary>
public sealed class ChangeTransaction(IDbContextTransaction? transaction) : IAsyncDisposable
{
    /// <summary>Commits the change (nothing when it runs inside a caller's transaction).</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => transaction?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => transaction?.DisposeAsync() ?? ValueTask.CompletedTask;
}
