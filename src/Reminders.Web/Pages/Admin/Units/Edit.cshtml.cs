using Reminders.Domain.Reminders;
using Reminders.Domain.Texts;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Planning;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin.Units;

/// <summary>
/// Admin: create or edit a care unit (R51 HSA-id; the name as it appears in the reminder, with a preview and
/// its segment count: a warning past one SMS, refused past two, R27), and deactivate or reactivate it.
/// The preview works without JavaScript ("Förhandsgranska" posts the form back); js/unit-preview.js only
/// refreshes it while typing.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class EditModel(AdminSettings admin, UnitsHandler handler, ISmsPolicySource policies) : PageModel
{
    /// <summary>R26: true while no self check-in link is set anywhere, so no unit sends the self check-in SMS.</summary>
    public bool NoSelfCheckInLink => string.IsNullOrWhiteSpace(policies.Current.SelfCheckInLink);

    public sealed class UnitForm
    {
        public string HsaId { get; set; } = "";

        public string Name { get; set; } = "";

        public string Clinic { get; set; } = "";

        public bool UsesSmsReminders { get; set; } = true;

        public bool OffersSelfCheckIn { get; set; }

        public bool CentralReception { get; set; }
    }

    [BindProperty]
    public UnitForm Input { get; set; } = new();

    /// <summary>The unit being edited; null when creating.</summary>
    public CareUnit? Existing { get; private set; }

    public string? PreviewText { get; private set; }

    public SmsLength? PreviewLength { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is not null)
        {
            if (await FindAsync(id, cancellationToken) is not { } unit)
            {
                return NotFound();
            }

            Input = new UnitForm { HsaId = unit.HsaId.Value, Name = unit.Name, Clinic = unit.Clinic, UsesSmsReminders = unit.UsesSmsReminders, OffersSelfCheckIn = unit.OffersSelfCheckIn, CentralReception = unit.CentralReception };
            SetPreview();
        }

        return Page();
    }

    /// <summary>The server round-trip preview: nothing is saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string? id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        await LoadExistingAsync(id, cancellationToken);
        SetPreview();
        foreach (var (field, message) in UnitsHandler.Check(Input.Name, Input.Clinic).Where(e => e.Key == "Name"))
        {
            ModelState.AddModelError("Input." + field, message);
        }

        return Page();
    }

    /// <summary>The live preview for js/unit-preview.js: the same server code, as JSON.</summary>
    public IActionResult OnGetPreview(string? name)
    {
        var (text, length) = UnitsHandler.Preview(name ?? "");
        var check = SmsText.CheckUnitName((name ?? "").Trim());
        return new JsonResult(new { text, segments = length.Segments, units = length.Units, encoding = length.Encoding.ToString(), refused = !check.Succeeded, message = PreviewMessage(length) });
    }

    public async Task<IActionResult> OnPostSaveAsync(string? id, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        await LoadExistingAsync(id, cancellationToken);
        HsaId? hsa = Existing?.HsaId;
        if (Existing is null)
        {
            var (value, error) = UnitsHandler.ParseHsa(Input.HsaId);
            hsa = value;
            if (error is not null)
            {
                ModelState.AddModelError("Input.HsaId", error);
            }
            else if (await FindAsync(value!.Value, cancellationToken) is not null)
            {
                ModelState.AddModelError("Input.HsaId", "Det finns redan en enhet med det HSA-id:t.");
            }
        }

        foreach (var (field, message) in UnitsHandler.Check(Input.Name, Input.Clinic))
        {
            ModelState.AddModelError("Input." + field, message);
        }

        SetPreview();
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var outcome = await handler.PutAsync(hsa!, new UnitInput(Input.Name, Input.Clinic, Input.UsesSmsReminders, Input.OffersSelfCheckIn, Input.CentralReception),
            Actors.Staff(User, ChangeChannel.Admin), cancellationToken, AuditAction.UnitAdmin);
        TempData["Message"] = outcome.Kind == OutcomeKind.Created ? "Enheten är skapad." : "Enheten är sparad. Planerade sms är uppdaterade.";
        return RedirectToPage("/Admin/Units/Edit", new { id = hsa!.Value });
    }

    public async Task<IActionResult> OnPostActiveAsync(string id, bool active, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, cancellationToken) is not { } unit)
        {
            return NotFound();
        }

        await handler.SetActiveAsync(unit.HsaId, active, Actors.Staff(User, ChangeChannel.Admin), cancellationToken);
        TempData["Message"] = active ? "Enheten är aktiverad igen." : "Enheten är inaktiverad. Den skickar inga sms.";
        return RedirectToPage("/Admin/Units/Edit", new { id = unit.HsaId.Value });
    }

    /// <summary>The warning or refusal for a preview (R27).</summary>
    public static string PreviewMessage(SmsLength length) => length.Segments switch
    {
        1 => "Påminnelsen ryms i ett sms.",
        <= SmsText.MaxReminderSegments => $"Varning: påminnelsen blir {length.Segments} sms (kostar mer). Korta namnet om det går.",
        _ => $"För långt: påminnelsen blir {length.Segments} sms; högst {SmsText.MaxReminderSegments} är tillåtet.",
    };

    private void SetPreview()
    {
        if (!string.IsNullOrWhiteSpace(Input.Name))
        {
            (PreviewText, PreviewLength) = UnitsHandler.Preview(Input.Name);
        }
    }

    private async Task LoadExistingAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is not null)
        {
            Existing = await FindAsync(id, cancellationToken);
            if (Existing is not null)
            {
                Input.HsaId = Existing.HsaId.Value;
            }
        }
    }

    private async Task<CareUnit?> FindAsync(string id, CancellationToken cancellationToken)
    {
        var parsed = HsaId.Parse(id);
        if (!parsed.Succeeded)
        {
            return null;
        }

        var hsa = parsed.Value;
        Existing = await admin.UnitAsync(hsa, cancellationToken);
        return Existing;
    }
}
