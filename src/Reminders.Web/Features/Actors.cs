using System.Security.Claims;
using Reminders.Domain.Reminders;

namespace Reminders.Web.Features;

/// <summary>The handler actor of a signed-in staff member (R55): user id and roles, never the name.</summary>
public static class Actors
{
    /// <summary>The actor for <paramref name="user"/> acting through <paramref name="channel"/>.</summary>
    public static Actor Staff(ClaimsPrincipal user, ChangeChannel channel)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown";
        var roles = string.Join(",", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
        return new Actor(id, channel, roles.Length == 0 ? null : roles);
    }
}
