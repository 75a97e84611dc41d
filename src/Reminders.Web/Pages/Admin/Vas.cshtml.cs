using System.Globalization;
using NodaTime.Text;
using Reminders.Domain.Migration;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.VasImport;
using Reminders.Web.Features.Reports;
using Reminders.Application.VasImport;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin;

/// <summary>
/// Admin: upload the VAS file and run the migration (R30–R36) in the background; the page refreshes itself
/// (meta refresh, no JavaScript) until the report is there.
/// </summary>
[Authorize(Policy = Policies.Admin)]
[RequestSizeLimit(VasImportOptions.MaxFileBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = VasImportOptions.MaxFileBytes)]
public sealed class VasModel(VasImportRuns runs, IActorAccessor actors, IConfiguration configuration) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "run")]
    public Guid? RunId { get; set; }

    [BindProperty]
    public string GoLive { get; set; } = "";

    [BindProperty]
    public bool CarryBlocks { get; set; }

    public VasImportRun? Run { get; private set; }

    public IActionResult OnGet()
    {
        GoLive = configuration["Migration:GoLive"] ?? LocalDatePattern.Iso.Format(VasMigrationRules.DefaultGoLive);
        if (RunId is { } id)
        {
            Run = runs.Find(id);
            if (Run is null || Run.StartedBy != actors.Current.Id)
            {
                return NotFound();
            }
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        var goLive = LocalDatePattern.Iso.Parse(GoLive ?? "");
        if (!goLive.Success)
        {
            ModelState.AddModelError(nameof(GoLive), "Ange driftstartsdatum som ÅÅÅÅ-MM-DD.");
        }

        if (file is null || file.Length == 0)
        {
            ModelState.AddModelError("file", "Välj VAS-filen (CSV).");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var path = Path.Combine(Path.GetTempPath(), "reminders-vas-" + Guid.NewGuid().ToString("N") + ".csv");
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
        {
            await file!.CopyToAsync(target, cancellationToken);
        }

        var run = runs.Start(path, new VasImportOptions { GoLive = goLive.Value, CarryBlocks = CarryBlocks }, actors.Current);
        if (run is null)
        {
            System.IO.File.Delete(path);
            ModelState.AddModelError(string.Empty, "En import pågår redan. Vänta tills den är klar.");
            return Page();
        }

        return RedirectToPage("/Admin/Vas", new { run = run.Id });
    }

    /// <summary>The per-clinic chart of patients left unactivated because of blocks (R32), largest first.</summary>
    public Microsoft.AspNetCore.Html.IHtmlContent ClinicChart(VasImportReport report)
    {
        var clinics = report.ByClinic.OrderByDescending(c => c.PatientsWithBlocks).ToList();
        var max = Math.Max(1, clinics.Select(c => c.PatientsWithBlocks).DefaultIfEmpty(0).Max());
        return SvgBarChart.Render("vas-clinics", "Patienter som inte aktiverades på grund av blockeringar, per klinik",
            string.Join(" ", clinics.Select(c => $"{c.Clinic}: {c.PatientsWithBlocks}.")), ["Patienter med blockeringar"],
            clinics.Select(c => new BarGroup(c.Clinic, [new Bar(c.PatientsWithBlocks, N(c.PatientsWithBlocks))])).ToList(),
            max, v => N((int)Math.Round(v)));
    }

    public static string N(int value) => value.ToString("N0", CultureInfo.GetCultureInfo("sv-SE"));
}
