using Microsoft.AspNetCore.Identity;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Account;

/// <summary>Sign-out (POST only, antiforgery-checked).</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class SignOutModel(SignInManager<StaffUser> signIn, AuditLog audit) : PageModel
{
    public IActionResult OnGet() => RedirectToPage("/Index");

    public async Task<IActionResult> OnPostAsync()
    {
        await audit.RecordNowAsync(AuditAction.SignOut, ChangeChannel.Web);

        // A session begun at the region's identity provider ends there too (its end-session endpoint).
        var atProvider = await StaffOidc.ProviderSignOutAsync(HttpContext);
        await signIn.SignOutAsync();
        return atProvider is null ? RedirectToPage("/Account/SignIn") : SignOut(atProvider, StaffOidc.Scheme);
    }
}
