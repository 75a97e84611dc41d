using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.EService;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin;

/// <summary>Admin: the standard answers staff choose from when they reject an e-service request (R45).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AnswersModel(RemindersDbContext db, AuditLog audit, IClock clock) : PageModel
{
    public IReadOnlyList<StandardAnswer> Answers { get; private set; } = [];

    [BindProperty]
    public string? Text { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var created = StandardAnswer.Create(Text, clock.GetCurrentInstant());
        if (!created.Succeeded)
        {
            ModelState.AddModelError(nameof(Text), string.Join(" ", created.Reasons.Select(r => r.Text)));
            await LoadAsync(cancellationToken);
            return Page();
        }

        db.StandardAnswers.Add(created.Value);
        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordNowAsync(AuditActions.UnitAdmin, "Admin", details: new { standardAnswer = created.Value.Id, change = "created" }, cancellationToken: cancellationToken);
        TempData["Message"] = "Svaret är tillagt.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostActiveAsync(long id, bool active, CancellationToken cancellationToken)
    {
        var answer = await db.StandardAnswers.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (answer is null)
        {
            return NotFound();
        }

        answer.SetActive(active);
        audit.Record(AuditActions.UnitAdmin, "Admin", details: new { standardAnswer = id, change = active ? "offered" : "retired" });
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Answers = await db.StandardAnswers.AsNoTracking().OrderBy(a => a.Id).ToListAsync(cancellationToken);
}
