using FluentValidation;
using Reminders.Domain;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Application.CheckIn;
using Reminders.Application.Patients;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.CheckIn;

/// <summary>
/// Issue #5: the patient's reminder page, addressed by the internal id (<c>/CheckIn/Patient?id=…</c>) so that no
/// personnummer is written into URLs. The check-in question (R40) comes first; every change goes through
/// <see cref="PatientsHandler"/> with this user, role and unit (R55) and the setting's version as shown, so a
/// change made meanwhile by someone else is refused instead of overwritten. Post/Redirect/Get on success; a
/// refusal or a validation error re-renders the page with what was typed.
/// </summary>
[Authorize(Policy = Policies.CheckIn)]
public sealed class PatientModel(CheckInQueries queries, PatientsHandler patients) : PageModel
{
    /// <summary>Shown when the setting changed since the page was rendered, or the patient (e.g. the register's mobile) while saving.</summary>
    public const string ConflictText =
        "Någon annan har ändrat patientens sms-inställningar eller uppgifter medan du hade sidan öppen. Ingenting har sparats. Sidan visar nu de senaste uppgifterna – gör om ändringen om den fortfarande behövs.";

    [BindProperty(SupportsGet = true)]
    public long? Id { get; set; }

    /// <summary>The answer to "Har du fått sms-påminnelse?" (a GET: no change, so no form post needed).</summary>
    [BindProperty(SupportsGet = true, Name = "svar")]
    public string? Answer { get; set; }

    /// <summary>The setting's version as shown (concurrency).</summary>
    [BindProperty]
    public int Version { get; set; }

    [BindProperty]
    public PhoneInput Guardian { get; set; } = new();

    [BindProperty]
    public PhoneInput Mobile { get; set; } = new();

    [BindProperty]
    public BlockInput Block { get; set; } = new();

    public PatientPage View { get; private set; } = null!;

    /// <summary>Refusals and conflicts of the last post, shown in the alert region.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    [TempData]
    public string? StatusMessage { get; set; }

    public HsaId CurrentUnit => HsaId.FromTrusted(User.Unit()!);

    /// <summary>True when the last post left an error on <paramref name="field"/> (its form is shown again with it).</summary>
    public bool HasError(string field) => ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Id is null)
        {
            return RedirectToPage("Index");
        }

        return await RenderAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostActivateAsync(CancellationToken ct) =>
        ChangeAsync(p => patients.ActivateAsync(p, CurrentUnit, Actor(), ct), "Sms-påminnelser är aktiverade. De gäller alla enheter som använder sms.", ct);

    public Task<IActionResult> OnPostDeclineAsync(CancellationToken ct) =>
        ChangeAsync(p => patients.DeclineAsync(p, CurrentUnit, Actor(), ct), "Patienten har tackat nej. Det är sparat med dagens datum.", ct);

    public Task<IActionResult> OnPostDeactivateAsync(CancellationToken ct) =>
        ChangeAsync(p => patients.DeactivateAsync(p, CurrentUnit, Actor(), ct), "Sms-påminnelser är avaktiverade.", ct);

    public Task<IActionResult> OnPostConfirmMobileAsync(CancellationToken ct) =>
        ChangeAsync(p => patients.ConfirmMobileAsync(p, CurrentUnit, Actor(), ct), "Sparat: patienten bekräftar att mobilnumret är hens eget.", ct);

    public Task<IActionResult> OnPostUnblockAsync(string unit, CancellationToken ct) =>
        HsaId.Parse(unit) is { Succeeded: true } parsed
            ? ChangeAsync(p => patients.UnblockAsync(p, parsed.Value, CurrentUnit, Actor(), ct), "Blockeringen är borttagen.", ct)
            : Task.FromResult<IActionResult>(BadRequest());

    public Task<IActionResult> OnPostRemoveGuardianAsync(int position, CancellationToken ct) =>
        ChangeAsync(p => patients.RemoveGuardianNumberAsync(p, position, CurrentUnit, Actor(), ct), "Numret är borttaget.", ct);

    public async Task<IActionResult> OnPostBlockAsync(CancellationToken ct)
    {
        var known = (await queries.UnitIdsAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (!new BlockInputValidator(known).Validate(Block).AddTo(ModelState, nameof(Block)))
        {
            return await RenderAsync(ct);
        }

        var unit = HsaId.FromTrusted(Block.Unit!);
        return await ChangeAsync(p => patients.BlockAsync(p, unit, CurrentUnit, Actor(), ct), "Enheten är blockerad.", ct);
    }

    public async Task<IActionResult> OnPostAddGuardianAsync(CancellationToken ct)
    {
        if (!new PhoneInputValidator().Validate(Guardian).AddTo(ModelState, nameof(Guardian)))
        {
            return await RenderAsync(ct);
        }

        var number = PhoneNumber.Parse(Guardian.Number).Value;
        return await ChangeAsync(p => patients.AddGuardianNumberAsync(p, number, CurrentUnit, Actor(), ct), "Numret till vårdnadshavare är registrerat.", ct, nameof(Guardian) + ".Number");
    }

    public async Task<IActionResult> OnPostRegisterMobileAsync(CancellationToken ct)
    {
        if (!new PhoneInputValidator().Validate(Mobile).AddTo(ModelState, nameof(Mobile)))
        {
            return await RenderAsync(ct);
        }

        var number = PhoneNumber.Parse(Mobile.Number).Value;
        return await ChangeAsync(p => patients.RegisterMobileAsync(p, number, CurrentUnit, Actor(), ct), "Mobilnumret är registrerat.", ct, nameof(Mobile) + ".Number");
    }

    /// <summary>What a receptionist can do instead when a rule refuses (R14 and friends).</summary>
    public static string? Instead(Reason reason) =>
        reason.Is(Reasons.ProtectedIdentity) ? "Ge patienten besökstiden på annat sätt, t.ex. på papper."
        : reason.Is(Reasons.GuardianNumbersAt13) ? "Sms går till patientens eget mobilnummer från 1177.se."
        : null;

    private Actor Actor() => Actors.Staff(User, ChangeChannel.CheckIn);

    private async Task<IActionResult> ChangeAsync(Func<PatientRef, Task<Outcome<ReminderSettingView>>> change, string done, CancellationToken ct, string? field = null)
    {
        if (Id is not { } id)
        {
            return RedirectToPage("Index");
        }

        var outcome = await change(PatientRef.ById(id, Version));
        switch (outcome.Kind)
        {
            case OutcomeKind.Ok or OutcomeKind.Created:
                StatusMessage = done;
                return RedirectToPage("Patient", new { id });
            case OutcomeKind.NotFound:
                return NotFound();
            case OutcomeKind.Conflict:
                Problems = [ConflictText];
                return await RenderAsync(ct);
            default:
                var texts = outcome.Reasons.Select(r => Instead(r) is { } instead ? $"{r.Text} {instead}" : r.Text)
                    .Concat(outcome.Errors.SelectMany(e => e.Value)).ToList();
                Problems = texts;
                if (field is not null)
                {
                    // One message with every rule that refused: the field's message shows a single entry.
                    ModelState.AddModelError(field, string.Join(" ", texts));
                }

                return await RenderAsync(ct);
        }
    }

    private async Task<IActionResult> RenderAsync(CancellationToken ct)
    {
        var view = await queries.PatientAsync(Id!.Value, CurrentUnit, Actor(), ct);
        if (view is null)
        {
            return NotFound();
        }

        View = view;

        // Every form carries the version shown now; a posted stale one must not be echoed back.
        ModelState.Remove(nameof(Version));
        Version = view.Setting.Version;
        return Page();
    }
}

/// <summary>A phone number as typed (R16 is checked by the domain: a landline is refused with the rule's text).</summary>
public sealed class PhoneInput
{
    public string? Number { get; set; }
}

/// <summary>Input shape of a phone number: something <see cref="PhoneNumber.Parse"/> reads.</summary>
public sealed class PhoneInputValidator : AbstractValidator<PhoneInput>
{
    public PhoneInputValidator() =>
        RuleFor(x => x.Number).Custom((value, context) =>
        {
            var parsed = PhoneNumber.Parse(value);
            if (!parsed.Succeeded)
            {
                context.AddFailure(string.Join(" ", parsed.Reasons.Select(r => r.Text)));
            }
        });
}

/// <summary>The unit to block (R3: any unit).</summary>
public sealed class BlockInput
{
    public string? Unit { get; set; }
}

/// <summary>Input shape of a block: one of the region's units.</summary>
public sealed class BlockInputValidator : AbstractValidator<BlockInput>
{
    public BlockInputValidator(IReadOnlySet<string> knownUnits)
    {
        RuleFor(x => x.Unit).NotEmpty().WithMessage("Välj en enhet.");
        RuleFor(x => x.Unit).Must(u => knownUnits.Contains(u!)).When(x => !string.IsNullOrEmpty(x.Unit)).WithMessage("Okänd enhet.");
    }
}
