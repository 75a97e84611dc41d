using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Identity;
using Reminders.Domain.Time;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Audit;

/// <summary>
/// Search the audit log (R55) by patient, user, unit and period. Read-only: the product offers no way to
/// change or delete a row. Searching by patient is itself a look at patient data and is audited. The search
/// is posted, so a personnummer never lands in a URL (browser history, proxy logs).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(AuditQueries audit, IClock clock) : PageModel
{
    /// <summary>At most this many rows are shown; narrow the search for more.</summary>
    public const int MaxRows = 500;

    private static readonly LocalDatePattern DatePattern = LocalDatePattern.Iso;

    [BindProperty]
    public string? Patient { get; set; }

    [BindProperty]
    public string? UserEmail { get; set; }

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    public IReadOnlyList<AuditEvent> Rows { get; private set; } = [];

    public IReadOnlyDictionary<string, string> UserNames { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<long, string> PatientNumbers { get; private set; } = new Dictionary<long, string>();

    public bool Searched { get; private set; }

    public long? PatientId { get; private set; }

    public void OnGet()
    {
    }

    public async Task OnPostAsync()
    {
        var today = Stockholm.DateOf(clock.GetCurrentInstant());
        Searched = true;
        PersonalIdentityNumber? patient = null;

        if (!string.IsNullOrWhiteSpace(Patient))
        {
            var parsed = PersonalIdentityNumber.Parse(Patient, today);
            if (!parsed.Succeeded)
            {
                ModelState.AddModelError(nameof(Patient), parsed.Reasons[0].Text);
            }
            else
            {
                patient = parsed.Value;
            }
        }

        Instant? start = ParseDate(From, nameof(From)) is { } from ? Stockholm.ToInstant(from.AtMidnight()) : null;
        Instant? end = ParseDate(To, nameof(To)) is { } to ? Stockholm.ToInstant(to.PlusDays(1).AtMidnight()) : null;
        if (!ModelState.IsValid)
        {
            return;
        }

        var found = await audit.SearchAsync(new AuditSearch(patient, UserEmail, Unit, start, end, MaxRows), HttpContext.RequestAborted);
        Rows = found.Rows;
        UserNames = found.UserNames;
        PatientNumbers = found.PatientNumbers;
        PatientId = found.PatientId;
    }

    private LocalDate? ParseDate(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var result = DatePattern.Parse(value.Trim());
        if (!result.Success)
        {
            ModelState.AddModelError(field, "Ange datum som ÅÅÅÅ-MM-DD.");
            return null;
        }

        return result.Value;
    }
}
