
namespace Reminders.Web.Pages.Account;

/// <summary>Shown when a signed-in user lacks the role or unit a page needs (the refusal is audited).</summary>
[AllowAnonymous]
public sealed class AccessDeniedModel : PageModel
{
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
