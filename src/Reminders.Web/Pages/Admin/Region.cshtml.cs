using System.Globalization;
using Microsoft.AspNetCore.Html;
using NodaTime;
using Reminders.Domain.Time;
using Reminders.Infrastructure.Audit;
using Reminders.Domain.Reminders;
using Reminders.Web.Features.Reports;
using Reminders.Web.Pages.Reports;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin;

/// <summary>
/// The region's view for its coordinator (admins): counts only, never patient rows (R57). Clinics and units ranked
/// by patients the migration left out (R32, R33), with blocks (R60) and unreachable patients (R60b), and the whole
/// region's no-show rates per month with and without a reminder (R61); charts with their tables and CSV.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class RegionModel(RegionQueries queries, AuditLog audit, IClock clock) : PageModel
{
    private const string Report = "Region";

    /// <summary>Months of no-show rates shown: the current one and the eleven before it.</summary>
    public const int Months = 12;

    public RegionReport Data { get; private set; } = new([], [], []);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await RecordAsync(Report, Data.Clinics.Count + Data.Units.Count + Data.Months.Count, cancellationToken);
    }

    /// <summary>The clinics and units as CSV (a clinic's own row has "Hela kliniken" as its unit).</summary>
    public async Task<IActionResult> OnGetUnitsCsvAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await RecordAsync(Report + "UnitsCsv", Data.Clinics.Count + Data.Units.Count, cancellationToken);
        IReadOnlyList<string>[] header = [["Placering", "Klinik", "Enhet", "HSA-id", "Ej aktiverade vid migreringen", "Blockerar enheten", "Sms når inte fram"]];
        var rows = Data.Clinics.SelectMany((c, i) => new[] { Row(i + 1, c) }.Concat(Data.UnitsOf(c.Clinic).Select(u => Row(i + 1, u))));
        return CsvFile("region-kliniker", header.Concat(rows));
    }

    /// <summary>The region's months as CSV.</summary>
    public async Task<IActionResult> OnGetNoShowsCsvAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await RecordAsync(Report + "NoShowsCsv", Data.Months.Count, cancellationToken);
        IReadOnlyList<string>[] header = [["Månad", "Besök med påminnelse", "Uteblivna med påminnelse", "Andel uteblivna med påminnelse", "Besök utan påminnelse", "Uteblivna utan påminnelse", "Andel uteblivna utan påminnelse"]];
        return CsvFile("region-uteblivna", header.Concat(Data.Months.Select(m => (IReadOnlyList<string>)
        [
            NoShowsModel.Month(m.Month), N(m.WithReminder), N(m.WithReminderNoShows), NoShowsModel.Rate(m.RateWith),
            N(m.WithoutReminder), N(m.WithoutReminderNoShows), NoShowsModel.Rate(m.RateWithout),
        ])));
    }

    /// <summary>All months together: the no-show rates with and without a reminder, and how much lower the first is.</summary>
    public (double? With, double? Without, double? Lower) Overall()
    {
        var with = Data.Months.Sum(m => m.WithReminder);
        var without = Data.Months.Sum(m => m.WithoutReminder);
        double? rateWith = with == 0 ? null : (double)Data.Months.Sum(m => m.WithReminderNoShows) / with;
        double? rateWithout = without == 0 ? null : (double)Data.Months.Sum(m => m.WithoutReminderNoShows) / without;
        double? lower = rateWith is { } a && rateWithout is { } b && b > 0 ? 1 - (a / b) : null;
        return (rateWith, rateWithout, lower);
    }

    /// <summary>The clinics' chart: three bars per clinic, in the table's order.</summary>
    public IHtmlContent ClinicChart()
    {
        var groups = Data.Clinics.Select(c => new BarGroup(c.Clinic,
        [
            new Bar(c.LeftOutByMigration, N(c.LeftOutByMigration) + " patienter"),
            new Bar(c.Blocked, N(c.Blocked) + " patienter"),
            new Bar(c.Unreachable, N(c.Unreachable) + " patienter"),
        ])).ToList();
        var description = Data.Clinics.Count == 0
            ? "Inga kliniker."
            : string.Join(" ", Data.Clinics.Select((c, i) =>
                $"{i + 1}. {c.Clinic}: {N(c.LeftOutByMigration)} ej aktiverade vid migreringen, {N(c.Blocked)} blockerar, {N(c.Unreachable)} når inte sms."));
        var max = Data.Clinics.SelectMany(c => new[] { c.LeftOutByMigration, c.Blocked, c.Unreachable }).DefaultIfEmpty(0).Max();
        return SvgBarChart.Render("chart-clinics", "Patienter per klinik", description,
            ["Ej aktiverade (migrering)", "Blockerar enheter", "Sms når inte fram"], groups, NiceCeiling(max), v => N((int)Math.Round(v)));
    }

    /// <summary>The months' chart: two bars per month.</summary>
    public IHtmlContent NoShowChart()
    {
        var groups = Data.Months.Select(m => new BarGroup(NoShowsModel.Month(m.Month),
        [
            new Bar(m.RateWith, NoShowsModel.RateText(m.RateWith, m.WithReminderNoShows, m.WithReminder)),
            new Bar(m.RateWithout, NoShowsModel.RateText(m.RateWithout, m.WithoutReminderNoShows, m.WithoutReminder)),
        ])).ToList();
        var description = Data.Months.Count == 0
            ? "Inga besök med registrerat utfall under perioden."
            : string.Join(" ", Data.Months.Select(m =>
                $"{NoShowsModel.Month(m.Month)}: med påminnelse {NoShowsModel.RateText(m.RateWith, m.WithReminderNoShows, m.WithReminder)}, utan påminnelse {NoShowsModel.RateText(m.RateWithout, m.WithoutReminderNoShows, m.WithoutReminder)}."));
        var max = Math.Max(0.1, Math.Ceiling(Data.Months.SelectMany(m => new[] { m.RateWith ?? 0, m.RateWithout ?? 0 }).DefaultIfEmpty(0).Max() * 20) / 20);
        return SvgBarChart.Render("chart-noshows", "Andel uteblivna besök per månad i hela regionen", description,
            ["Med påminnelse", "Utan påminnelse"], groups, max, v => NoShowsModel.Rate(v));
    }

    public static string N(int value) => value.ToString("N0", CultureInfo.GetCultureInfo("sv-SE"));

    private static double NiceCeiling(int max)
    {
        if (max <= 4)
        {
            return 4;
        }

        var step = Math.Pow(10, Math.Floor(Math.Log10(max)));
        return Math.Ceiling(max / step * 2) / 2 * step;
    }

    private static IReadOnlyList<string> Row(int rank, RegionCount c) =>
    [
        rank.ToString(CultureInfo.InvariantCulture), c.Clinic, c.Unit?.Name ?? "Hela kliniken", c.Unit?.HsaId.Value ?? "",
        c.LeftOutByMigration.ToString(CultureInfo.InvariantCulture), c.Blocked.ToString(CultureInfo.InvariantCulture), c.Unreachable.ToString(CultureInfo.InvariantCulture),
    ];

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var current = ReportQueries.YearMonthOf(clock.GetCurrentInstant());
        Data = await queries.ReportAsync(current.PlusMonths(-(Months - 1)), current, cancellationToken);
    }

    /// <summary>R55: the view is logged with the number of rows shown; it covers every unit of the region.</summary>
    private Task RecordAsync(string report, int rows, CancellationToken cancellationToken) =>
        audit.RecordNowAsync(AuditAction.ViewReport, ChangeChannel.Web, details: new { report, units = "region", rows }, cancellationToken: cancellationToken);

    private FileContentResult CsvFile(string name, IEnumerable<IReadOnlyList<string>> rows) =>
        File(Csv.ToBytes(rows), Csv.ContentType, $"{name}-{Stockholm.DateOf(clock.GetCurrentInstant()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.csv");
}
