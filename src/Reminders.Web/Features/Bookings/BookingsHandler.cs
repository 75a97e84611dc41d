using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using ReadAuditWriter = Reminders.Infrastructure.Audit.ReadAuditWriter;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Units;

namespace Reminders.Web.Features.Bookings;

/// <summary>A booking as the API shows it.</summary>
public sealed record BookingView(string Id, string Patient, string Unit, Instant Start, Instant BookedAt, BookingStatus Status, BookingOutcome Outcome);

/// <summary>What the booking system sends.</summary>
public sealed record BookingInput(PersonalIdentityNumber Patient, HsaId Unit, Instant Start, Instant? BookedAt);

/// <summary>A reason as the API shows it.</summary>
public sealed record ReasonView(string Rule, string Code, string Text)
{
    public static IReadOnlyList<ReasonView> From(IEnumerable<Reason> reasons) => reasons.Select(r => new ReasonView(r.Rule, r.Code, r.Text)).ToList();
}

/// <summary>One SMS of a booking (R24). <c>Sending</c> (an attempt in progress) shows as Pending; numbers are hidden for protected identity (R14).</summary>
public sealed record MessageView(SmsKind Kind, string? To, Recipient Recipient, Instant DueAt, string Status, string Text, IReadOnlyList<ReasonView> Reasons, string? Error);

/// <summary>A kind of SMS the booking gets no SMS of, and why.</summary>
public sealed record NotSentView(SmsKind Kind, IReadOnlyList<ReasonView> Reasons);

/// <summary>R24: which SMS, to whom, when, or exactly why not.</summary>
public sealed record BookingMessagesView(IReadOnlyList<MessageView> Messages, IReadOnlyList<NotSentView> NotSent);

/// <summary>Bookings from the booking system: create or move, cancel, outcome, and the R24 explanation.</summary>
public sealed class BookingsHandler(RemindersDbContext db, ReminderPlanner planner, ISmsPolicySource policy, IClock clock, ReadAuditWriter reads, UnitDirectory units)
{
    private const string NotFoundText = "Bokningen finns inte.";

    /// <summary>R20–R23: creates or moves a booking and plans its SMS in the same transaction.</summary>
    public async Task<Outcome<BookingView>> PutAsync(string externalId, BookingInput input, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == input.Patient, cancellationToken);
        if (patient is null)
        {
            return Outcome.Invalid<BookingView>("patient", "Patienten finns inte. Skicka patienten först (PUT /api/v1/patients/{id}).");
        }

        var unit = await db.Units.SingleOrDefaultAsync(u => u.HsaId == input.Unit, cancellationToken);
        if (unit is null)
        {
            return Outcome.Invalid<BookingView>("unit", "Enheten finns inte.");
        }

        if (!unit.Active)
        {
            return Outcome.Invalid<BookingView>("unit", "Enheten är inaktiverad och tar inte emot bokningar.");
        }

        var bookedAt = input.BookedAt ?? now;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        var created = booking is null;
        if (booking is null)
        {
            booking = Booking.Create(externalId, patient.Id, unit.HsaId, input.Start, bookedAt);
            db.Bookings.Add(booking);
            await db.SaveChangesAsync(cancellationToken);
            await planner.PlanBookingAsync(booking, cancellationToken);
        }
        else
        {
            var previousPatient = booking.PatientId;
            if (booking.Reschedule(patient.Id, unit.HsaId, input.Start, bookedAt))
            {
                await planner.PlanBookingAsync(booking, cancellationToken);
            }

            if (previousPatient != patient.Id)
            {
                AuditRows.Add(db, now, actor, unit.HsaId.Value, previousPatient, "MoveBookingAway", new { booking = booking.Id });
            }
        }

        AuditRows.Add(db, now, actor, unit.HsaId.Value, patient.Id, created ? "CreateBooking" : "UpdateBooking", new { booking = booking.Id });
        await planner.SaveAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var view = View(booking, patient.IdentityNumber);
        return created ? Outcome.Created(view) : Outcome.Ok(view);
    }

    /// <summary>R22: cancels the booking; its pending SMS are cancelled in the same save.</summary>
    public async Task<Outcome<BookingView>> CancelAsync(string externalId, Actor actor, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        if (booking is null)
        {
            return Outcome.NotFound<BookingView>(NotFoundText);
        }

        var now = clock.GetCurrentInstant();
        if (booking.Cancel(now))
        {
            await planner.PlanBookingAsync(booking, cancellationToken);
        }

        AuditRows.Add(db, now, actor, booking.Unit.Value, booking.PatientId, "CancelBooking", new { booking = booking.Id });
        await planner.SaveAsync(cancellationToken);
        return Outcome.Ok(View(booking, await IdentityOfAsync(booking.PatientId, cancellationToken)));
    }

    /// <summary>R61.</summary>
    public async Task<Outcome<BookingView>> RecordOutcomeAsync(string externalId, BookingOutcome outcome, Actor actor, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        if (booking is null)
        {
            return Outcome.NotFound<BookingView>(NotFoundText);
        }

        var now = clock.GetCurrentInstant();
        var result = booking.RecordOutcome(outcome, now);
        if (!result.Succeeded)
        {
            await AuditRows.AddRefusalAsync(db, now, actor, booking.Unit.Value, booking.PatientId, "RecordOutcome", result.Reasons.Select(r => r.Rule), cancellationToken);
            return Outcome.Refused<BookingView>(result.Reasons);
        }

        AuditRows.Add(db, now, actor, booking.Unit.Value, booking.PatientId, "RecordOutcome", new { booking = booking.Id, outcome = outcome.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok(View(booking, await IdentityOfAsync(booking.PatientId, cancellationToken)));
    }

    /// <summary>R24: the booking's SMS with their reasons, and the kinds not sent with the rules that stop them now.</summary>
    public async Task<Outcome<BookingMessagesView>> MessagesAsync(string externalId, Actor actor, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.AsNoTracking().SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        if (booking is null)
        {
            return Outcome.NotFound<BookingMessagesView>(NotFoundText);
        }

        // A read: nothing is tracked (the audit row is written by the group commit, not by this context).
        var head = await PatientReads.WithSettingAsync(db, booking.PatientId, cancellationToken)
            ?? throw new InvalidOperationException("A booking's patient is not in the store.");
        var (patient, setting) = (head.Patient, head.Setting);
        var unit = await units.FindAsync(booking.Unit, cancellationToken) ?? throw new InvalidOperationException("A booking's unit is not in the unit list.");
        var messages = await db.Messages.AsNoTracking().Where(m => m.BookingId == booking.Id).OrderBy(m => m.Id).ToListAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, policy.Current);

        var view = new BookingMessagesView(
            messages.Select(m => new MessageView(
                m.Kind,
                patient.ProtectedIdentity ? null : m.To.Value,
                m.Recipient,
                m.DueAt,
                (m.Status == SmsStatus.Sending ? SmsStatus.Pending : m.Status).ToString(),
                m.Text,
                ReasonView.From(m.Reasons),
                m.Status == SmsStatus.Failed ? m.LastError : null)).ToList(),
            decision.NotSent.Select(n => new NotSentView(n.Kind, ReasonView.From(n.Reasons))).ToList());

        await AuditRows.AppendReadAsync(reads, now, actor, booking.Unit.Value, booking.PatientId, "ViewBookingMessages", new { booking = booking.Id }, cancellationToken);
        return Outcome.Ok(view);
    }

    private async Task<PersonalIdentityNumber> IdentityOfAsync(long patientId, CancellationToken cancellationToken) =>
        (await db.Patients.SingleAsync(p => p.Id == patientId, cancellationToken)).IdentityNumber;

    private static BookingView View(Booking b, PersonalIdentityNumber patient) =>
        new(b.ExternalId, patient.Value, b.Unit.Value, b.Start, b.BookedAt, b.Status, b.Outcome);
}
