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
/// What a replanning changed: the SMS of the bookings planned one by one are tracked in the context; those of a
/// bulk <see cref="ReminderPlanner.PlanUnitAsync"/> are held here, outside the change tracker, until the write
/// primitive writes them with <see cref="ReminderPlanner.WriteBulkAsync"/> in the change's transaction. Returned
/// by the planner and passed on explicitly: the planner keeps no state between planning and saving.
/// </summary>
public sealed class SmsPlan
{
    internal SmsPlan(BulkSmsChanges? bulk) => Bulk = bulk;

    /// <summary>Every change of the plan is tracked in the context (saved by the context's save).</summary>
    public static SmsPlan Tracked { get; } = new(null);

    /// <summary>True when some of the plan's SMS changes are held outside the change tracker.</summary>
    public bool HasBulk => Bulk is not null;

    internal BulkSmsChanges? Bulk { get; }
}

/// <summary>
/// Replans the pending SMS of bookings after anything that can change them (R22, R23): it loads what the
/// decision needs, calls <see cref="ReminderDecider"/> and <see cref="SmsPlanner"/>, and returns what changed
/// (<see cref="SmsPlan"/>) for the application layer's write primitive to save in the same transaction as the
/// change itself, with its retry for SMS the dispatcher moved on meanwhile.
/// </summary>
public sealed class ReminderPlanner(RemindersDbContext db, IClock clock, ISmsPolicySource policy)
{
    /// <summary>Replans one booking (it must have been saved: its id is needed); its SMS changes are tracked.</summary>
    public async Task<SmsPlan> PlanBookingAsync(Booking booking, CancellationToken cancellationToken)
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
        var (decision, added) = Reconcile(booking, patient, setting, unit, existing);
        db.Messages.AddRange(added);

        // R60b: the answer is stored with the booking, saved with the change that caused the planning.
        booking.RecordReach(StoredReach.Of(decision, setting, patient));
        return SmsPlan.Tracked;
    }

    /// <summary>Replans every booking of a patient that has not started yet (activation, block, number change…); tracked.</summary>
    public async Task<SmsPlan> PlanPatientAsync(long patientId, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var bookings = await db.Bookings.Where(b => b.PatientId == patientId && b.Start > now).ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            await PlanBookingAsync(booking, cancellationToken);
        }

        return SmsPlan.Tracked;
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
    /// <see cref="SmsPlanner"/>); the SMS changes are returned in the plan (<see cref="BulkSmsChanges"/>) and written
    /// by <see cref="WriteBulkAsync"/> in the same transaction as the change, with the same concurrency checks.
    /// Only the unit may have changed: the decisions read bookings, patients, settings and SMS as stored.
    /// </summary>
    public async Task<SmsPlan> PlanUnitAsync(HsaId unit, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var unitBookings = FutureBookings(db, unit, now);
        var bookings = await unitBookings.AsNoTracking().ToListAsync(cancellationToken);
        if (bookings.Count == 0)
        {
            return SmsPlan.Tracked;
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

        var changes = new BulkSmsChanges();
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
            var (decision, added) = Reconcile(booking, patient, setting, careUnit, existing);
            changes.Record(existing, originals, added);
            changes.RecordReach(booking, StoredReach.Of(decision, setting, patient));
        }

        return new SmsPlan(changes);
    }

    /// <summary>
    /// Writes the bulk part of <paramref name="plan"/> in the context's current transaction (required). Returns the
    /// bookings whose stored SMS had moved on (claimed, started, retried by the dispatcher): nothing planned for them
    /// was written, and the caller replans them from what is stored now.
    /// </summary>
    public async Task<IReadOnlyCollection<long>> WriteBulkAsync(SmsPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Bulk is { } bulk ? await bulk.WriteAsync(db, cancellationToken) : [];
    }

    /// <summary>The one decision (R24) and its reconciliation with the booking's SMS (R22, R23); returns the decision and the new SMS.</summary>
    private (Decision Decision, IReadOnlyList<OutgoingSms> Added) Reconcile(Booking booking, Patient patient, ReminderSetting setting, CareUnit unit, List<OutgoingSms> existing)
    {
        var now = clock.GetCurrentInstant();
        var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, policy.Current);
        return (decision, SmsPlanner.Reconcile(booking.Id, booking.Start, booking.Status == BookingStatus.Cancelled, decision, existing, now, NewCallbackToken));
    }

    /// <summary>An unguessable token for the delivery callback URL (256 bits).</summary>
    public static string NewCallbackToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
