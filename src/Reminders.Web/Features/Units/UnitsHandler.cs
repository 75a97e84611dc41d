using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Texts;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Web.Features.Units;

/// <summary>A care unit as the API shows it.</summary>
public sealed record UnitView(string HsaId, string Name, string Clinic, bool UsesSmsReminders, bool OffersSelfCheckIn, bool Active, bool CentralReception)
{
    public static UnitView From(CareUnit unit) => new(unit.HsaId.Value, unit.Name, unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn, unit.Active, unit.CentralReception);
}

/// <summary>What a unit is set to; <paramref name="CentralReception"/> (R40) null leaves it as it is (false for a new unit).</summary>
public sealed record UnitInput(string Name, string Clinic, bool UsesSmsReminders, bool OffersSelfCheckIn, bool? CentralReception = null);

/// <summary>Creates, updates and lists care units; a change that affects SMS replans the unit's bookings (R4, R21, R25).</summary>
public sealed class UnitsHandler(RemindersDbContext db, ReminderPlanner planner, IClock clock)
{
    /// <summary>
    /// Creates or updates a unit. <paramref name="auditAction"/> names the audit row: the API keeps its
    /// <c>CreateUnit</c>/<c>UpdateUnit</c>; the admin pages write <c>UnitAdmin</c> with the change in the details.
    /// </summary>
    public async Task<Outcome<UnitView>> PutAsync(HsaId hsaId, UnitInput input, Actor actor, CancellationToken cancellationToken, string? auditAction = null)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.HsaId == hsaId, cancellationToken);
        var created = unit is null;
        var replanned = false;
        if (unit is null)
        {
            unit = CareUnit.Create(hsaId, input.Name, input.Clinic, input.UsesSmsReminders, input.OffersSelfCheckIn);
            db.Units.Add(unit);
        }
        else if (unit.Update(input.Name, input.Clinic, input.UsesSmsReminders, input.OffersSelfCheckIn))
        {
            await planner.PlanUnitAsync(hsaId, cancellationToken);
            replanned = true;
        }

        if (input.CentralReception is { } central)
        {
            unit.SetCentralReception(central);
        }

        if (auditAction is null)
        {
            AuditRows.Add(db, clock.GetCurrentInstant(), actor, hsaId.Value, null, created ? "CreateUnit" : "UpdateUnit");
        }
        else
        {
            AuditRows.Add(db, clock.GetCurrentInstant(), actor, hsaId.Value, null, auditAction,
                new { change = created ? "created" : "updated", unit = hsaId.Value, input.UsesSmsReminders, input.OffersSelfCheckIn, centralReception = unit.CentralReception, replanned });
        }

        await planner.SaveAsync(cancellationToken);
        return created ? Outcome.Created(UnitView.From(unit)) : Outcome.Ok(UnitView.From(unit));
    }

    /// <summary>Deactivates or reactivates a unit (an inactive unit sends nothing, R4); its bookings are replanned.</summary>
    public async Task<Outcome<UnitView>> SetActiveAsync(HsaId hsaId, bool active, Actor actor, string auditAction, CancellationToken cancellationToken)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.HsaId == hsaId, cancellationToken);
        if (unit is null)
        {
            return Outcome.NotFound<UnitView>("Enheten finns inte.");
        }

        if (unit.SetActive(active))
        {
            await planner.PlanUnitAsync(hsaId, cancellationToken);
            AuditRows.Add(db, clock.GetCurrentInstant(), actor, hsaId.Value, null, auditAction, new { change = active ? "activated" : "deactivated", unit = hsaId.Value });
            await planner.SaveAsync(cancellationToken);
        }

        return Outcome.Ok(UnitView.From(unit));
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
