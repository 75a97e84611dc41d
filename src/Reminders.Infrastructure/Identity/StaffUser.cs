using Microsoft.AspNetCore.Identity;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.Identity;

/// <summary>The roles of R56. A user may hold several.</summary>
public static class StaffRoles
{
    /// <summary>Check-in and reminder changes for any patient, from the unit they work at.</summary>
    public const string Receptionist = "Receptionist";

    /// <summary>A receptionist who also sees the reports of their own units.</summary>
    public const string UnitManager = "UnitManager";

    /// <summary>Units, users, imports and SMS operations.</summary>
    public const string Admin = "Admin";

    /// <summary>Every role.</summary>
    public static IReadOnlyList<string> All { get; } = [Receptionist, UnitManager, Admin];

    /// <summary>The Swedish name shown to staff.</summary>
    public static string DisplayName(string role) => role switch
    {
        Receptionist => "Receptionist",
        UnitManager => "Enhetschef",
        Admin => "Administratör",
        _ => role,
    };
}

/// <summary>A staff account in the product's own Identity store. No self-registration: admins create them.</summary>
public sealed class StaffUser : IdentityUser
{
    /// <summary>The name shown in the UI and the audit log.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in and their sessions end at once.</summary>
    public bool Disabled { get; set; }

    /// <summary>The user must choose a new password at the next sign-in (first admin, reset passwords).</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>A Development demo account; refused in Production.</summary>
    public bool IsDemo { get; set; }

    /// <summary>The units the user works at.</summary>
    public List<StaffUnit> Units { get; set; } = [];

    /// <summary>
    /// The person's HSA-id (R51's shape), registered by an admin: a sign-in through the region's identity provider
    /// (SITHS card) finds the account by it. None for accounts that sign in with a password only.
    /// </summary>
    public HsaId? HsaId { get; set; }
}

/// <summary>A unit a staff member works at.</summary>
public sealed class StaffUnit
{
    /// <summary>The user's id.</summary>
    public string UserId { get; set; } = "";

    /// <summary>The unit.</summary>
    public HsaId Unit { get; set; } = null!;
}
