using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Planning;

/// <summary>
/// Replans the pending SMS of bookings after anything that can change them (R22, R23): it loads what the
/// decision needs, calls <see cref="ReminderDecider"/> and <see cref="SmsPlanner"/>, and leaves the changes
/// tracked in the context, so the caller saves them in the same transaction as the change itself.
/// </summary>
public sealed class ReminderPlanner(RemindersDbContext db, IClock clock, ISmsPolicySource policy)
{
    // SMS changes of a bulk PlanUnitAsync, waiting for SaveAsync.
    private BulkSmsChanges? _bulk;

    /// <summary>Replans one booking (it must have been saved: its id is needed).</summary>
    public async Task PlanBookingAsync(Booking booking, CancellationToken cancellationToken)
    {
        if (booking.Id == 0)
        {
            throw new InvalidOperationException("Save the booking before planning its SMS.");
        }

        var patient = await db.Patients.FindAsync([booking.PatientId], cancellationToken)
            ?? throw new InvalidOperationException($"Booking {booking.Id} refers to a missing patient.");
        var setting = await db.ReminderSettings.FindAsync([booking.PatientId], cancellationToken)
            ?? throw new InvalidOperationException($"Patient {booking.PatientId} has no reminder setting.");
        var unit = await db.Units.FindAsync([booking.Unit], cancellationToken)
            ?? throw new InvalidOperationException($"Booking {booking.Id} refers to a missing unit.");
        var existing = await db.Messages.Where(m => m.BookingId == booking.Id).ToListAsync(cancellationToken);
        Plan(booking, patient, setting, unit, existing);
    }

    /// <summary>Replans every booking of a patient that has not started yet (activation, block, number change…).</summary>
    public async Task PlanPatientAsync(long patientId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var bookings = await db.Bookings.Where(b => b.PatientId == patientId && b.Start > now).ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            await PlanBookingAsync(booking, cancellationToken);
        }
    }

    /// <summary>A unit's bookings that start after <paramref name="now"/>.</summary>
    internal static IQueryable<Booking> FutureBookings(RemindersDbContext db, HsaId unit, Instant now) =>
        db.Bookings.Where(b => b.Unit == unit && b.Start > now);

    /// <summary>The patients, settings and SMS of <paramref name="bookings"/>, untracked (the SQL Server tests parse them).</summary>
    internal static (IQueryable<Patient> Patients, IQueryable<ReminderSetting> Settings, IQueryable<OutgoingSms> Messages) UnitPlanningReads(
        RemindersDbContext db, IQueryable<Booking> bookings) =>
        (db.Patients.AsNoTracking().Where(p => bookings.Select(b => b.PatientId).Contains(p.Id)),
         db.ReminderSettings.AsNoTracking().Where(s => bookings.Select(b => b.PatientId).Contains(s.PatientId)),
         db.Messages.AsNoTracking().Where(m => bookings.Select(b => b.Id).Contains(m.BookingId)));

    /// <summary>
    /// Replans every booking at a unit that has not started yet (unit renamed, SMS switched off…). A unit can
    /// have 100 000 future bookings (issue #9), so this is the bulk path: what the decisions need is read without
    /// tracking, set-based, with the same filter as the bookings (the unit once, tracked, as the caller changed it;
    /// the bookings' patients, settings and SMS in one query each); each booking is decided and reconciled in memory
    /// exactly as <see cref="PlanBookingAsync"/> does it (the same <see cref="ReminderDecider"/> and
    /// <see cref="SmsPlanner"/>); the SMS changes are kept aside (<see cref="BulkSmsChanges"/>) and written by
    /// <see cref="SaveAsync"/> in the same transaction as the change, with the same concurrency checks.
    /// When the context already tracks bookings, patients, settings or SMS (a change to them must be seen by the
    /// decisions), every booking is planned the one-by-one way instead.
    /// </summary>
    public async Task PlanUnitAsync(HsaId unit, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var unitBookings = FutureBookings(db, unit, now);
        if (TracksPlanningEntities())
        {
            foreach (var tracked in await unitBookings.ToListAsync(cancellationToken))
            {
                await PlanBookingAsync(tracked, cancellationToken);
            }

            return;
        }

        var bookings = await unitBookings.AsNoTracking().ToListAsync(cancellationToken);
        if (bookings.Count == 0)
        {
            return;
        }

        var careUnit = await db.Units.FindAsync([unit], cancellationToken)
            ?? throw new InvalidOperationException($"Booking {bookings[0].Id} refers to a missing unit.");

        // "IN (the unit's future bookings)": driven by the bookings' (Unit, Start) index and then the primary keys and
        // the SMS' BookingId index, so the cost follows the unit's bookings, not the size of the tables (1 M patients).
        var (patientsOf, settingsOf, messagesOf) = UnitPlanningReads(db, unitBookings);
        var patients = (await patientsOf.ToListAsync(cancellationToken)).ToDictionary(p => p.Id);
        var settings = (await settingsOf.ToListAsync(cancellationToken)).ToDictionary(s => s.PatientId);

        // Each booking's SMS in id order, the order its own query (by the BookingId index) returns them in.
        var messages = (await messagesOf.ToListAsync(cancellationToken))
            .OrderBy(m => m.Id)
            .ToLookup(m => m.BookingId);

        var changes = _bulk ??= new BulkSmsChanges();
        foreach (var booking in bookings)
        {
            // A booking moved to this unit between the queries is planned the one-by-one way (tracked).
            if (!patients.TryGetValue(booking.PatientId, out var patient) || !settings.TryGetValue(booking.PatientId, out var setting))
            {
                await PlanBookingAsync(await db.Bookings.SingleAsync(b => b.Id == booking.Id, cancellationToken), cancellationToken);
                continue;
            }

            var existing = messages[booking.Id].ToList();
            var originals = BulkSmsChanges.Snapshot(existing);
            changes.Record(existing, originals, Reconcile(booking, patient, setting, careUnit, existing));
        }
    }

    /// <summary>Decides the booking's SMS now and reconciles them with its existing ones; new SMS are added to the context.</summary>
    private void Plan(Booking booking, Patient patient, ReminderSetting setting, CareUnit unit, List<OutgoingSms> existing) =>
        db.Messages.AddRange(Reconcile(booking, patient, setting, unit, existing));

    /// <summary>The one decision (R24) and its reconciliation with the booking's SMS (R22, R23); returns the new SMS.</summary>
    private IReadOnlyList<OutgoingSms> Reconcile(Booking booking, Patient patient, ReminderSetting setting, CareUnit unit, List<OutgoingSms> existing)
    {
        var now = clock.GetCurrentInstant();
        var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, policy.Current);
        return SmsPlanner.Reconcile(booking.Id, booking.Start, booking.Status == BookingStatus.Cancelled, decision, existing, now, NewCallbackToken);
    }

    private bool TracksPlanningEntities() =>
        db.ChangeTracker.Entries<OutgoingSms>().Any() || db.ChangeTracker.Entries<Booking>().Any()
        || db.ChangeTracker.Entries<Patient>().Any() || db.ChangeTracker.Entries<ReminderSetting>().Any();

    /// <summary>
    /// Saves a change together with its replanned SMS. When the only conflicts are SMS rows the dispatcher
    /// moved on meanwhile (claimed or started sending them), those rows are reloaded, their bookings planned
    /// again, and the save retried: an SMS in flight never vetoes the change that caused the replanning (for
    /// example a patient becoming protected, R14, or a cancellation, R22). Any other conflict is the caller's.
    /// After a bulk <see cref="PlanUnitAsync"/>, the tracked changes and the bulk SMS changes are written in one
    /// transaction (the caller's, or one of its own), all or nothing; a bulk update that finds its SMS moved on is
    /// not applied, and that booking is replanned from the stored rows, tracked, and saved the way above.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        if (_bulk is not { } bulk)
        {
            await SaveTrackedAsync(cancellationToken);
            return;
        }

        _bulk = null;
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        await SaveTrackedAsync(cancellationToken);
        var conflicts = await bulk.WriteAsync(db, cancellationToken);
        if (conflicts.Count > 0)
        {
            foreach (var id in conflicts)
            {
                await PlanBookingAsync(await db.Bookings.SingleAsync(b => b.Id == id, cancellationToken), cancellationToken);
            }

            await SaveTrackedAsync(cancellationToken);
        }

        if (own is not null)
        {
            await own.CommitAsync(cancellationToken);
        }
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
            catch (DbUpdateConcurrencyException conflict) when (attempt < 5 && conflict.Entries.All(e => e.Entity is OutgoingSms))
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
                        await PlanBookingAsync(booking, cancellationToken);
                    }
                }
            }
        }
    }

    /// <summary>An unguessable token for the delivery callback URL (256 bits).</summary>
    public static string NewCallbackToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
