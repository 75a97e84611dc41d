using Reminders.Domain.EService;
using Reminders.Domain.Reminders;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin;

/// <summary>Admin: the standard answers staff choose from when they reject an e-service request (R45).</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class AnswersModel(AdminSettings settings) : PageModel
{
    public IReadOnlyList<StandardAnswer> Answers { get; private set; } = [];

    [BindProperty]
    public string? Text { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        var created = await settings.AddStandardAnswerAsync(Text, Actors.Staff(User, ChangeChannel.Admin), cancellationToken);
        if (!created.Succeeded)
        {
            ModelState.AddModelError(nameof(Text), string.Join(" ", created.Reasons.Select(r => r.Text)));
            await LoadAsync(cancellationToken);
            return Page();
        }

        TempData["Message"] = "Svaret är tillagt.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostActiveAsync(long id, bool active, CancellationToken cancellationToken)
    {
        var outcome = await settings.SetStandardAnswerActiveAsync(id, active, Actors.Staff(User, ChangeChannel.Admin), cancellationToken);
        return outcome.Kind == OutcomeKind.NotFound ? NotFound() : RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Answers = await settings.StandardAnswersAsync(offeredOnly: false, cancellationToken);
}
