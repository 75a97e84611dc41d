using FluentValidation;
using Microsoft.AspNetCore.Identity;
using NodaTime;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Account;

/// <summary>Sign-in for staff. Lockout after repeated failures; a new session (cookie) at every sign-in.</summary>
[AllowAnonymous]
public sealed class SignInModel(
    UserManager<StaffUser> users,
    SignInManager<StaffUser> signIn,
    StaffDirectory staff,
    AuditLog audit,
    IClock clock,
    IHostEnvironment environment,
    AnonymousLimits limits,
    Microsoft.Extensions.Options.IOptions<LocalPasswordSettings> localPasswords) : PageModel
{
    /// <summary>The demo password, shown on the page in Development only.</summary>
    public const string DemoPassword = Reminders.Infrastructure.Seeding.DemoDataSeeder.DemoPassword;

    private const string WrongCredentials = "Fel e-postadress eller lösenord.";

    private static readonly Lazy<string> DummyHash = new(() => new PasswordHasher<StaffUser>().HashPassword(new StaffUser(), Guid.NewGuid().ToString()));

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool ShowDemoAccounts => environment.IsDevelopment();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Authentication:LocalPasswords:Enabled=false: the form is not shown, and a post made anyway is refused.
        if (!localPasswords.Value.Enabled)
        {
            return NotFound();
        }

        if (!new SignInInputValidator().Validate(Input).AddTo(ModelState))
        {
            return Page();
        }

        // Failed attempts are limited per address and per account name before any password is checked: a refused
        // attempt costs no hash, writes no audit row and never counts towards the account's lockout.
        var address = AnonymousLimits.AddressOf(HttpContext);
        var account = AnonymousLimits.AccountOf(Input.Email);
        if ((limits.SignInByAddress.RetryAfter(address) ?? limits.SignInByAccount.RetryAfter(account)) is { } after)
        {
            return TooManyAttempts(after);
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            limits.SignInByAddress.CountFailure(address);
            limits.SignInByAccount.CountFailure(account);
            // Hash anyway, so an unknown address takes as long as a known one (no account enumeration).
            users.PasswordHasher.VerifyHashedPassword(new StaffUser(), DummyHash.Value, Input.Password);
            await audit.RecordNowAsync(AuditAction.SignInFailed, ChangeChannel.Web, details: new { reason = "unknown" }, succeeded: false);
            ModelState.AddModelError("", WrongCredentials);
            return Page();
        }

        var result = await signIn.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: true);
        if (!result.Succeeded)
        {
            limits.SignInByAddress.CountFailure(address);
            limits.SignInByAccount.CountFailure(account);
            // Locked or disabled is said only to someone who knows the password: otherwise one message for all.
            var knowsPassword = (result.IsLockedOut || result.IsNotAllowed) && await users.CheckPasswordAsync(user, Input.Password);
            var why = result.IsLockedOut ? "locked" : result.IsNotAllowed ? "not-allowed" : "password";
            await audit.RecordNowAsync(AuditAction.SignInFailed, ChangeChannel.Web, details: new { user = user.Id, reason = why }, succeeded: false);
            ModelState.AddModelError("", !knowsPassword
                ? WrongCredentials
                : result.IsLockedOut
                    ? "Kontot är låst efter för många misslyckade försök. Försök igen om en stund eller kontakta en administratör."
                    : "Kontot är avstängt. Kontakta en administratör.");
            return Page();
        }

        var units = await staff.UnitsOfAsync(user.Id, HttpContext.RequestAborted);
        var unit = units.Count == 1 ? units[0].Value : null;

        // A fresh session ticket (replacing any earlier cookie), with the session start for the absolute lifetime.
        var claims = SecuritySetup.SessionClaims(clock.GetCurrentInstant(), unit);
        if (user.MustChangePassword)
        {
            claims.Add(new System.Security.Claims.Claim(Policies.MustChangePasswordClaim, "true"));
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
        await audit.AppendNowAsync(AuditAction.SignIn, new Actor(user.Id, ChangeChannel.Web, null, unit), unit, null, new { user = user.Id, unit }, HttpContext.RequestAborted);

        if (user.MustChangePassword)
        {
            return RedirectToPage("/Account/ChangePassword", new { ReturnUrl });
        }

        var needsUnit = (await users.IsInRoleAsync(user, StaffRoles.Receptionist) || await users.IsInRoleAsync(user, StaffRoles.UnitManager)) && unit is null && units.Count > 1;
        if (needsUnit)
        {
            return RedirectToPage("/Account/ChooseUnit", new { ReturnUrl });
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }

    private PageResult TooManyAttempts(TimeSpan after)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(after.TotalMinutes));
        Response.Headers.RetryAfter = AnonymousLimits.Seconds(after);
        ModelState.AddModelError("", minutes == 1
            ? "För många misslyckade inloggningsförsök. Försök igen om en minut."
            : $"För många misslyckade inloggningsförsök. Försök igen om {minutes} minuter.");
        var page = Page();
        page.StatusCode = StatusCodes.Status429TooManyRequests;
        return page;
    }
}

/// <summary>The sign-in form.</summary>
public sealed class SignInInput
{
    public string Email { get; set; } = "";

    public string Password { get; set; } = "";
}

/// <summary>Input shape of the sign-in form.</summary>
public sealed class SignInInputValidator : AbstractValidator<SignInInput>
{
    public SignInInputValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("Ange din e-postadress.")
            .EmailAddress().WithMessage("Ange en giltig e-postadress.");
        RuleFor(x => x.Password).NotEmpty().WithMessage("Ange ditt lösenord.");
    }
}
