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

    /// <summary>
    /// Replans every booking at a unit that has not started yet (unit renamed, SMS switched off…). A unit can
    /// have 100 000 future bookings (issue #9): what the decisions need is loaded set-based, with the same
    /// filter as the bookings (the unit once; the bookings' patients, settings and SMS in one query each), and
    /// each booking is then planned in memory exactly as <see cref="PlanBookingAsync"/> plans it. Tracked
    /// queries resolve to entities already tracked, as <c>FindAsync</c> does.
    /// </summary>
    public async Task PlanUnitAsync(HsaId unit, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var bookings = await db.Bookings.Where(b => b.Unit == unit && b.Start > now).ToListAsync(cancellationToken);
        if (bookings.Count == 0)
        {
            return;
        }

        var careUnit = await db.Units.FindAsync([unit], cancellationToken)
            ?? throw new InvalidOperationException($"Booking {bookings[0].Id} refers to a missing unit.");
        var unitBookings = db.Bookings.Where(b => b.Unit == unit && b.Start > now);
        var patients = (await db.Patients.Where(p => unitBookings.Any(b => b.PatientId == p.Id)).ToListAsync(cancellationToken))
            .ToDictionary(p => p.Id);
        var settings = (await db.ReminderSettings.Where(s => unitBookings.Any(b => b.PatientId == s.PatientId)).ToListAsync(cancellationToken))
            .ToDictionary(s => s.PatientId);

        // Each booking's SMS in id order, the order its own query (by the BookingId index) returns them in.
        var messages = (await db.Messages.Where(m => unitBookings.Any(b => b.Id == m.BookingId)).ToListAsync(cancellationToken))
            .OrderBy(m => m.Id)
            .ToLookup(m => m.BookingId);

        // Planning only adds SMS and changes loaded ones: nothing in the loop needs the tracker to scan for
        // changes, so automatic detection (run by every Add) is off here; the save detects them once.
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var booking in bookings)
            {
                // A booking moved to this unit between the queries is planned the one-by-one way.
                if (!patients.TryGetValue(booking.PatientId, out var patient) || !settings.TryGetValue(booking.PatientId, out var setting))
                {
                    await PlanBookingAsync(booking, cancellationToken);
                    continue;
                }

                Plan(booking, patient, setting, careUnit, messages[booking.Id].ToList());
            }
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>Decides the booking's SMS now and reconciles them with its existing ones; new SMS are added to the context.</summary>
    private void Plan(Booking booking, Patient patient, ReminderSetting setting, CareUnit unit, List<OutgoingSms> existing)
    {
        var now = clock.GetCurrentInstant();
        var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, policy.Current);
        var added = SmsPlanner.Reconcile(booking.Id, booking.Start, booking.Status == BookingStatus.Cancelled, decision, existing, now, NewCallbackToken);
        db.Messages.AddRange(added);
    }

    /// <summary>
    /// Saves a change together with its replanned SMS. When the only conflicts are SMS rows the dispatcher
    /// moved on meanwhile (claimed or started sending them), those rows are reloaded, their bookings planned
    /// again, and the save retried: an SMS in flight never vetoes the change that caused the replanning (for
    /// example a patient becoming protected, R14, or a cancellation, R22). Any other conflict is the caller's.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
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
