using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Audit;
using Reminders.Domain.Identity;
using Reminders.Domain.Time;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Audit;

/// <summary>
/// Search the audit log (R55) by patient, user, unit and period. Read-only: the product offers no way to
/// change or delete a row. Searching by patient is itself a look at patient data and is audited. The search
/// is posted, so a personnummer never lands in a URL (browser history, proxy logs).
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(RemindersDbContext db, AuditLog audit, IClock clock) : PageModel
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
        var query = db.AuditEvents.AsNoTracking().AsQueryable();
        var today = Stockholm.DateOf(clock.GetCurrentInstant());
        Searched = true;

        if (!string.IsNullOrWhiteSpace(Patient))
        {
            var parsed = PersonalIdentityNumber.Parse(Patient, today);
            if (!parsed.Succeeded)
            {
                ModelState.AddModelError(nameof(Patient), parsed.Reasons[0].Text);
            }
            else
            {
                var id = parsed.Value;
                PatientId = await db.Patients.Where(p => p.IdentityNumber == id).Select(p => (long?)p.Id).FirstOrDefaultAsync();
                query = query.Where(a => a.PatientId == (PatientId ?? -1));
            }
        }

        if (!string.IsNullOrWhiteSpace(UserEmail))
        {
            var normalized = UserEmail.Trim().ToUpperInvariant();
            var userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync();
            query = query.Where(a => a.Actor == (userId ?? UserEmail.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(Unit))
        {
            query = query.Where(a => a.Unit == Unit.Trim());
        }

        if (ParseDate(From, nameof(From)) is { } from)
        {
            var start = Stockholm.ToInstant(from.AtMidnight());
            query = query.Where(a => a.At >= start);
        }

        if (ParseDate(To, nameof(To)) is { } to)
        {
            var end = Stockholm.ToInstant(to.PlusDays(1).AtMidnight());
            query = query.Where(a => a.At < end);
        }

        if (!ModelState.IsValid)
        {
            return;
        }

        Rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(MaxRows).ToListAsync();
        var actorIds = Rows.Select(r => r.Actor).Distinct().ToList();
        UserNames = await db.Users.Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName);
        var patientIds = Rows.Where(r => r.PatientId is not null).Select(r => r.PatientId!.Value).Distinct().ToList();
        PatientNumbers = (await db.Patients.Where(p => patientIds.Contains(p.Id)).Select(p => new { p.Id, p.IdentityNumber }).ToListAsync())
            .ToDictionary(p => p.Id, p => p.IdentityNumber.ToString());

        if (PatientId is not null || patientIds.Count > 0)
        {
            await audit.RecordNowAsync(AuditActions.ViewAudit, "Admin", PatientId, new { rows = Rows.Count });
        }
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
