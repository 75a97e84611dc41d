using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Reminders.Domain.Audit;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Units;

namespace Reminders.Application.Reports;

/// <summary>
/// R56, R60: a manager's reports cover their OWN units only, the <c>StaffUnits</c> rows of their user id.
/// Asking for any other unit (an id changed in the URL) is refused and audited as AccessDenied.
/// </summary>
public sealed class ReportScope(RemindersDbContext db, AuditLog audit, UnitDirectory unitDirectory)
{
    /// <summary>
    /// The user's own units, by clinic and name. The user's unit rows are read on every call (a unit taken from a
    /// manager is out of their reports at once); the units' names come from the <see cref="UnitDirectory"/>.
    /// </summary>
    public async Task<IReadOnlyList<CareUnit>> OwnUnitsAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null)
        {
            return [];
        }

        var own = await db.StaffUnits.AsNoTracking().Where(s => s.UserId == userId).Select(s => s.Unit).ToListAsync(cancellationToken);
        var units = new List<CareUnit>(own.Count);
        foreach (var hsaId in own.Distinct())
        {
            if (await unitDirectory.FindAsync(hsaId, cancellationToken) is { } unit)
            {
                units.Add(unit);
            }
        }

        return units.OrderBy(u => u.Clinic, StringComparer.Ordinal).ThenBy(u => u.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The units a report covers: all own units when <paramref name="requested"/> is empty, else that one unit
    /// if it is the user's own. Null when refused; the refusal is audited (R55) before returning.
    /// </summary>
    public async Task<IReadOnlyList<CareUnit>?> ResolveAsync(IReadOnlyList<CareUnit> own, string? requested, string report, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return own;
        }

        var unit = own.FirstOrDefault(u => string.Equals(u.HsaId.Value, requested.Trim(), StringComparison.Ordinal));
        if (unit is not null)
        {
            return [unit];
        }

        var shown = requested.Length > HsaId.MaxLength ? requested[..HsaId.MaxLength] : requested;
        await audit.RecordNowAsync(AuditAction.AccessDenied, ChangeChannel.Web, details: new { report, requestedUnit = shown }, succeeded: false, cancellationToken: cancellationToken);
        return null;
    }

    /// <summary>
    /// R55: a report view is logged with the units and the number of rows shown (never names or numbers); R57 (rev. 2):
    /// every patient among the rows (<paramref name="listed"/>, with the unit each is listed for) gets an access row of
    /// their own, so the report is in their log extract. All rows are group-committed together.
    /// </summary>
    public Task RecordViewAsync(string report, IReadOnlyList<CareUnit> units, int rows, IEnumerable<ListedPatient> listed, CancellationToken cancellationToken) => Task.WhenAll(
        audit.RecordNowAsync(AuditAction.ViewReport, ChangeChannel.Web, details: new { report, units = units.Select(u => u.HsaId.Value).ToArray(), rows }, cancellationToken: cancellationToken),
        audit.RecordListedNowAsync(AuditAction.ShownInList, ChangeChannel.Web, listed, new { list = report }, cancellationToken));
}
