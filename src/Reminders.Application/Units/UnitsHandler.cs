using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Texts;
using Reminders.Domain.Units;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.Units;

/// <summary>A care unit as the API shows it.</summary>
public sealed record UnitView(string HsaId, string Name, string Clinic, bool UsesSmsReminders, bool OffersSelfCheckIn, bool Active, bool CentralReception)
{
    public static UnitView From(CareUnit unit) => new(unit.HsaId.Value, unit.Name, unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn, unit.Active, unit.CentralReception);
}

/// <summary>What a unit is set to; <paramref name="CentralReception"/> (R40) null leaves it as it is (false for a new unit).</summary>
public sealed record UnitInput(string Name, string Clinic, bool UsesSmsReminders, bool OffersSelfCheckIn, bool? CentralReception = null);

/// <summary>Creates, updates and lists care units; a change that affects SMS replans the unit's bookings (R4, R21, R25).</summary>
public sealed class UnitsHandler(RemindersDbContext db, ChangeWriter writer)
{
    /// <summary>
    /// Creates or updates a unit. <paramref name="auditAction"/> names the audit row: the API keeps its
    /// <c>CreateUnit</c>/<c>UpdateUnit</c>; the admin pages write <c>UnitAdmin</c> with the change in the details.
    /// </summary>
    public async Task<Outcome<UnitView>> PutAsync(HsaId hsaId, UnitInput input, Actor actor, CancellationToken cancellationToken, AuditAction? auditAction = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(input);
        var unit = await db.Units.SingleOrDefaultAsync(u => u.HsaId == hsaId, cancellationToken);
        var created = unit is null;
        var replan = Replan.None;
        if (unit is null)
        {
            unit = CareUnit.Create(hsaId, input.Name, input.Clinic, input.UsesSmsReminders, input.OffersSelfCheckIn);
            db.Units.Add(unit);
        }
        else if (unit.Update(input.Name, input.Clinic, input.UsesSmsReminders, input.OffersSelfCheckIn))
        {
            replan = Replan.Unit(hsaId);
        }

        if (input.CentralReception is { } central)
        {
            // R40: where the desk asks; no SMS depends on it, so nothing is replanned.
            unit.SetCentralReception(central);
        }

        var change = auditAction is { } named
            ? new Change(actor, named, hsaId.Value, null, replan,
                new { change = created ? "created" : "updated", unit = hsaId.Value, input.UsesSmsReminders, input.OffersSelfCheckIn, centralReception = unit.CentralReception, replanned = replan != Replan.None })
            : new Change(actor, created ? AuditAction.CreateUnit : AuditAction.UpdateUnit, hsaId.Value, null, replan);
        return await writer.SaveAsync(change, () => created ? Outcome.Created(UnitView.From(unit)) : Outcome.Ok(UnitView.From(unit)), cancellationToken);
    }

    /// <summary>Deactivates or reactivates a unit (an inactive unit sends nothing, R4); its bookings are replanned.</summary>
    public async Task<Outcome<UnitView>> SetActiveAsync(HsaId hsaId, bool active, Actor actor, CancellationToken cancellationToken)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.HsaId == hsaId, cancellationToken);
        if (unit is null)
        {
            return Outcome.NotFound<UnitView>("Enheten finns inte.");
        }

        if (!unit.SetActive(active))
        {
            return Outcome.Ok(UnitView.From(unit));
        }

        var change = new Change(actor, AuditAction.UnitAdmin, hsaId.Value, null, Replan.Unit(hsaId), new { change = active ? "activated" : "deactivated", unit = hsaId.Value });
        return await writer.SaveAsync(change, () => Outcome.Ok(UnitView.From(unit)), cancellationToken);
    }

    /// <summary>An admin's import: every row created or updated and (de)activated, all in one transaction.</summary>
    public async Task ImportAsync(IReadOnlyList<(HsaId HsaId, UnitInput Input, bool Active)> rows, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var transaction = await writer.BeginAsync(cancellationToken);
        foreach (var (hsaId, input, active) in rows)
        {
            await PutAsync(hsaId, input, actor, cancellationToken, AuditAction.UnitAdmin);
            await SetActiveAsync(hsaId, active, actor, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<UnitView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Units.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(u => u.HsaId.Value, StringComparer.Ordinal).Select(UnitView.From).ToList();

    /// <summary>
    /// The admin pages' checks of a unit's input (field → Swedish message): a name and a clinic within their
    /// lengths, and a name that keeps the reminder within two SMS (R27). The API's validators are unchanged.
    /// </summary>
    public static Dictionary<string, string> Check(string? name, string? clinic)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(name))
        {
            errors["Name"] = "Ange enhetens namn som det ska stå i sms:et.";
        }
        else if (name.Trim().Length > CareUnit.MaxNameLength)
        {
            errors["Name"] = $"Namnet får vara högst {CareUnit.MaxNameLength} tecken.";
        }
        else if (SmsText.CheckUnitName(name.Trim()) is { Succeeded: false } tooLong)
        {
            errors["Name"] = string.Join(" ", tooLong.Reasons.Select(r => r.Text));
        }

        if (string.IsNullOrWhiteSpace(clinic))
        {
            errors["Clinic"] = "Ange vilken klinik enheten hör till.";
        }
        else if (clinic.Trim().Length > CareUnit.MaxClinicLength)
        {
            errors["Clinic"] = $"Kliniken får vara högst {CareUnit.MaxClinicLength} tecken.";
        }

        return errors;
    }

    /// <summary>The reminder text (R25) for a unit name with the sample start used for R27, and its size.</summary>
    public static (string Text, SmsLength Length) Preview(string name)
    {
        var text = SmsText.Reminder(name.Trim(), new LocalDateTime(2025, 12, 31, 23, 59));
        return (text, SmsText.Measure(text));
    }

    /// <summary>Parses an HSA-id for a form: the value, or the Swedish reason.</summary>
    public static (HsaId? Value, string? Error) ParseHsa(string? input)
    {
        var parsed = HsaId.Parse(input);
        return parsed.Succeeded ? (parsed.Value, null) : (null, string.Join(" ", parsed.Reasons.Select(r => r.Text)));
    }

    /// <summary>Refusal texts for display.</summary>
    public static string Texts(IEnumerable<Reason> reasons) => string.Join(" ", reasons.Select(r => r.Text));
}
