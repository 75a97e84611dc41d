using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Units;

namespace Reminders.Application.Reports;

/// <summary>One row of the region's table: counts of distinct patients, never who they are (R57).</summary>
/// <param name="Clinic">The clinic.</param>
/// <param name="Unit">The unit, or null for the clinic's own row (a patient at two of its units counts once).</param>
/// <param name="Blocked">R60: patients who block the unit (or a unit of the clinic).</param>
/// <param name="LeftOutByMigration">R60 (R32, R33): patients the migration did not activate.</param>
/// <param name="Unreachable">R60b: activated patients with a booking there whom no SMS reaches.</param>
public sealed record RegionCount(string Clinic, CareUnit? Unit, int Blocked, int LeftOutByMigration, int Unreachable);

/// <summary>One month of the whole region's no-show rates (R61).</summary>
public sealed record RegionMonth(YearMonth Month, int WithReminder, int WithReminderNoShows, int WithoutReminder, int WithoutReminderNoShows)
{
    public double? RateWith => WithReminder == 0 ? null : (double)WithReminderNoShows / WithReminder;

    public double? RateWithout => WithoutReminder == 0 ? null : (double)WithoutReminderNoShows / WithoutReminder;
}

/// <summary>The region view: clinics ranked as the region's own table ranks them, their units, and the monthly no-show rates.</summary>
public sealed record RegionReport(IReadOnlyList<RegionCount> Clinics, IReadOnlyList<RegionCount> Units, IReadOnlyList<RegionMonth> Months)
{
    /// <summary>The units of a clinic, ranked as the clinics are.</summary>
    public IEnumerable<RegionCount> UnitsOf(string clinic) => Units.Where(u => string.Equals(u.Clinic, clinic, StringComparison.Ordinal));
}

/// <summary>
/// The region's coordinator (an admin) sees the whole region in counts only (R57: no patient rows leave this
/// class). The counts are the manager reports' own (<see cref="ReportQueries"/>) over every unit, so the region
/// and a manager never count a rule differently. Clinics are ranked as in the region's go-live material ("Kliniker
/// med många blockeringar": Kirurgikliniken 2327, Ortopedikliniken 2286, …): by patients the migration left out,
/// then by patients blocking their units.
/// </summary>
public sealed class RegionQueries(RemindersDbContext db, ReportQueries reports, UnitDirectory unitDirectory)
{
    /// <summary>The region's counts and the months <paramref name="from"/>–<paramref name="to"/> of no-show rates.</summary>
    public async Task<RegionReport> ReportAsync(YearMonth from, YearMonth to, CancellationToken cancellationToken)
    {
        var units = (await unitDirectory.AllAsync(cancellationToken)).ToList();
        // R60: who blocks which unit, as pairs of ids only (a clinic counts a patient blocking two of its units once).
        var blocked = (await db.ReminderSettings.AsNoTracking()
                .SelectMany(s => s.Blocks, (s, b) => new { b.Unit, s.PatientId })
                .ToListAsync(cancellationToken))
            .ToLookup(b => b.Unit, b => b.PatientId);
        // R60 (R32, R33): the manager report's counts, with its own distinct count per clinic; no upcoming bookings listed.
        var migration = await reports.MigrationAsync(units, 0, cancellationToken);
        var leftOutByUnit = migration.ByUnit.ToDictionary(c => c.Unit!.HsaId, c => c.Total);
        var leftOutByClinic = migration.ByClinic.ToDictionary(c => c.Clinic, c => c.Total, StringComparer.Ordinal);
        // R60b: the decision function's answer for each booking, as the planner stored it, reduced to ids.
        var unreachable = await reports.UnreachablePatientsAsync(units, cancellationToken);

        var unitRows = units.Select(u => new RegionCount(u.Clinic, u,
                blocked[u.HsaId].Distinct().Count(), leftOutByUnit.GetValueOrDefault(u.HsaId), unreachable[u.HsaId].Count))
            .ToList();
        var clinicRows = units.GroupBy(u => u.Clinic, StringComparer.Ordinal)
            .Select(g => new RegionCount(g.Key, null,
                g.SelectMany(u => blocked[u.HsaId]).Distinct().Count(),
                leftOutByClinic.GetValueOrDefault(g.Key),
                g.SelectMany(u => unreachable[u.HsaId]).Distinct().Count()))
            .OrderByDescending(c => c.LeftOutByMigration).ThenByDescending(c => c.Blocked).ThenBy(c => c.Clinic, StringComparer.Ordinal)
            .ToList();
        var rank = clinicRows.Select((c, i) => (c.Clinic, i)).ToDictionary(x => x.Clinic, x => x.i, StringComparer.Ordinal);
        unitRows = unitRows.OrderBy(u => rank[u.Clinic]).ThenByDescending(u => u.LeftOutByMigration).ThenByDescending(u => u.Blocked)
            .ThenBy(u => u.Unit!.Name, StringComparer.Ordinal).ToList();

        var cells = await reports.NoShowsAsync(units, from, to, cancellationToken);
        var months = cells.GroupBy(c => c.Month).OrderBy(g => g.Key)
            .Select(g => new RegionMonth(g.Key, g.Sum(c => c.WithReminder), g.Sum(c => c.WithReminderNoShows), g.Sum(c => c.WithoutReminder), g.Sum(c => c.WithoutReminderNoShows)))
            .ToList();
        return new RegionReport(clinicRows, unitRows, months);
    }
}
