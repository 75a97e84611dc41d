using NodaTime;

namespace Reminders.Web.Pages.Reports;

/// <summary>R60b: activated patients no SMS can reach, and mobile numbers shared by several adults.</summary>
public sealed class DataQualityModel(ReportScope scope, ReportQueries queries, IClock clock) : ReportPageModel(scope)
{
    private const string Report = "DataQuality";

    public DataQualityReport Data { get; private set; } = new([], []);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        Data = await queries.DataQualityAsync(Units, cancellationToken);
        await RecordViewAsync(Report, Data.Unreachable.Count + Data.SharedNumbers.Count, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        Data = await queries.DataQualityAsync(Units, cancellationToken);
        await RecordViewAsync(Report + "Csv", Data.Unreachable.Count, cancellationToken);
        IReadOnlyList<string>[] header = [["Enhet", "HSA-id", "Personnummer", "Namn", "Nästa bokning", "Regel", "Skäl"]];
        return CsvFile("datakvalitet", header.Concat(Data.Unreachable.Select(r => (IReadOnlyList<string>)
        [
            r.Unit.Name, r.Unit.HsaId.Value, r.Patient.IdentityNumber, r.Patient.Name, Local(r.Start),
            string.Join(", ", r.Reasons.Select(x => x.Rule)), string.Join(" ", r.Reasons.Select(x => x.Text)),
        ])), clock.GetCurrentInstant());
    }
}
