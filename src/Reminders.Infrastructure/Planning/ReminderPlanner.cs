using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
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

        var now = clock.GetCurrentInstant();
        var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, policy.Current);
        var added = SmsPlanner.Reconcile(booking.Id, booking.Start, booking.Status == BookingStatus.Cancelled, decision, existing, now, NewCallbackToken);
        db.Messages.AddRange(added);
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

    /// <summary>Replans every booking at a unit that has not started yet (unit renamed, SMS switched off…).</summary>
    public async Task PlanUnitAsync(HsaId unit, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var bookings = await db.Bookings.Where(b => b.Unit == unit && b.Start > now).ToListAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            await PlanBookingAsync(booking, cancellationToken);
        }
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
