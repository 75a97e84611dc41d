using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Time;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Audit;

/// <summary>A patient's log extract (R55, Patientdatalagen 8 kap. 6 §): which units accessed their data, and when. Printable.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class ExtractModel(AuditQueries audit, IClock clock) : PageModel
{
    public sealed record UnitAccess(string Unit, string UnitName, Instant First, Instant Last, int Count);

    public sealed record Access(Instant At, string Unit, string UnitName, string Action, string Channel);

    [BindProperty]
    public string? Patient { get; set; }

    public string? IdentityNumber { get; private set; }

    public IReadOnlyList<UnitAccess> ByUnit { get; private set; } = [];

    public IReadOnlyList<Access> Accesses { get; private set; } = [];

    public Instant GeneratedAt { get; private set; }

    /// <summary>The form; the personnummer is posted, never put in a URL.</summary>
    public void OnGet() => GeneratedAt = clock.GetCurrentInstant();

    public async Task<IActionResult> OnPostAsync()
    {
        GeneratedAt = clock.GetCurrentInstant();
        var parsed = PersonalIdentityNumber.Parse(Patient, Stockholm.DateOf(GeneratedAt));
        if (!parsed.Succeeded)
        {
            ModelState.AddModelError(nameof(Patient), parsed.Reasons[0].Text);
            return Page();
        }

        var extract = await audit.ExtractAsync(parsed.Value, HttpContext.RequestAborted);
        if (extract is null)
        {
            ModelState.AddModelError(nameof(Patient), "Ingen patient med det personnumret.");
            return Page();
        }

        IdentityNumber = extract.IdentityNumber;
        var (rows, names) = (extract.Rows, extract.UnitNames);
        string Name(string? unit) => unit is null ? "(ingen enhet – system eller integration)" : names.GetValueOrDefault(unit, unit);

        Accesses = rows.Select(r => new Access(r.At, r.Unit ?? "", Name(r.Unit), r.Action, r.Channel)).ToList();
        ByUnit = rows.GroupBy(r => r.Unit ?? "")
            .Select(g => new UnitAccess(g.Key, Name(g.Key.Length == 0 ? null : g.Key), g.Min(r => r.At), g.Max(r => r.At), g.Count()))
            .OrderBy(u => u.First).ToList();
        return Page();
    }
}
