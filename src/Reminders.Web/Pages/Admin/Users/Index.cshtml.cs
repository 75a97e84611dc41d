using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Users;

/// <summary>The staff accounts, for admins.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(RemindersDbContext db, IClock clock) : PageModel
{
    public sealed record Row(string Id, string DisplayName, string Email, IReadOnlyList<string> Roles, int Units, bool Disabled, bool LockedOut, bool MustChangePassword);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var now = clock.GetCurrentInstant().ToDateTimeOffset();
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync();
        var users = await db.Users.Include(u => u.Units).OrderBy(u => u.DisplayName).ToListAsync();
        Rows = users.Select(u => new Row(
            u.Id, u.DisplayName, u.Email ?? "",
            roles.Where(r => r.UserId == u.Id).Select(r => Infrastructure.Identity.StaffRoles.DisplayName(r.Name!)).Order(StringComparer.Ordinal).ToList(),
            u.Units.Count, u.Disabled, u.LockoutEnd > now, u.MustChangePassword)).ToList();
    }
}
