using System.Security.Claims;
using Reminders.Domain.Reminders;

namespace Reminders.Web.Security;

/// <summary>
/// The one place an <see cref="Actor"/> is built from a signed-in staff member's claims (R55): user id, roles and
/// the unit they work from; never the name. The API builds its actor from the key (<c>ApiRequest.Actor</c>).
/// </summary>
public static class Actors
{
    /// <summary>The actor for <paramref name="user"/> acting through <paramref name="channel"/>; anonymous when not signed in.</summary>
    public static Actor Staff(ClaimsPrincipal user, ChangeChannel channel)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return new Actor("anonymous", channel);
        }

        var id = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.Identity.Name ?? "unknown";
        var roles = string.Join(",", user.FindAll(ClaimTypes.Role).Select(c => c.Value).Order(StringComparer.Ordinal));
        return new Actor(id, channel, roles.Length == 0 ? null : roles, user.Unit());
    }
}
