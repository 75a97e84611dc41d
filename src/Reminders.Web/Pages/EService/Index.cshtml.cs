using Reminders.Domain.EService;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Application.EService;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.EService;

/// <summary>
/// R45: the inbox of the unit the user works from: requests received here, whichever unit they concern,
/// each with the patient's current state and what applying would change. Apply or reject with a standard answer.
/// </summary>
[Authorize(Policy = Policies.CheckIn)]
public sealed class IndexModel(EServiceInbox inbox, AdminSettings settings, AuditLog audit) : PageModel
{
    /// <summary>Shown when someone else took the request in hand at the same moment and it is still open (issue #16).</summary>
    public const string ConflictText = "Någon annan hanterade ärendet samtidigt. Inkorgen visar nu läget – försök igen om ärendet fortfarande är öppet.";

    public IReadOnlyList<InboxItem> Items { get; private set; } = [];

    public IReadOnlyList<StandardAnswer> Answers { get; private set; } = [];

    public IReadOnlyDictionary<HsaId, string> UnitNames { get; private set; } = new Dictionary<HsaId, string>();

    public string UnitName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        await audit.RecordNowAsync(AuditAction.ViewReport, ChangeChannel.Web, details: new { report = "EServiceInbox", unit = User.Unit(), rows = Items.Count }, cancellationToken: cancellationToken);
    }

    public async Task<IActionResult> OnPostApplyAsync(long id, CancellationToken cancellationToken)
    {
        var outcome = await inbox.ApplyAsync(id, CurrentUnit(), Actors.Staff(User, ChangeChannel.EService), cancellationToken);
        return await AfterAsync(outcome, "Ärendet är genomfört och stängt.", cancellationToken);
    }

    public async Task<IActionResult> OnPostRejectAsync(long id, long answer, CancellationToken cancellationToken)
    {
        var outcome = await inbox.RejectAsync(id, CurrentUnit(), answer, Actors.Staff(User, ChangeChannel.EService), cancellationToken);
        return await AfterAsync(outcome, "Ärendet är besvarat och stängt.", cancellationToken);
    }

    /// <summary>Swedish name of a kind.</summary>
    public static string KindText(EServiceKind kind) => kind switch
    {
        EServiceKind.Activate => "Aktivera sms-påminnelser",
        EServiceKind.Block => "Blockera enhet",
        EServiceKind.Unblock => "Ta bort blockering",
        EServiceKind.GuardianNumber => "Vårdnadshavares nummer",
        EServiceKind.Deactivate => "Avaktivera sms-påminnelser (inga sms alls)",
        _ => kind.ToString(),
    };

    /// <summary>Swedish name of a status.</summary>
    public static string StatusText(ReminderStatus status) => status switch
    {
        ReminderStatus.Activated => "Aktiverad",
        ReminderStatus.Deactivated => "Avaktiverad",
        ReminderStatus.Declined => "Har tackat nej",
        _ => "Inte aktiverad",
    };

    private async Task<IActionResult> AfterAsync<T>(Outcome<T> outcome, string done, CancellationToken cancellationToken)
    {
        if (outcome.Succeeded)
        {
            TempData["Message"] = done;
            return RedirectToPage("/EService/Index");
        }

        var text = outcome.Reasons.Count > 0 ? string.Join(" ", outcome.Reasons.Select(r => r.Text))
            : outcome.Kind == OutcomeKind.Conflict ? ConflictText
            : outcome.Errors.Count > 0 ? string.Join(" ", outcome.Errors.SelectMany(e => e.Value))
            : outcome.Detail ?? "Ärendet kunde inte hanteras.";
        ModelState.AddModelError(string.Empty, "Inte genomfört. " + text);
        await LoadAsync(cancellationToken);
        Response.StatusCode = outcome.Kind switch
        {
            OutcomeKind.NotFound => StatusCodes.Status404NotFound,
            OutcomeKind.Conflict => StatusCodes.Status409Conflict,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Page();
    }

    private HsaId CurrentUnit() => HsaId.FromTrusted(User.Unit()!);

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var unit = CurrentUnit();
        Items = await inbox.OpenAsync(unit, cancellationToken);
        Answers = await settings.StandardAnswersAsync(offeredOnly: true, cancellationToken);
        UnitNames = (await settings.UnitsAsync(cancellationToken)).ToDictionary(u => u.HsaId, u => u.Name);
        UnitName = UnitNames.GetValueOrDefault(unit) ?? unit.Value;
    }
}
