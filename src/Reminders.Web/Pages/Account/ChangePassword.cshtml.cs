using FluentValidation;
using Microsoft.AspNetCore.Identity;
using NodaTime;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Account;

/// <summary>Change one's password; required after a reset or for a newly created admin.</summary>
[Authorize(Policy = Policies.Staff)]
public sealed class ChangePasswordModel(UserManager<StaffUser> users, SignInManager<StaffUser> signIn, AuditLog audit, IClock clock) : PageModel
{
    [BindProperty]
    public ChangePasswordInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool Required { get; private set; }

    public async Task OnGetAsync() => Required = (await users.GetUserAsync(User))?.MustChangePassword == true;

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Required = user.MustChangePassword;
        if (!new ChangePasswordInputValidator().Validate(Input).AddTo(ModelState))
        {
            return Page();
        }

        var result = await users.ChangePasswordAsync(user, Input.CurrentPassword, Input.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "PasswordMismatch" ? "Input.CurrentPassword" : "Input.NewPassword", error.Description);
            }

            return Page();
        }

        user.MustChangePassword = false;
        await users.UpdateAsync(user);
        await audit.RecordNowAsync(AuditAction.UserAdmin, ChangeChannel.Web, details: new { user = user.Id, change = "password-changed-by-user" });

        // The password change renewed the security stamp: sign in again, keeping the session's start so the
        // absolute lifetime (a shift) is not extended by changing the password.
        var claims = SecuritySetup.SessionClaims(clock.GetCurrentInstant(), User.Unit());
        if (User.FindFirst(Policies.AuthTimeClaim) is { } started)
        {
            claims[0] = new System.Security.Claims.Claim(Policies.AuthTimeClaim, started.Value);
        }

        await signIn.SignInWithClaimsAsync(user, isPersistent: false, claims);
        TempData["Message"] = "Lösenordet är bytt.";
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}

/// <summary>The change-password form.</summary>
public sealed class ChangePasswordInput
{
    public string CurrentPassword { get; set; } = "";

    public string NewPassword { get; set; } = "";

    public string ConfirmPassword { get; set; } = "";
}

/// <summary>Input shape of the change-password form (strength is Identity's: 12+ characters, mixed).</summary>
public sealed class ChangePasswordInputValidator : AbstractValidator<ChangePasswordInput>
{
    public ChangePasswordInputValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Ange ditt nuvarande lösenord.");
        RuleFor(x => x.NewPassword).NotEmpty().WithMessage("Ange ett nytt lösenord.")
            .NotEqual(x => x.CurrentPassword).WithMessage("Det nya lösenordet måste skilja sig från det nuvarande.");
        RuleFor(x => x.ConfirmPassword).Equal(x => x.NewPassword).WithMessage("Lösenorden stämmer inte överens.");
    }
}
