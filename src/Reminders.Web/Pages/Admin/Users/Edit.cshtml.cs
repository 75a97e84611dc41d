using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Users;

/// <summary>Create or edit a staff account: roles, units, disable/enable, password reset. No self-registration exists.</summary>
[Authorize(Policy = Policies.Admin)]
public sealed class EditModel(StaffDirectory staff, AdminSettings admin, UserManager<StaffUser> users, StaffAccounts accounts, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public UserInput Input { get; set; } = new();

    public StaffUser? Existing { get; private set; }

    public IReadOnlyList<CareUnit> AllUnits { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        if (Id is not null && Existing is null)
        {
            return NotFound();
        }

        if (Existing is not null)
        {
            Input = new UserInput
            {
                DisplayName = Existing.DisplayName,
                Email = Existing.Email ?? "",
                Roles = [.. await users.GetRolesAsync(Existing)],
                Units = Existing.Units.Select(u => u.Unit.Value).ToList(),
                HsaId = Existing.HsaId?.Value ?? "",
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync()
    {
        await LoadAsync();
        if (Id is not null && Existing is null)
        {
            return NotFound();
        }

        var validator = new UserInputValidator(AllUnits.Select(u => u.HsaId.Value).ToHashSet(StringComparer.Ordinal));
        if (!validator.Validate(Input).AddTo(ModelState))
        {
            return Page();
        }

        var units = Input.Units.Distinct(StringComparer.Ordinal).Select(HsaId.FromTrusted).ToList();
        var hsaId = string.IsNullOrWhiteSpace(Input.HsaId) ? null : HsaId.Parse(Input.HsaId).Value;
        if (hsaId is not null && await staff.HsaIdTakenAsync(hsaId, Id, HttpContext.RequestAborted))
        {
            ModelState.AddModelError("Input.HsaId", "HSA-id:t är redan kopplat till ett annat konto.");
            return Page();
        }

        if (Existing is null)
        {
            var password = StaffAccounts.GeneratePassword();
            var created = await accounts.CreateAsync(Input.Email, Input.DisplayName, password, Input.Roles, units, mustChangePassword: true, hsaId: hsaId);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors)
                {
                    ModelState.AddModelError("Input.Email", error.Description);
                }

                return Page();
            }

            var user = await users.FindByEmailAsync(Input.Email.Trim());
            await audit.RecordNowAsync(AuditAction.UserAdmin, ChangeChannel.Admin, details: new { user = user!.Id, change = "created", roles = Input.Roles, units = Input.Units, hsaId = hsaId?.Value });
            TempData["Message"] = $"Kontot är skapat. Engångslösenord (visas bara nu, byts vid första inloggningen): {password}";
            return RedirectToPage("Edit", new { id = user.Id });
        }

        Existing.DisplayName = Input.DisplayName.Trim();
        Existing.HsaId = hsaId;
        Existing.Units.RemoveAll(u => !units.Contains(u.Unit));
        Existing.Units.AddRange(units.Where(u => !Existing.Units.Exists(x => x.Unit == u)).Select(u => new StaffUnit { UserId = Existing.Id, Unit = u }));
        var current = await users.GetRolesAsync(Existing);
        await users.RemoveFromRolesAsync(Existing, current.Except(Input.Roles));
        await users.AddToRolesAsync(Existing, Input.Roles.Except(current));

        // Role or unit changes take effect at once: the renewed stamp refreshes every session's claims.
        await users.UpdateSecurityStampAsync(Existing);
        await audit.RecordNowAsync(AuditAction.UserAdmin, ChangeChannel.Admin, details: new { user = Existing.Id, change = "updated", roles = Input.Roles, units = Input.Units, hsaId = hsaId?.Value });
        TempData["Message"] = "Ändringarna är sparade.";
        return RedirectToPage("Edit", new { id = Existing.Id });
    }

    public async Task<IActionResult> OnPostDisableAsync(bool disable)
    {
        await LoadAsync();
        if (Existing is null)
        {
            return NotFound();
        }

        if (disable && Existing.Id == users.GetUserId(User))
        {
            TempData["Message"] = "Du kan inte stänga av ditt eget konto.";
            return RedirectToPage("Edit", new { id = Existing.Id });
        }

        Existing.Disabled = disable;
        await users.UpdateAsync(Existing);

        // A new security stamp ends every session of the user at their next request.
        await users.UpdateSecurityStampAsync(Existing);
        await audit.RecordNowAsync(AuditAction.UserAdmin, ChangeChannel.Admin, details: new { user = Existing.Id, change = disable ? "disabled" : "enabled" });
        TempData["Message"] = disable ? "Kontot är avstängt och dess sessioner är avslutade." : "Kontot är aktiverat igen.";
        return RedirectToPage("Edit", new { id = Existing.Id });
    }

    public async Task<IActionResult> OnPostResetPasswordAsync()
    {
        await LoadAsync();
        if (Existing is null)
        {
            return NotFound();
        }

        var password = StaffAccounts.GeneratePassword();
        var token = await users.GeneratePasswordResetTokenAsync(Existing);
        var result = await users.ResetPasswordAsync(Existing, token, password);
        if (!result.Succeeded)
        {
            TempData["Message"] = string.Join(" ", result.Errors.Select(e => e.Description));
            return RedirectToPage("Edit", new { id = Existing.Id });
        }

        Existing.MustChangePassword = true;
        await users.UpdateAsync(Existing);
        await users.SetLockoutEndDateAsync(Existing, null);
        await users.ResetAccessFailedCountAsync(Existing);
        await audit.RecordNowAsync(AuditAction.UserAdmin, ChangeChannel.Admin, details: new { user = Existing.Id, change = "password-reset" });
        TempData["Message"] = $"Lösenordet är återställt. Engångslösenord (visas bara nu): {password}";
        return RedirectToPage("Edit", new { id = Existing.Id });
    }

    private async Task LoadAsync()
    {
        AllUnits = await admin.UnitsAsync(HttpContext.RequestAborted);
        Existing = Id is null ? null : await staff.AccountAsync(Id, HttpContext.RequestAborted);
    }
}

/// <summary>The account form.</summary>
public sealed class UserInput
{
    public string DisplayName { get; set; } = "";

    public string Email { get; set; } = "";

    public List<string> Roles { get; set; } = [];

    public List<string> Units { get; set; } = [];

    /// <summary>The person's HSA-id for sign-in with the SITHS card; empty for none.</summary>
    public string HsaId { get; set; } = "";
}

/// <summary>Input shape of the account form.</summary>
public sealed class UserInputValidator : AbstractValidator<UserInput>
{
    public UserInputValidator(IReadOnlySet<string> knownUnits)
    {
        RuleFor(x => x.DisplayName).NotEmpty().WithMessage("Ange ett namn.").MaximumLength(200).WithMessage("Namnet får vara högst 200 tecken.");
        RuleFor(x => x.Email).NotEmpty().WithMessage("Ange en e-postadress.").EmailAddress().WithMessage("Ange en giltig e-postadress.");
        RuleFor(x => x.Roles).NotEmpty().WithMessage("Välj minst en roll.");
        // R51: a person's HSA-id has a unit's shape; the domain type gives the Swedish message.
        RuleFor(x => x.HsaId).Custom((value, context) =>
        {
            if (!string.IsNullOrWhiteSpace(value) && HsaId.Parse(value).Reasons is [var reason, ..])
            {
                context.AddFailure(reason.Text);
            }
        });
        RuleForEach(x => x.Roles).Must(r => StaffRoles.All.Contains(r)).WithMessage("Okänd roll.");
        RuleForEach(x => x.Units).Must(knownUnits.Contains).WithMessage("Okänd enhet.");
        RuleFor(x => x.Units).NotEmpty()
            .When(x => x.Roles.Contains(StaffRoles.Receptionist) || x.Roles.Contains(StaffRoles.UnitManager))
            .WithMessage("Receptionister och enhetschefer måste kopplas till minst en enhet.");
    }
}
