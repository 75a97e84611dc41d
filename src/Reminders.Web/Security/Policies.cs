using System.Security.Claims;
using Reminders.Infrastructure.Identity;

namespace Reminders.Web.Security;

/// <summary>
/// The authorization policies (R56). Every page and endpoint names one of them or is explicitly
/// anonymous; a test enumerates the endpoints and fails on any that does neither.
/// </summary>
public static class Policies
{
    /// <summary>Check-in and reminder changes: receptionists and unit managers, working from a chosen unit.</summary>
    public const string CheckIn = "CheckIn";

    /// <summary>Reports for one's own units: unit managers, working from a chosen unit.</summary>
    public const string Reports = "Reports";

    /// <summary>Units, users, imports, audit and SMS operations.</summary>
    public const string Admin = "Admin";

    /// <summary>Any signed-in staff member (sign-out, password change, unit choice).</summary>
    public const string Staff = "Staff";

    /// <summary>The claim holding the unit the user works from in this session.</summary>
    public const string UnitClaim = "reminders:unit";

    /// <summary>The claim holding when the session began (absolute lifetime).</summary>
    public const string AuthTimeClaim = "reminders:auth_time";

    /// <summary>Present while the user must choose a new password before anything else.</summary>
    public const string MustChangePasswordClaim = "reminders:must_change_password";

    /// <summary>The claim holding the user's display name.</summary>
    public const string DisplayNameClaim = "reminders:display_name";

    /// <summary>Registers the policies.</summary>
    public static void Add(Microsoft.AspNetCore.Authorization.AuthorizationOptions options)
    {
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser());
        options.AddPolicy(CheckIn, p => p.RequireAuthenticatedUser()
            .RequireRole(StaffRoles.Receptionist, StaffRoles.UnitManager)
            .RequireClaim(UnitClaim));
        options.AddPolicy(Reports, p => p.RequireAuthenticatedUser()
            .RequireRole(StaffRoles.UnitManager)
            .RequireClaim(UnitClaim));
        options.AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(StaffRoles.Admin));

        // Anything not marked otherwise still needs a signed-in user; the endpoint test demands explicit marks.
        options.FallbackPolicy = options.GetPolicy(Staff);
    }

    /// <summary>The unit the user works from, if chosen.</summary>
    public static string? Unit(this ClaimsPrincipal user) => user.FindFirstValue(UnitClaim);
}
