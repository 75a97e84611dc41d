using System.Globalization;
using NodaTime;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Web.Features.Reports;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Reports;

/// <summary>
/// A report page: unit managers only (R56), scoped to their own units; <c>?unit=</c> narrows to one of them
/// and anything else is refused and audited.
/// </summary>
[Authorize(Policy = Policies.Reports)]
public abstract class ReportPageModel(ReportScope scope) : PageModel
{
    /// <summary>One of the user's units, or empty for all of them.</summary>
    [BindProperty(SupportsGet = true, Name = "unit")]
    public string? UnitFilter { get; set; }

    /// <summary>The user's own units.</summary>
    public IReadOnlyList<CareUnit> OwnUnits { get; private set; } = [];

    /// <summary>The units this view covers.</summary>
    public IReadOnlyList<CareUnit> Units { get; private set; } = [];

    /// <summary>The CSV export's link for the current filter.</summary>
    public string CsvUrl(string path) => path + "?handler=Csv" + (string.IsNullOrEmpty(UnitFilter) ? "" : "&unit=" + Uri.EscapeDataString(UnitFilter));

    /// <summary>Local date and time, as staff read it.</summary>
    public static string Local(Instant instant) => Stockholm.LocalOf(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Scopes the request; null when allowed, else the refusal to return (already audited).</summary>
    protected async Task<IActionResult?> ScopeAsync(string report, CancellationToken cancellationToken)
    {
        OwnUnits = await scope.OwnUnitsAsync(User, cancellationToken);
        var units = await scope.ResolveAsync(OwnUnits, UnitFilter, report, cancellationToken);
        if (units is null)
        {
            return RedirectToPage("/Account/AccessDenied");
        }

        Units = units;
        return null;
    }

    /// <summary>Logs the view (R55).</summary>
    protected Task RecordViewAsync(string report, int rows, CancellationToken cancellationToken) => scope.RecordViewAsync(report, Units, rows, cancellationToken);

    /// <summary>A CSV download named after the report and today's date.</summary>
    protected FileContentResult CsvFile(string name, IEnumerable<IReadOnlyList<string>> rows, Instant now) =>
        File(Csv.ToBytes(rows), Csv.ContentType, $"{name}-{Stockholm.DateOf(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
}
