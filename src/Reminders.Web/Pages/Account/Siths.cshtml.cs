using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Account;

/// <summary>
/// Sign-in with the SITHS card through the region's identity provider: the sign-in page's button posts here,
/// the provider sends the user back to <c>?handler=Callback</c>, and the HSA-id finds the staff account.
/// A refusal (no account with the HSA-id, account disabled) is explained in Swedish with whom to contact.
/// </summary>
[AllowAnonymous]
public sealed class SithsModel(StaffOidcSignIn oidc, IAuthenticationSchemeProvider schemes, IOptions<OidcSettings> settings) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public OidcRefusal? Refusal { get; private set; }

    public string? HsaId { get; private set; }

    public string Contact => settings.Value.SupportContact;

    /// <summary>Where a signed-in user goes next (unit choice, or the page asked for), through <see cref="OnGetCallbackAsync"/>'s page.</summary>
    public string? Continue { get; private set; }

    public IActionResult OnGet() => RedirectToPage("/Account/SignIn");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await schemes.GetSchemeAsync(StaffOidc.Scheme) is null)
        {
            return NotFound();
        }

        var returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;
        return Challenge(new AuthenticationProperties { RedirectUri = Url.Page("/Account/Siths", "Callback", new { ReturnUrl = returnUrl }) }, StaffOidc.Scheme);
    }

    public async Task<IActionResult> OnGetCallbackAsync()
    {
        var result = await oidc.CompleteAsync(HttpContext);
        if (result is null)
        {
            return RedirectToPage("/Account/SignIn");
        }

        if (!result.SignedIn)
        {
            Refusal = result.Refusal;
            HsaId = result.HsaId;
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }

        // Not a redirect: this request is the end of a chain of redirects that began at the provider, so a browser
        // treats a redirect from here as cross-site and leaves out the SameSite=Strict session cookie just set (the user
        // would land on the sign-in page). The page's own refresh is a same-site navigation that carries it.
        Continue = result.MustChooseUnit
            ? Url.Page("/Account/ChooseUnit", new { ReturnUrl })
            : Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/";
        return Page();
    }
}
