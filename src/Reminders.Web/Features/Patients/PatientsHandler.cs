using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Web.Features.Patients;

/// <summary>A patient as the API shows it; the mobile is never shown for protected identity (R14).</summary>
public sealed record PatientView(string Id, string Name, bool ProtectedIdentity, string? Mobile, Instant? MobileUpdatedAt, bool ConsentIn1177)
{
    public static PatientView From(Patient p) => new(p.IdentityNumber.Value, p.Name, p.ProtectedIdentity,
        p.ProtectedIdentity ? null : p.Mobile?.Value, p.ProtectedIdentity ? null : p.MobileUpdatedAt, p.ConsentIn1177);
}

/// <summary>What the population register / 1177 feed delivers (R15).</summary>
public sealed record PatientInput(string Name, bool ProtectedIdentity, PhoneNumber? Mobile, Instant? MobileUpdatedAt, bool ConsentIn1177);

/// <summary>A comment of the reminder log.</summary>
public sealed record CommentView(Instant At, string Text);

/// <summary>The reminder setting as the API shows it (R14: no numbers for protected identity).</summary>
public sealed record ReminderSettingView(string Patient, ReminderStatus Status, IReadOnlyList<string> BlockedUnits, IReadOnlyList<string> GuardianNumbers, string? NotActivatedReason, IReadOnlyList<CommentView> Comments)
{
    public static ReminderSettingView From(Patient patient, ReminderSetting setting) => new(
        patient.IdentityNumber.Value,
        setting.Status,
        setting.Blocks.Select(b => b.Unit.Value).ToList(),
        patient.ProtectedIdentity ? [] : setting.GuardianNumbers.Select(g => g.Number.Value).ToList(),
        setting.NotActivatedReason == Domain.Reminders.NotActivatedReason.None
            ? (patient.ProtectedIdentity && setting.Status == ReminderStatus.NotActivated ? nameof(Domain.Reminders.NotActivatedReason.ProtectedIdentity) : null)
            : setting.NotActivatedReason.ToString(),
        setting.Comments.Select(c => new CommentView(c.At, c.Text)).ToList());
}

/// <summary>
/// The register feed (R15: the only way the mobile changes) and the reminder setting's operations (R1, R3, R5,
/// R11, R13, R14, R16). Every read and change is audited in the same save; every change replans the
/// patient's bookings in the same save.
/// </summary>
public sealed class PatientsHandler(RemindersDbContext db, ReminderPlanner planner, IClock clock)
{
    private const string NotFoundText = "Patienten finns inte.";

    public async Task<Outcome<PatientView>> PutAsync(PersonalIdentityNumber id, PatientInput input, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == id, cancellationToken);
        var created = patient is null;
        if (patient is null)
        {
            patient = Patient.Create(id, input.Name);
            db.Patients.Add(patient);
            await db.SaveChangesAsync(cancellationToken);
            db.ReminderSettings.Add(ReminderSetting.CreateFor(patient.Id));
        }

        var changes = patient.UpdateFromRegister(input.Name, input.ProtectedIdentity, input.Mobile, input.MobileUpdatedAt, input.ConsentIn1177);
        if (!created && (changes & ~PatientChanges.Name) != PatientChanges.None)
        {
            await planner.PlanPatientAsync(patient.Id, cancellationToken);
        }

        AuditRows.Add(db, now, actor, null, patient.Id, created ? "CreatePatient" : "UpdatePatient", new { changes = changes.ToString() });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created ? Outcome.Created(PatientView.From(patient)) : Outcome.Ok(PatientView.From(patient));
    }

    public async Task<Outcome<ReminderSettingView>> GetSettingAsync(PersonalIdentityNumber id, Actor actor, CancellationToken cancellationToken)
    {
        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == id, cancellationToken);
        if (patient is null)
        {
            return Outcome.NotFound<ReminderSettingView>(NotFoundText);
        }

        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id, cancellationToken);
        AuditRows.Add(db, clock.GetCurrentInstant(), actor, null, patient.Id, "ViewReminderSetting");
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok(ReminderSettingView.From(patient, setting));
    }

    /// <summary>R1, R2, R14.</summary>
    public Task<Outcome<ReminderSettingView>> ActivateAsync(PersonalIdentityNumber id, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, atUnit, actor, "Activate", null, (p, s, c) => s.Activate(p, c), cancellationToken);

    /// <summary>R5.</summary>
    public Task<Outcome<ReminderSettingView>> DeactivateAsync(PersonalIdentityNumber id, HsaId atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, atUnit, actor, "Deactivate", null, (_, s, c) => s.Deactivate(c), cancellationToken);

    /// <summary>R3: any unit may register a block for any unit.</summary>
    public Task<Outcome<ReminderSettingView>> BlockAsync(PersonalIdentityNumber id, HsaId blocked, HsaId? atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, atUnit, actor, "Block", new { blockedUnit = blocked.Value }, (_, s, c) => s.Block(blocked, c), cancellationToken);

    /// <summary>R3.</summary>
    public Task<Outcome<ReminderSettingView>> UnblockAsync(PersonalIdentityNumber id, HsaId blocked, HsaId? atUnit, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, atUnit, actor, "Unblock", new { unblockedUnit = blocked.Value }, (_, s, _) => s.Unblock(blocked), cancellationToken);

    /// <summary>R11, R13, R14, R16.</summary>
    public Task<Outcome<ReminderSettingView>> SetGuardianNumbersAsync(PersonalIdentityNumber id, IReadOnlyList<PhoneNumber> numbers, Actor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, null, actor, "SetGuardianNumbers", new { count = numbers.Distinct().Count() }, (p, s, c) => s.SetGuardianNumbers(p, numbers, c), cancellationToken);

    private async Task<Outcome<ReminderSettingView>> ChangeAsync(
        PersonalIdentityNumber id,
        HsaId? atUnit,
        Actor actor,
        string action,
        object? details,
        Func<Patient, ReminderSetting, ChangeContext, Result> change,
        CancellationToken cancellationToken)
    {
        var patient = await db.Patients.SingleOrDefaultAsync(p => p.IdentityNumber == id, cancellationToken);
        if (patient is null)
        {
            return Outcome.NotFound<ReminderSettingView>(NotFoundText);
        }

        var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id, cancellationToken);
        var now = clock.GetCurrentInstant();
        var result = change(patient, setting, new ChangeContext(now, atUnit, actor.Channel));
        if (!result.Succeeded)
        {
            await AuditRows.AddRefusalAsync(db, now, actor, atUnit?.Value, patient.Id, action, result.Reasons.Select(r => r.Rule), cancellationToken);
            return Outcome.Refused<ReminderSettingView>(result.Reasons);
        }

        await planner.PlanPatientAsync(patient.Id, cancellationToken);
        AuditRows.Add(db, now, actor, atUnit?.Value, patient.Id, action, details);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Ok(ReminderSettingView.From(patient, setting));
    }
}
