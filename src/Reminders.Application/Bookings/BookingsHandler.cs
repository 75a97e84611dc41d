using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Units;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Units;
using Reminders.Application.Patients;

namespace Reminders.Application.Bookings;

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
public sealed class BookingsHandler(RemindersDbContext db, ChangeWriter writer, ISmsPolicySource policy, IClock clock, AuditLog audit, UnitDirectory units)
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
        await using var transaction = await writer.BeginAsync(cancellationToken);
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        var created = booking is null;
        var replan = Replan.None;
        if (booking is null)
        {
            booking = Booking.Create(externalId, patient.Id, unit.HsaId, input.Start, bookedAt);
            db.Bookings.Add(booking);
            await writer.AssignIdsAsync(cancellationToken);
            replan = Replan.Booking(booking);
        }
        else
        {
            var previousPatient = booking.PatientId;
            if (booking.Reschedule(patient.Id, unit.HsaId, input.Start, bookedAt))
            {
                replan = Replan.Booking(booking);
            }

            if (previousPatient != patient.Id)
            {
                // The patient the booking left is told in the log too (the change's own row names the new one).
                audit.Add(AuditAction.MoveBookingAway, actor, unit.HsaId.Value, previousPatient, new { booking = booking.Id });
            }
        }

        var change = new Change(actor, created ? AuditAction.CreateBooking : AuditAction.UpdateBooking, unit.HsaId.Value, patient.Id, replan, new { booking = booking.Id });
        var outcome = await writer.SaveAsync(change, () =>
        {
            var view = View(booking, patient.IdentityNumber);
            return created ? Outcome.Created(view) : Outcome.Ok(view);
        }, cancellationToken);
        if (outcome.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    /// <summary>R22: cancels the booking; its pending SMS are cancelled in the same save.</summary>
    public async Task<Outcome<BookingView>> CancelAsync(string externalId, Actor actor, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        if (booking is null)
        {
            return Outcome.NotFound<BookingView>(NotFoundText);
        }

        var identity = await IdentityOfAsync(booking.PatientId, cancellationToken);
        var replan = booking.Cancel(clock.GetCurrentInstant()) ? Replan.Booking(booking) : Replan.None;
        var change = new Change(actor, AuditAction.CancelBooking, booking.Unit.Value, booking.PatientId, replan, new { booking = booking.Id });
        return await writer.SaveAsync(change, () => Outcome.Ok(View(booking, identity)), cancellationToken);
    }

    /// <summary>R61.</summary>
    public async Task<Outcome<BookingView>> RecordOutcomeAsync(string externalId, BookingOutcome outcome, Actor actor, CancellationToken cancellationToken)
    {
        var booking = await db.Bookings.SingleOrDefaultAsync(b => b.ExternalId == externalId, cancellationToken);
        if (booking is null)
        {
            return Outcome.NotFound<BookingView>(NotFoundText);
        }

        var result = booking.RecordOutcome(outcome, clock.GetCurrentInstant());
        if (!result.Succeeded)
        {
            return await writer.RefuseAsync<BookingView>(new Change(actor, AuditAction.RecordOutcome, booking.Unit.Value, booking.PatientId, Replan.None), result.Reasons, cancellationToken);
        }

        var identity = await IdentityOfAsync(booking.PatientId, cancellationToken);
        var change = new Change(actor, AuditAction.RecordOutcome, booking.Unit.Value, booking.PatientId, Replan.None, new { booking = booking.Id, outcome = outcome.ToString() });
        return await writer.SaveAsync(change, () => Outcome.Ok(View(booking, identity)), cancellationToken);
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

        var shown = ShownNumbers.Of(patient, setting);
        var view = new BookingMessagesView(
            messages.Select(m => new MessageView(
                m.Kind,
                shown.Show(m.To)?.Value,
                m.Recipient,
                m.DueAt,
                (m.Status == SmsStatus.Sending ? SmsStatus.Pending : m.Status).ToString(),
                m.Text,
                ReasonView.From(m.Reasons),
                m.Status == SmsStatus.Failed ? m.LastError : null)).ToList(),
            decision.NotSent.Select(n => new NotSentView(n.Kind, ReasonView.From(n.Reasons))).ToList());

        await audit.AppendNowAsync(AuditAction.ViewBookingMessages, actor, booking.Unit.Value, booking.PatientId, new { booking = booking.Id }, cancellationToken);
        return Outcome.Ok(view);
    }

    private async Task<PersonalIdentityNumber> IdentityOfAsync(long patientId, CancellationToken cancellationToken) =>
        (await db.Patients.SingleAsync(p => p.Id == patientId, cancellationToken)).IdentityNumber;

    private static BookingView View(Booking b, PersonalIdentityNumber patient) =>
        new(b.ExternalId, patient.Value, b.Unit.Value, b.Start, b.BookedAt, b.Status, b.Outcome);
}
