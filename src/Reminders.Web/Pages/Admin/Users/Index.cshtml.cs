using NodaTime;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Users;

/// <summary>The staff accounts, for admins.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(StaffDirectory staff, IClock clock) : PageModel
{
    public sealed record Row(string Id, string DisplayName, string Email, IReadOnlyList<string> Roles, int Units, bool Disabled, bool LockedOut, bool MustChangePassword);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        var accounts = await staff.AccountsAsync(HttpContext.RequestAborted);
        Rows = accounts.Select(a => (a.User, a.RoleNames)).Select(x => new Row(
            x.User.Id, x.User.DisplayName, x.User.Email ?? "",
            x.RoleNames.Select(Infrastructure.Identity.StaffRoles.DisplayName).Order(StringComparer.Ordinal).ToList(),
            x.User.Units.Count, x.User.Disabled, x.User.LockoutEnd > now, x.User.MustChangePassword)).ToList();
    }
}
