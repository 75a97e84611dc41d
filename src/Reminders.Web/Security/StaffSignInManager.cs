using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Identity;

namespace Reminders.Web.Security;

/// <summary>Refuses disabled users always, and the demo accounts (their password is public) outside Development.</summary>
internal sealed class StaffSignInManager(
    UserManager<StaffUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<StaffUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<StaffUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<StaffUser> confirmation,
    IHostEnvironment environment)
    : SignInManager<StaffUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(StaffUser user)
    {
        if (user.Disabled || (user.IsDemo && !environment.IsDevelopment()))
        {
            return false;
        }

        return await base.CanSignInAsync(user);
    }
}

/// <summary>Adds the display name to the principal.</summary>
internal sealed class StaffClaimsFactory(UserManager<StaffUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<StaffUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<System.Security.Claims.ClaimsIdentity> GenerateClaimsAsync(StaffUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new System.Security.Claims.Claim(Policies.DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
