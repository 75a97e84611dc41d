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

        // Counts only (R60, R60b): the lists behind them are the reports'; the overview shows no shared numbers.
        var counts = await queries.UnitCountsAsync(Units, cancellationToken);
        var unreachable = await queries.UnreachablePatientsAsync(Units, cancellationToken);
        Summaries = Units.Select(u => new UnitSummary(u, counts[u.HsaId].Blocked, counts[u.HsaId].LeftOutByMigration, unreachable[u.HsaId].Count)).ToList();
        await RecordViewAsync(Report, Summaries.Count, cancellationToken);
        return Page();
    }
}
