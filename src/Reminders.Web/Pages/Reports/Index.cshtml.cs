using Reminders.Domain.Units;

namespace Reminders.Web.Pages.Reports;

/// <summary>The manager's overview: per own unit, how many patients each report lists.</summary>
public sealed class IndexModel(ReportScope scope, ReportQueries queries) : ReportPageModel(scope)
{
    private const string Report = "Overview";

    public sealed record UnitSummary(CareUnit Unit, int Blocked, int LeftOutByMigration, int Unreachable);

    public IReadOnlyList<UnitSummary> Summaries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        var blocked = await queries.BlockedCountsAsync(Units, cancellationToken);
        var migration = await queries.MigrationAsync(Units, 14, cancellationToken);
        // The overview shows no shared numbers (R60b), so it does not count them.
        var unreachable = await queries.UnreachableAsync(Units, cancellationToken);
        Summaries = Units.Select(u => new UnitSummary(u,
            blocked[u.HsaId],
            migration.ByUnit.Where(c => c.Unit!.HsaId == u.HsaId).Sum(c => c.Total),
            unreachable.Count(r => r.Unit.HsaId == u.HsaId))).ToList();
        await RecordViewAsync(Report, Summaries.Count, cancellationToken);
        return Page();
    }
}
