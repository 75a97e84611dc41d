using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.Identity;

/// <summary>Creating accounts and roles: shared by the seeder, the create-admin command and the admin pages.</summary>
public sealed class StaffAccounts(UserManager<StaffUser> users, RoleManager<IdentityRole> roles)
{
    /// <summary>Creates the roles of R56 where missing (every start; idempotent).</summary>
    public async Task EnsureRolesAsync()
    {
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }
    }

    /// <summary>Creates an account; returns the Identity errors when it cannot (e.g. duplicate e-mail, weak password).</summary>
    public async Task<IdentityResult> CreateAsync(string email, string displayName, string password, IEnumerable<string> roleNames, IEnumerable<HsaId> units, bool mustChangePassword, bool isDemo = false, HsaId? hsaId = null)
    {
        var user = new StaffUser
        {
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = true,
            DisplayName = displayName.Trim(),
            MustChangePassword = mustChangePassword,
            IsDemo = isDemo,
            HsaId = hsaId,
            Units = units.Distinct().Select(u => new StaffUnit { Unit = u }).ToList(),
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }

        return await users.AddToRolesAsync(user, roleNames.Distinct());
    }

    /// <summary>A random password that meets the policy (shown once, changed at first sign-in).</summary>
    public static string GeneratePassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
        const string lower = "abcdefghijkmnopqrstuvwxyz";
        const string digits = "23456789";
        var all = upper + lower + digits;
        var chars = new char[20];
        chars[0] = upper[RandomNumberGenerator.GetInt32(upper.Length)];
        chars[1] = lower[RandomNumberGenerator.GetInt32(lower.Length)];
        chars[2] = digits[RandomNumberGenerator.GetInt32(digits.Length)];
        for (var i = 3; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
