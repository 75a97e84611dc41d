using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.EService;
using Reminders.Domain.Identity;
using Reminders.Domain.Units;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.EService;

/// <summary>A 1177 e-service request as it lands in the receiving unit's inbox (R45).</summary>
public sealed record EServiceRequestInput(HsaId ReceivedAtUnit, PersonalIdentityNumber Patient, EServiceKind Kind, HsaId? Unit, string? Number);

/// <summary>The stored request.</summary>
public sealed record EServiceRequestView(long Id, string ReceivedAtUnit, string Patient, EServiceKind Kind, string? Unit, EServiceStatus Status, Instant ReceivedAt);

/// <summary>R45: requests land where they were submitted and are handled there, whichever unit they concern.</summary>
public sealed class EServiceRequestsHandler(RemindersDbContext db, ChangeWriter writer, IClock clock)
{
    public async Task<Outcome<EServiceRequestView>> ReceiveAsync(EServiceRequestInput input, Actor actor, CancellationToken cancellationToken)
    {
        if (!await db.Units.AnyAsync(u => u.HsaId == input.ReceivedAtUnit, cancellationToken))
        {
            return Outcome.Invalid<EServiceRequestView>("receivedAtUnit", "Enheten finns inte.");
        }

        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == input.Patient, cancellationToken);
        if (patient is null)
        {
            return Outcome.Invalid<EServiceRequestView>("patient", "Patienten finns inte.");
        }

        var now = clock.GetCurrentInstant();
        var request = EServiceRequest.Receive(input.ReceivedAtUnit, patient.Id, input.Kind, input.Unit, input.Number, now);
        db.EServiceRequests.Add(request);
        var change = new Change(actor, AuditAction.ReceiveEServiceRequest, input.ReceivedAtUnit.Value, patient.Id, Replan.None, new { kind = input.Kind.ToString(), unit = input.Unit?.Value });
        return await writer.SaveAsync(change, () => Outcome.Created(new EServiceRequestView(request.Id, request.ReceivedAtUnit.Value, patient.IdentityNumber.Value, request.Kind,
            request.ConcernsUnit?.Value, request.Status, request.ReceivedAt)), cancellationToken);
    }
}
