using Microsoft.EntityFrameworkCore;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.Admin;

/// <summary>A staff account as the account list shows it.</summary>
public sealed record StaffRow(StaffUser User, IReadOnlyList<string> RoleNames);

/// <summary>
/// Reads of staff accounts for the account and admin pages. Account changes are made by ASP.NET Core Identity's
/// <c>UserManager</c> (which saves its own store); the loaded user is tracked by the same context, so it saves the
/// unit list changed on it too.
/// </summary>
public sealed class StaffDirectory(RemindersDbContext db)
{
    /// <summary>Every account with its role names, by display name.</summary>
    public async Task<IReadOnlyList<StaffRow>> AccountsAsync(CancellationToken cancellationToken)
    {
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var users = await db.Users.Include(u => u.Units).OrderBy(u => u.DisplayName).ToListAsync(cancellationToken);
        return users.Select(u => new StaffRow(u, roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).ToList())).ToList();
    }

    /// <summary>One account with its units, tracked (for <c>UserManager</c> to save), or null.</summary>
    public Task<StaffUser?> AccountAsync(string id, CancellationToken cancellationToken) =>
        db.Users.Include(u => u.Units).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);

    /// <summary>The account an HSA-id (SITHS sign-in) belongs to, tracked (for the sign-in manager), or null.</summary>
    public Task<StaffUser?> AccountByHsaIdAsync(HsaId hsaId, CancellationToken cancellationToken) =>
        db.Users.SingleOrDefaultAsync(u => u.HsaId == hsaId, cancellationToken);

    /// <summary>True when <paramref name="hsaId"/> is linked to an account other than <paramref name="exceptUserId"/>.</summary>
    public Task<bool> HsaIdTakenAsync(HsaId hsaId, string? exceptUserId, CancellationToken cancellationToken) =>
        db.Users.AnyAsync(u => u.HsaId == hsaId && u.Id != exceptUserId, cancellationToken);

    /// <summary>The units a user works at.</summary>
    public async Task<IReadOnlyList<HsaId>> UnitsOfAsync(string userId, CancellationToken cancellationToken) =>
        await db.StaffUnits.Where(u => u.UserId == userId).Select(u => u.Unit).ToListAsync(cancellationToken);

    /// <summary>The active units a user can choose to work from, by name.</summary>
    public async Task<IReadOnlyList<(string HsaId, string Name)>> UnitChoicesAsync(string? userId, CancellationToken cancellationToken)
    {
        var units = await (from s in db.StaffUnits
                           join u in db.Units on s.Unit equals u.HsaId
                           where s.UserId == userId && u.Active
                           orderby u.Name
                           select new { u.HsaId, u.Name }).ToListAsync(cancellationToken);
        return units.Select(u => (u.HsaId.Value, u.Name)).ToList();
    }
}
