using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.EService;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Application.Changes;
using Reminders.Application.Patients;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.EService;

/// <summary>An open request as the inbox shows it: the patient's current state and what applying would do.</summary>
/// <param name="Request">The request.</param>
/// <param name="Patient">The patient.</param>
/// <param name="Setting">The current reminder setting.</param>
/// <param name="ConcernsUnitName">The name of the unit a block/unblock concerns.</param>
/// <param name="Effect">What applying would change, in Swedish.</param>
/// <param name="WouldRefuse">The rules that would refuse it (empty when it can be applied).</param>
public sealed record InboxItem(EServiceRequest Request, Patient Patient, ReminderSetting Setting, string? ConcernsUnitName, string Effect, IReadOnlyList<Reason> WouldRefuse)
{
    /// <summary>The number the resident gave, never for a protected patient (R14).</summary>
    public string? ShownNumber => ShownNumbers.Of(Patient).Show(Request.Number);
}

/// <summary>
/// R45: the receiving unit's inbox. Applying goes through <see cref="PatientsHandler"/> — the same paths,
/// rules, refusals and audit rows as check-in — with channel EService; the request is then closed where it
/// arrived (never forwarded). Rejecting closes it with a standard answer.
/// </summary>
public sealed class EServiceInbox(RemindersDbContext db, PatientsHandler patients, ChangeWriter writer, IClock clock)
{
    /// <summary>The answer recorded when a request is applied.</summary>
    public const string AppliedAnswer = "Din begäran är genomförd.";

    /// <summary>R45: the standard answer recorded when a request of <paramref name="kind"/> is applied.</summary>
    public static string AppliedAnswerFor(EServiceKind kind) => kind switch
    {
        EServiceKind.Deactivate => "Din begäran är genomförd: du får inga sms-påminnelser från regionen. Du kan aktivera dem igen via e-tjänsten eller på din mottagning.",
        _ => AppliedAnswer,
    };

    /// <summary>Open requests received at <paramref name="unit"/>, oldest first.</summary>
    public async Task<IReadOnlyList<InboxItem>> OpenAsync(HsaId unit, CancellationToken cancellationToken)
    {
        var requests = await db.EServiceRequests.AsNoTracking()
            .Where(r => r.ReceivedAtUnit == unit && r.Status == EServiceStatus.Open)
            .OrderBy(r => r.ReceivedAt).Take(200).ToListAsync(cancellationToken);
        var ids = requests.Select(r => r.PatientId).Distinct().ToList();
        var people = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var names = (await db.Units.AsNoTracking().ToListAsync(cancellationToken)).ToDictionary(u => u.HsaId, u => u.Name);
        var items = new List<InboxItem>(requests.Count);
        foreach (var request in requests)
        {
            // A detached copy each: the dry run below changes it, and nothing of it is saved.
            var setting = await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.PatientId == request.PatientId, cancellationToken);
            var current = await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.PatientId == request.PatientId, cancellationToken);
            var patient = people[request.PatientId];
            var (effect, refusals) = DryRun(request, patient, setting, names);
            items.Add(new InboxItem(request, patient, current, request.ConcernsUnit is null ? null : names.GetValueOrDefault(request.ConcernsUnit), effect, refusals));
        }

        return items;
    }

    /// <summary>
    /// Applies the request through the check-in paths; refused requests stay open. The request is taken in hand
    /// first (<see cref="ClaimAsync"/>): of two staff applying it at the same time, one applies it and the other is
    /// told it was already handled, with nothing of theirs applied.
    /// </summary>
    public async Task<Outcome<EServiceRequest>> ApplyAsync(long requestId, HsaId atUnit, Actor actor, CancellationToken cancellationToken)
    {
        var (request, patient, problem) = await LoadOpenAsync(requestId, atUnit, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var eService = actor with { Channel = ChangeChannel.EService };
        await using var transaction = await writer.BeginAsync(cancellationToken);
        if (await ClaimAsync(request!, cancellationToken) is { } taken)
        {
            return taken;
        }

        var outcome = request!.Kind switch
        {
            EServiceKind.Activate => await patients.ActivateAsync(PatientRef.ById(patient!.Id), atUnit, eService, cancellationToken),
            EServiceKind.Block when request.ConcernsUnit is { } unit => await patients.BlockAsync(PatientRef.ById(patient!.Id), unit, atUnit, eService, cancellationToken),
            EServiceKind.Unblock when request.ConcernsUnit is { } unit => await patients.UnblockAsync(PatientRef.ById(patient!.Id), unit, atUnit, eService, cancellationToken),
            EServiceKind.GuardianNumber => await GuardianNumberAsync(request, patient!, atUnit, eService, cancellationToken),
            EServiceKind.Deactivate => await patients.DeactivateAsync(PatientRef.ById(patient!.Id), atUnit, eService, cancellationToken),
            _ => Outcome.Invalid<ReminderSettingView>("unit", "Ärendet saknar vilken enhet det gäller."),
        };
        if (!outcome.Succeeded)
        {
            // The refusal's audit row is kept; the request stays open (only its token moved on).
            await transaction.CommitAsync(cancellationToken);
            return Outcome.Failed<EServiceRequest, ReminderSettingView>(outcome);
        }

        // Still tracked as taken in hand (only a refusal clears the tracker).
        request.Close(applied: true, actor.Id, AppliedAnswerFor(request.Kind), clock.GetCurrentInstant());
        var change = new Change(eService, AuditAction.EServiceHandled, atUnit.Value, request.PatientId, Replan.None,
            new { request = request.Id, kind = request.Kind.ToString(), result = "applied" });
        var closed = await writer.SaveAsync(change, () => Outcome.Ok(request), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return closed;
    }

    /// <summary>Closes the request with a standard answer, changing nothing else; taken in hand first, as when applying.</summary>
    public async Task<Outcome<EServiceRequest>> RejectAsync(long requestId, HsaId atUnit, long answerId, Actor actor, CancellationToken cancellationToken)
    {
        var (request, _, problem) = await LoadOpenAsync(requestId, atUnit, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var answer = await db.StandardAnswers.AsNoTracking().SingleOrDefaultAsync(a => a.Id == answerId && a.Active, cancellationToken);
        if (answer is null)
        {
            return Outcome.Invalid<EServiceRequest>("answer", "Välj ett av standardsvaren.");
        }

        await using var transaction = await writer.BeginAsync(cancellationToken);
        if (await ClaimAsync(request!, cancellationToken) is { } taken)
        {
            return taken;
        }

        request!.Close(applied: false, actor.Id, answer.Text, clock.GetCurrentInstant());
        var change = new Change(actor with { Channel = ChangeChannel.EService }, AuditAction.EServiceHandled, atUnit.Value, request.PatientId, Replan.None,
            new { request = request.Id, kind = request.Kind.ToString(), result = "rejected", answer = answer.Id });
        var closed = await writer.SaveAsync(change, () => Outcome.Ok(request), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return closed;
    }

    /// <summary>
    /// Issue #16: takes the request in hand with the token it was read with; null when this caller has it. When
    /// another member of staff handled it meanwhile, nothing is saved (the transaction is not committed) and, like a
    /// request found closed, the answer is R45's "already handled"; when they took it in hand and a rule refused their
    /// change (it is still open), the answer is a conflict: try again.
    /// </summary>
    private async Task<Outcome<EServiceRequest>?> ClaimAsync(EServiceRequest request, CancellationToken cancellationToken)
    {
        if (request.TakeInHand() is { Succeeded: false } refused)
        {
            return Outcome.Refused<EServiceRequest>(refused.Reasons);
        }

        if (await writer.ClaimAsync(cancellationToken))
        {
            return null;
        }

        var now = await db.EServiceRequests.AsNoTracking().SingleAsync(r => r.Id == request.Id, cancellationToken);
        return now.Status == EServiceStatus.Open ? Outcome.Conflict<EServiceRequest>() : Outcome.Refused<EServiceRequest>([Reasons.RequestAlreadyHandled]);
    }

    private async Task<(EServiceRequest? Request, Patient? Patient, Outcome<EServiceRequest>? Problem)> LoadOpenAsync(long requestId, HsaId atUnit, CancellationToken cancellationToken)
    {
        // R45: handled where it arrived; another unit's request is not found from here. Tracked: its token as read
        // now is what taking it in hand checks.
        var request = await db.EServiceRequests.SingleOrDefaultAsync(r => r.Id == requestId && r.ReceivedAtUnit == atUnit, cancellationToken);
        if (request is null)
        {
            return (null, null, Outcome.NotFound<EServiceRequest>("Ärendet finns inte i den här enhetens inkorg."));
        }

        if (request.Status != EServiceStatus.Open)
        {
            return (null, null, Outcome.Refused<EServiceRequest>([Reasons.RequestAlreadyHandled]));
        }

        var patient = await db.Patients.AsNoTracking().SingleAsync(p => p.Id == request.PatientId, cancellationToken);
        return (request, patient, null);
    }

    /// <summary>R11, R13, R14, R16: the given number is added to those registered (at most two), as at check-in.</summary>
    private async Task<Outcome<ReminderSettingView>> GuardianNumberAsync(EServiceRequest request, Patient patient, HsaId atUnit, Actor actor, CancellationToken cancellationToken)
    {
        var parsed = PhoneNumber.Parse(request.Number);
        return parsed.Succeeded
            ? await patients.AddGuardianNumberAsync(PatientRef.ById(patient.Id), parsed.Value, atUnit, actor, cancellationToken)
            : Outcome.Refused<ReminderSettingView>(parsed.Reasons);
    }

    /// <summary>What applying would change, found by running the domain operation on a detached copy (no second copy of a rule).</summary>
    private (string Effect, IReadOnlyList<Reason> Refusals) DryRun(EServiceRequest request, Patient patient, ReminderSetting copy, Dictionary<HsaId, string> names)
    {
        var context = new ChangeContext(clock.GetCurrentInstant(), request.ReceivedAtUnit, ChangeChannel.EService);
        var before = copy.Version;
        string UnitName() => request.ConcernsUnit is { } u ? names.GetValueOrDefault(u) ?? u.Value : "(ingen enhet angiven)";
        Result result;
        string change;
        switch (request.Kind)
        {
            case EServiceKind.Activate:
                result = copy.Activate(patient, context);
                change = "Sms-påminnelser aktiveras för hela regionen.";
                break;
            case EServiceKind.Block when request.ConcernsUnit is { } unit:
                result = copy.Block(unit, context);
                change = $"{UnitName()} blockeras: patienten får inga sms därifrån.";
                break;
            case EServiceKind.Unblock when request.ConcernsUnit is { } unit:
                result = copy.Unblock(unit);
                change = $"Blockeringen av {UnitName()} tas bort.";
                break;
            case EServiceKind.GuardianNumber:
                var parsed = PhoneNumber.Parse(request.Number);
                if (!parsed.Succeeded)
                {
                    return ("Numret kan inte registreras.", parsed.Reasons);
                }

                result = copy.SetGuardianNumbers(patient, copy.GuardianNumbers.Select(g => g.Number).Append(parsed.Value).Distinct().ToList(), context);
                change = $"Numret läggs till som vårdnadshavares nummer ({copy.GuardianNumbers.Count} registrerade efteråt).";
                break;
            case EServiceKind.Deactivate:
                result = copy.Deactivate(context);
                change = "Sms-påminnelser avaktiveras helt: patienten får inga sms från någon enhet.";
                break;
            default:
                return ("Ärendet saknar vilken enhet det gäller.", []);
        }

        if (!result.Succeeded)
        {
            return ("Kan inte genomföras.", result.Reasons);
        }

        return copy.Version == before ? ("Ingen ändring: det är redan så.", []) : (change, []);
    }
}
