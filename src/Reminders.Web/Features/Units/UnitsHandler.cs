using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;

namespace Reminders.Web.Features.Units;

/// <summary>A care unit as the API shows it.</summary>
public sealed record UnitView(string HsaId, string Name, string Clinic, bool UsesSmsReminders, bool OffersSelfCheckIn, bool Active)
{
    public static UnitView From(CareUnit unit) => new(unit.HsaId.Value, unit.Name, unit.Clinic, unit.UsesSmsReminders, unit.OffersSelfCheckIn, unit.Active);
}

/// <summary>What a unit is set to.</summary>
public sealed record UnitInput(string Name, string Clinic, bool UsesSmsReminders, bool OffersSelfCheckIn);

/// <summary>Creates, updates and lists care units; a change that affects SMS replans the unit's bookings (R4, R21, R25).</summary>
public sealed class UnitsHandler(RemindersDbContext db, ReminderPlanner planner, IClock clock)
{
    public async Task<Outcome<UnitView>> PutAsync(HsaId hsaId, UnitInput input, Actor actor, CancellationToken cancellationToken)
    {
        var unit = await db.Units.SingleOrDefaultAsync(u => u.HsaId == hsaId, cancellationToken);
        var created = unit is null;
        if (unit is null)
        {
            unit = CareUnit.Create(hsaId, input.Name, input.Clinic, input.UsesSmsReminders, input.OffersSelfCheckIn);
            db.Units.Add(unit);
        }
        else if (unit.Update(input.Name, input.Clinic, input.UsesSmsReminders, input.OffersSelfCheckIn))
        {
            await planner.PlanUnitAsync(hsaId, cancellationToken);
        }

        AuditRows.Add(db, clock.GetCurrentInstant(), actor, hsaId.Value, null, created ? "CreateUnit" : "UpdateUnit");
        await planner.SaveAsync(cancellationToken);
        return created ? Outcome.Created(UnitView.From(unit)) : Outcome.Ok(UnitView.From(unit));
    }

    public async Task<IReadOnlyList<UnitView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Units.AsNoTracking().ToListAsync(cancellationToken)).OrderBy(u => u.HsaId.Value, StringComparer.Ordinal).Select(UnitView.From).ToList();
}
