using System.Text;
using NodaTime;
using Reminders.Domain.Reminders;
using Reminders.Domain.Texts;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Web.Features.Reports;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Units;

/// <summary>
/// Admin: the unit list, its CSV export and an all-or-nothing CSV import (every row validated; any error
/// reports line numbers and writes nothing).
/// </summary>
[Authorize(Policy = Policies.Admin)]
[RequestSizeLimit(MaxImportBytes)]
public sealed class IndexModel(AdminSettings admin, UnitsHandler handler, IClock clock, Reminders.Infrastructure.Planning.ISmsPolicySource policies) : PageModel
{
    /// <summary>R26: true while no self check-in link is set anywhere, so no unit sends the self check-in SMS.</summary>
    public bool NoSelfCheckInLink => string.IsNullOrWhiteSpace(policies.Current.SelfCheckInLink);

    private const int MaxImportBytes = 5 * 1024 * 1024;

    /// <summary>The CSV header, export and import alike.</summary>
    public static readonly string[] Header = ["HSA-id", "Namn", "Klinik", "Använder sms", "Självincheckning", "Aktiv"];

    public IReadOnlyList<CareUnit> Units { get; private set; } = [];

    /// <summary>Import errors: line and message.</summary>
    public IReadOnlyList<(int Line, string Message)> ImportErrors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        IReadOnlyList<string>[] header = [Header];
        var rows = header.Concat(Units.Select(u => (IReadOnlyList<string>)[u.HsaId.Value, u.Name, u.Clinic, YesNo(u.UsesSmsReminders), YesNo(u.OffersSelfCheckIn), YesNo(u.Active)]));
        return File(Csv.ToBytes(rows), Csv.ContentType, $"enheter-{Stockholm.DateOf(clock.GetCurrentInstant()).ToString("yyyy-MM-dd", null)}.csv");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        if (file is null || file.Length == 0)
        {
            ImportErrors = [(0, "Välj en CSV-fil.")];
            await LoadAsync(cancellationToken);
            return Page();
        }

        string text;
        using (var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        var (rows, errors) = ParseImport(text);
        if (errors.Count > 0)
        {
            ImportErrors = errors;
            await LoadAsync(cancellationToken);
            return Page();
        }

        var actor = Actors.Staff(User, ChangeChannel.Admin);
        await handler.ImportAsync(rows.Select(r => (r.HsaId, r.Input, r.Active)).ToList(), actor, cancellationToken);

        TempData["Message"] = $"{rows.Count} enheter importerade.";
        return RedirectToPage("/Admin/Units/Index");
    }

    /// <summary>One valid import row.</summary>
    public sealed record ImportRow(int Line, HsaId HsaId, UnitInput Input, bool Active);

    /// <summary>Validates every row of an import; rows are only usable when there are no errors at all.</summary>
    public static (IReadOnlyList<ImportRow> Rows, IReadOnlyList<(int Line, string Message)> Errors) ParseImport(string text)
    {
        var lines = Csv.Parse(text);
        var errors = new List<(int, string)>();
        var rows = new List<ImportRow>();
        if (lines.Count == 0 || !lines[0].Cells.Take(5).Select(c => c.Trim()).SequenceEqual(Header.Take(5), StringComparer.OrdinalIgnoreCase))
        {
            return ([], [(1, "Första raden ska vara rubrikerna: " + string.Join(";", Header) + " (Aktiv kan utelämnas).")]);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, cells) in lines.Skip(1))
        {
            if (cells.Count < 5)
            {
                errors.Add((line, $"Raden har {cells.Count} fält; minst 5 behövs."));
                continue;
            }

            var rowErrors = new List<string>();
            var (hsa, hsaError) = UnitsHandler.ParseHsa(cells[0]);
            if (hsaError is not null)
            {
                rowErrors.Add("HSA-id: " + hsaError);
            }
            else if (!seen.Add(hsa!.Value))
            {
                rowErrors.Add("HSA-id: finns redan på en tidigare rad.");
            }

            rowErrors.AddRange(UnitsHandler.Check(cells[1], cells[2]).Select(e => (e.Key == "Name" ? "Namn: " : "Klinik: ") + e.Value));
            var sms = ParseYesNo(cells[3]);
            var selfCheckIn = ParseYesNo(cells[4]);
            var active = cells.Count > 5 && cells[5].Trim().Length > 0 ? ParseYesNo(cells[5]) : true;
            if (sms is null || selfCheckIn is null || active is null)
            {
                rowErrors.Add("Använder sms, Självincheckning och Aktiv ska vara ja eller nej.");
            }

            if (rowErrors.Count > 0)
            {
                errors.Add((line, string.Join(" ", rowErrors)));
            }
            else
            {
                rows.Add(new ImportRow(line, hsa!, new UnitInput(cells[1].Trim(), cells[2].Trim(), sms!.Value, selfCheckIn!.Value), active!.Value));
            }
        }

        if (errors.Count == 0 && rows.Count == 0)
        {
            errors.Add((2, "Filen innehåller inga enheter."));
        }

        return errors.Count > 0 ? ([], errors) : (rows, []);
    }

    /// <summary>True when the unit name makes the reminder longer than one SMS (R27 warning).</summary>
    public static bool Warn(CareUnit unit) => SmsText.ExceedsOneSegment(unit.Name);

    private static string YesNo(bool value) => value ? "ja" : "nej";

    private static bool? ParseYesNo(string value) => value.Trim().ToUpperInvariant() switch
    {
        "JA" or "J" or "TRUE" or "1" => true,
        "NEJ" or "N" or "FALSE" or "0" => false,
        _ => null,
    };

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Units = await admin.UnitsAsync(cancellationToken);
}
