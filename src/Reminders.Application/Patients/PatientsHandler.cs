using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.Patients;

/// <summary>A patient as the API shows it; the mobile is never shown for protected identity (R14).</summary>
public sealed record PatientView(string Id, string Name, bool ProtectedIdentity, string? Mobile, Instant? MobileUpdatedAt, bool ConsentIn1177)
{
    public static PatientView From(Patient p)
    {
        var shown = ShownNumbers.Of(p);
        return new(p.IdentityNumber.Value, p.Name, p.ProtectedIdentity, shown.Mobile?.Value, shown.MobileUpdatedAt, p.ConsentIn1177);
    }
}

/// <summary>What the population register / 1177 feed delivers (R15).</summary>
public sealed record PatientInput(string Name, bool ProtectedIdentity, PhoneNumber? Mobile, Instant? MobileUpdatedAt, bool ConsentIn1177);

/// <summary>A comment of the reminder log.</summary>
public sealed record CommentView(Instant At, string Text);

/// <summary>The reminder setting as the API shows it (R14: no numbers for protected identity).</summary>
/// <remarks>Added to the contract's fields: <c>vasBlockedUnits</c>, the units blocked in VAS kept as history, not in force (R32, rev. 2).</remarks>
public sealed record ReminderSettingView(string Patient, ReminderStatus Status, IReadOnlyList<string> BlockedUnits, IReadOnlyList<string> GuardianNumbers, string? NotActivatedReason, IReadOnlyList<CommentView> Comments, IReadOnlyList<string> VasBlockedUnits)
{
    public static ReminderSettingView From(Patient patient, ReminderSetting setting) => new(
        patient.IdentityNumber.Value,
        setting.Status,
        setting.Blocks.Select(b => b.Unit.Value).ToList(),
        ShownNumbers.Of(patient, setting).Guardians.Select(g => g.Number.Value).ToList(),
        setting.NotActivatedReason == Domain.Reminders.NotActivatedReason.None
            ? (patient.ProtectedIdentity && setting.Status == ReminderStatus.NotActivated ? nameof(Domain.Reminders.NotActivatedReason.ProtectedIdentity) : null)
            : setting.NotActivatedReason.ToString(),
        setting.Comments.Select(c => new CommentView(c.At, c.Text)).ToList(),
        setting.VasBlocks.Select(b => b.Unit.Value).ToList());
}

/// <summary>
/// Which patient a change concerns: by identity number (the API) or internal id (the check-in pages, so that
/// no personnummer travels in a URL), with the setting's <see cref="ReminderSetting.Version"/> the caller
/// showed, when it has one: a change against a stale copy is refused as a conflict.
/// </summary>
public readonly record struct PatientRef(long? Id, PersonalIdentityNumber? Number, int? ExpectedVersion = null)
{
    public static implicit operator PatientRef(PersonalIdentityNumber number) => new(null, number);

    public static PatientRef ById(long id, int? expectedVersion = null) => new(id, null, expectedVersion);
}

/// <summary>
/// The register feed (R15: the only way the mobile changes) and the reminder setting's operations (R1, R3, R5,
/// R11, R13, R14, R16). Every read and change is audited in the same save; every change replans the
/// patient's bookings in the same save.
/// </summary>
public sealed class PatientsHandler(RemindersDbContext db, ChangeWriter writer, AuditLog audit, IClock clock)
{
    private const string NotFoundText = "Patienten finns inte.";

    /// <summary>
    /// R15: the register feed creates or updates the patient. An update is one save, checked against
    /// <see cref="Patient.Version"/> as read and holding no transaction before it: a mobile registered at the desk
    /// meanwhile (R15b) is not overwritten, the feed gets <see cref="OutcomeKind.Conflict"/> (issue #16). A new
    /// patient and their setting are saved together.
    /// </summary>
    public async Task<Outcome<PatientView>> PutAsync(PersonalIdentityNumber id, PatientInput input, Actor actor, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == id, cancellationToken);
        if (patient is not null)
        {
            var changes = patient.UpdateFromRegister(input.Name, input.ProtectedIdentity, input.Mobile, input.MobileUpdatedAt, input.ConsentIn1177);
            var replan = (changes & ~PatientChanges.Name) != PatientChanges.None ? Replan.Patient(patient.Id) : Replan.None;
            var update = new Change(actor, AuditAction.UpdatePatient, null, patient.Id, replan, new { changes = changes.ToString() });
            return await writer.SaveAsync(update, () => Outcome.Ok(PatientView.From(patient)), cancellationToken);
        }

        await using var transaction = await writer.BeginAsync(cancellationToken);
        var created = Patient.Create(id, input.Name);
        db.Patients.Add(created);
        await writer.AssignIdsAsync(cancellationToken);
        db.ReminderSettings.Add(ReminderSetting.CreateFor(created.Id));
        var delivered = created.UpdateFromRegister(input.Name, input.ProtectedIdentity, input.Mobile, input.MobileUpdatedAt, input.ConsentIn1177);
        var create = new Change(actor, AuditAction.CreatePatient, null, created.Id, Replan.None, new { changes = delivered.ToString() });
        var outcome = await writer.SaveAsync(create, () => Outcome.Created(PatientView.From(created)), cancellationToken);
        if (outcome.Succeeded)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    public async Task<Outcome<ReminderSettingView>> GetSettingAsync(PersonalIdentityNumber id, Actor actor, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == id, cancellationToken);
        if (patient is null)
        {
            return Outcome.NotFound<ReminderSettingView>(NotFoundText);
        }

        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id, cancellationToken);
        await audit.AppendNowAsync(AuditAction.ViewReminderSetting, actor, null, patient.Id, null, cancellationToken);
        return Outcome.Ok(ReminderSettingView.From(patient, setting));
    }

    /// <summary>R1, R2, R14.</summary>
    public Task<Outcome<ReminderSettingView>> ActivateAsync(PatientRef patient, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.Activate, null, (p, s, c) => s.Activate(p, c), cancellationToken);

    /// <summary>R5.</summary>
    public Task<Outcome<ReminderSettingView>> DeactivateAsync(PatientRef patient, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.Deactivate, null, (_, s, c) => s.Deactivate(c), cancellationToken);

    /// <summary>R6, R40: the patient answered no to "Vill du ha sms-påminnelser?"; refused while activated.</summary>
    public Task<Outcome<ReminderSettingView>> DeclineAsync(PatientRef patient, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.Decline, null, (_, s, c) => s.Decline(c), cancellationToken);

    /// <summary>R3: any unit may register a block for any unit.</summary>
    public Task<Outcome<ReminderSettingView>> BlockAsync(PatientRef patient, HsaId blocked, HsaId? atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.Block, new { blockedUnit = blocked.Value }, (_, s, c) => s.Block(blocked, c), cancellationToken);

    /// <summary>R3.</summary>
    public Task<Outcome<ReminderSettingView>> UnblockAsync(PatientRef patient, HsaId blocked, HsaId? atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.Unblock, new { unblockedUnit = blocked.Value }, (_, s, _) => s.Unblock(blocked), cancellationToken);

    /// <summary>R11, R13, R14, R16: replaces the guardian numbers.</summary>
    public Task<Outcome<ReminderSettingView>> SetGuardianNumbersAsync(PatientRef patient, IReadOnlyList<PhoneNumber> numbers, Actor actor, CancellationToken cancellationToken, HsaId? atUnit = null) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.SetGuardianNumbers, new { count = numbers.Distinct().Count() }, (p, s, c) => s.SetGuardianNumbers(p, numbers, c), cancellationToken);

    /// <summary>R11, R13, R14, R16: adds one guardian number to those registered (decided on the stored list, not the caller's copy).</summary>
    public Task<Outcome<ReminderSettingView>> AddGuardianNumberAsync(PatientRef patient, PhoneNumber number, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.AddGuardianNumber, null, (p, s, c) =>
        {
            var numbers = s.GuardianNumbers.Select(g => g.Number).Append(number).ToList();
            return s.SetGuardianNumbers(p, numbers, c);
        }, cancellationToken);

    /// <summary>R11: removes the guardian number at <paramref name="position"/> (0-based); numbers never travel in the form (R14).</summary>
    public Task<Outcome<ReminderSettingView>> RemoveGuardianNumberAsync(PatientRef patient, int position, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.RemoveGuardianNumber, new { position }, (p, s, c) =>
        {
            if (position < 0 || position >= s.GuardianNumbers.Count)
            {
                return Result.Ok;
            }

            var numbers = s.GuardianNumbers.Select(g => g.Number).Where((_, i) => i != position).ToList();
            return s.SetGuardianNumbers(p, numbers, c);
        }, cancellationToken);

    /// <summary>R12: the patient confirms at check-in that the mobile is their own (audited).</summary>
    public Task<Outcome<ReminderSettingView>> ConfirmMobileAsync(PatientRef patient, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.ConfirmMobile, null, (p, s, c) => s.ConfirmMobileIsOwn(p, c), cancellationToken);

    /// <summary>R15, R15b, R16: registers the mobile a samordningsnummer holder gives at check-in; refused for personnummer.</summary>
    public Task<Outcome<ReminderSettingView>> RegisterMobileAsync(PatientRef patient, PhoneNumber number, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(patient, atUnit, actor, AuditAction.RegisterMobile, null, (p, _, c) => p.RegisterMobileAtCheckIn(number, c.At), cancellationToken);

    private async Task<Outcome<ReminderSettingView>> ChangeAsync(
        PatientRef which,
        HsaId? atUnit,
        Actor actor,
        AuditAction action,
        object? details,
        Func<Patient, ReminderSetting, ChangeContext, Result> change,
        CancellationToken cancellationToken)
    {
        var patient = which.Id is { } patientId
            ? await db.Patients.SingleOrDefaultAsync(p => p.Id == patientId, cancellationToken)
            : await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == which.Number, cancellationToken);
        if (patient is null)
        {
            return Outcome.NotFound<ReminderSettingView>(NotFoundText);
        }

        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id, cancellationToken);
        var record = new Change(actor, action, atUnit?.Value, patient.Id, Replan.Patient(patient.Id), details);

        // The caller's copy is stale: someone else changed the setting since it was shown (nothing is overwritten).
        if (which.ExpectedVersion is { } expected && expected != setting.Version)
        {
            return await writer.ConflictAsync<ReminderSettingView>(record, cancellationToken);
        }

        var result = change(patient, setting, new ChangeContext(clock.GetCurrentInstant(), atUnit, actor.Channel));
        if (!result.Succeeded)
        {
            return await writer.RefuseAsync<ReminderSettingView>(record, result.Reasons, cancellationToken);
        }

        return await writer.SaveAsync(record, () => Outcome.Ok(ReminderSettingView.From(patient, setting)), cancellationToken);
    }
}
