using Reminders.Web.Security;

namespace Reminders.Web.Pages;

/// <summary>The start page: what the signed-in user can do, by role.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
