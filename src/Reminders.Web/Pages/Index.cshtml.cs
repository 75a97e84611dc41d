using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Reminders.Web.Pages;

public class IndexModel : PageModel
{
    public void OnGet()
    {

    }
}
