using System.Globalization;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Units;
using Reminders.Web.Features.Reports;

namespace Reminders.Web.Pages.Reports;

/// <summary>
/// R61: no-show rate per unit and month, with and without a reminder sent (Sent or Delivered, see
/// <see cref="ReportQueries.NoShowsAsync"/>). Only bookings with a recorded outcome count.
/// </summary>
public sealed class NoShowsModel(ReportScope scope, ReportQueries queries, IClock clock) : ReportPageModel(scope)
{
    private const string Report = "NoShows";
    private static readonly YearMonthPattern MonthPattern = YearMonthPattern.CreateWithInvariantCulture("yyyy-MM");

    /// <summary>First month shown, yyyy-MM; default 11 months before the current one.</summary>
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    /// <summary>Last month shown, yyyy-MM; default the current one.</summary>
    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    public YearMonth FromMonth { get; private set; }

    public YearMonth ToMonth { get; private set; }

    public IReadOnlyList<NoShowCell> Cells { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        await LoadAsync(cancellationToken);
        await RecordViewAsync(Report, Cells.Count, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        await LoadAsync(cancellationToken);
        await RecordViewAsync(Report + "Csv", Cells.Count, cancellationToken);
        IReadOnlyList<string>[] header = [["Klinik", "Enhet", "HSA-id", "Månad", "Besök med påminnelse", "Uteblivna med påminnelse", "Andel uteblivna med påminnelse", "Besök utan påminnelse", "Uteblivna utan påminnelse", "Andel uteblivna utan påminnelse"]];
        return CsvFile("uteblivna", header.Concat(Cells.Select(c => (IReadOnlyList<string>)
        [
            c.Unit.Clinic, c.Unit.Name, c.Unit.HsaId.Value, Month(c.Month),
            N(c.WithReminder), N(c.WithReminderNoShows), Rate(c.RateWith),
            N(c.WithoutReminder), N(c.WithoutReminderNoShows), Rate(c.RateWithout),
        ])), clock.GetCurrentInstant());
    }

    /// <summary>The chart of one unit: two bars per month.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent Chart(CareUnit unit, int index)
    {
        var cells = Cells.Where(c => c.Unit.HsaId == unit.HsaId).ToList();
        var groups = cells.Select(c => new BarGroup(Month(c.Month),
        [
            new Bar(c.RateWith, RateText(c.RateWith, c.WithReminderNoShows, c.WithReminder)),
            new Bar(c.RateWithout, RateText(c.RateWithout, c.WithoutReminderNoShows, c.WithoutReminder)),
        ])).ToList();
        var description = cells.Count == 0
            ? "Inga besök med registrerat utfall under perioden."
            : string.Join(" ", cells.Select(c => $"{Month(c.Month)}: med påminnelse {RateText(c.RateWith, c.WithReminderNoShows, c.WithReminder)}, utan påminnelse {RateText(c.RateWithout, c.WithoutReminderNoShows, c.WithoutReminder)}."));
        var max = Math.Max(0.1, Math.Ceiling(cells.SelectMany(c => new[] { c.RateWith ?? 0, c.RateWithout ?? 0 }).DefaultIfEmpty(0).Max() * 10) / 10);
        return SvgBarChart.Render("chart-" + index.ToString(CultureInfo.InvariantCulture), $"Andel uteblivna besök per månad, {unit.Name}", description,
            ["Med påminnelse", "Utan påminnelse"], groups, max, v => Rate(v));
    }

    /// <summary>A rate as a Swedish percentage.</summary>
    public static string Rate(double? rate) => rate is { } r ? (r * 100).ToString("0.0", CultureInfo.GetCultureInfo("sv-SE")) + " %" : "–";

    /// <summary>A rate with its counts, e.g. "12,5 % (1 av 8)".</summary>
    public static string RateText(double? rate, int noShows, int total) =>
        rate is null ? "inga besök" : $"{Rate(rate)} ({noShows} av {total})";

    public static string Month(YearMonth month) => MonthPattern.Format(month);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var current = ReportQueries.YearMonthOf(clock.GetCurrentInstant());
        ToMonth = To is not null && MonthPattern.Parse(To) is { Success: true } t ? t.Value : current;
        FromMonth = From is not null && MonthPattern.Parse(From) is { Success: true } f ? f.Value : ToMonth.PlusMonths(-11);
        if (FromMonth > ToMonth || FromMonth < ToMonth.PlusMonths(-35))
        {
            FromMonth = ToMonth.PlusMonths(-11);
        }

        Cells = await queries.NoShowsAsync(Units, FromMonth, ToMonth, cancellationToken);
    }
}
