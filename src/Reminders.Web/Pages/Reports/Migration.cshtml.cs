using System.Globalization;
using NodaTime;
using Reminders.Domain.Reminders;

namespace Reminders.Web.Pages.Reports;

/// <summary>R60 (R32, R33): patients the VAS migration left unactivated, by clinic and unit, and those booked soon.</summary>
public sealed class MigrationModel(ReportScope scope, ReportQueries queries, IClock clock) : ReportPageModel(scope)
{
    private const string Report = "Migration";

    /// <summary>How many days ahead bookings are listed (1–90).</summary>
    [BindProperty(SupportsGet = true, Name = "days")]
    public int Days { get; set; } = 14;

    public MigrationReport Data { get; private set; } = new([], [], [], 14);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        Data = await queries.MigrationAsync(Units, Math.Clamp(Days, 1, 90), cancellationToken);
        await RecordViewAsync(Report, Data.Upcoming.Count, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        Data = await queries.MigrationAsync(Units, Math.Clamp(Days, 1, 90), cancellationToken);
        await RecordViewAsync(Report + "Csv", Data.Upcoming.Count, cancellationToken);
        IReadOnlyList<string>[] header = [["Klinik", "Enhet", "HSA-id", "Blockeringar i VAS", "Numret kunde vara vårdnadshavarens", "Totalt"]];
        return CsvFile("migrering", header.Concat(Data.ByUnit.Select(c => (IReadOnlyList<string>)
        [
            c.Clinic, c.Unit!.Name, c.Unit.HsaId.Value, Number(c.UnitBlocks), Number(c.MobileBefore13), Number(c.Total),
        ])), clock.GetCurrentInstant());
    }

    /// <summary>The rule behind the reason (shown as an openable detail, never in the sentence).</summary>
    public static string ReasonRule(NotActivatedReason reason) => reason switch
    {
        NotActivatedReason.MigrationUnitBlocks => "R32",
        NotActivatedReason.MigrationMobileBefore13 => "R33",
        _ => "",
    };

    /// <summary>The reason in Swedish.</summary>
    public static string ReasonText(NotActivatedReason reason) => reason switch
    {
        NotActivatedReason.MigrationUnitBlocks => "Hade blockerat enheter i VAS: fråga och aktivera, blockeringarna visas vid ankomsten",
        NotActivatedReason.MigrationMobileBefore13 => "Numret kunde vara vårdnadshavarens (registrerat före 13-årsdagen, eller okänt när, vid 13–17 år): be patienten bekräfta numret och aktivera",
        _ => reason.ToString(),
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
