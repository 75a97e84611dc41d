using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using NodaTime;
using Reminders.Infrastructure.Identity;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Account;

/// <summary>After sign-in, a user who works at several units picks the one they work from now.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ChooseUnitModel(StaffDirectory staff, UserManager<StaffUser> users, SignInManager<StaffUser> signIn, IClock clock) : PageModel
{
    public IReadOnlyList<(string HsaId, string Name)> Units { get; private set; } = [];

    [BindProperty]
    public string? Unit { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task OnGetAsync() => Units = await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        Units = await LoadAsync();
        if (Unit is null || !Units.Any(u => u.HsaId == Unit))
        {
            ModelState.AddModelError(nameof(Unit), "Välj en av dina enheter.");
            return Page();
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        // Keep the session start; only the unit changes.
        var started = User.FindFirstValue(Policies.AuthTimeClaim);
        var claims = SecuritySetup.SessionClaims(clock.GetCurrentInstant(), Unit);
        if (started is not null)
        {
            claims[0] = new Claim(Policies.AuthTimeClaim, started);
        }

        await signIn.SignInWithClaimsAsync(user, await StaffOidc.SessionPropertiesAsync(HttpContext), claims);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private async Task<IReadOnlyList<(string, string)>> LoadAsync()
    {
        var userId = users.GetUserId(User);
        return await staff.UnitChoicesAsync(userId, HttpContext.RequestAborted);
    }
}
