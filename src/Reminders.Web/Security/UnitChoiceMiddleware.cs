using Reminders.Infrastructure.Identity;

namespace Reminders.Web.Security;

/// <summary>
/// A user who must change their password is sent to do so before anything else; a receptionist or manager
/// who has not chosen the unit they work from is sent to choose it before any page that needs it (their
/// actions and the audit rows name that unit).
/// </summary>
internal sealed class UnitChoiceMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var user = context.User;
        var path = context.Request.Path;

        // After a reset (or for a new admin) the one-time password opens nothing but the password change.
        if (user.HasClaim(c => c.Type == Policies.MustChangePasswordClaim)
            && !path.StartsWithSegments("/Account/ChangePassword") && !path.StartsWithSegments("/Account/SignOut")
            && !path.StartsWithSegments("/css") && !path.StartsWithSegments("/health"))
        {
            context.Response.Redirect("/Account/ChangePassword");
            return Task.CompletedTask;
        }

        if (user.Identity?.IsAuthenticated == true
            && user.Unit() is null
            && (user.IsInRole(StaffRoles.Receptionist) || user.IsInRole(StaffRoles.UnitManager))
            && HttpMethods.IsGet(context.Request.Method)
            && !path.StartsWithSegments("/Account") && !path.StartsWithSegments("/api") && !path.StartsWithSegments("/openapi") && !path.StartsWithSegments("/health")
            && !path.StartsWithSegments("/css") && !path.StartsWithSegments("/Admin") && path != "/")
        {
            context.Response.Redirect("/Account/ChooseUnit?ReturnUrl=" + Uri.EscapeDataString(path + context.Request.QueryString));
            return Task.CompletedTask;
        }

        return next(context);
    }
}
