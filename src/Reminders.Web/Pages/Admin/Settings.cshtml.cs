using NodaTime.Text;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Planning;
using Reminders.Web.Security;

namespace Reminders.Web.Pages.Admin;

/// <summary>
/// Admin: quiet hours (R28) and the self check-in link (R26), stored in the database and used by the
/// decision through <see cref="DatabaseSmsPolicySource"/>; configuration is the default until saved.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class SettingsModel(AdminSettings settings) : PageModel
{
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    [BindProperty]
    public bool QuietHoursEnabled { get; set; }

    [BindProperty]
    public string QuietHoursStart { get; set; } = "";

    [BindProperty]
    public string QuietHoursEnd { get; set; } = "";

    [BindProperty]
    public string? SelfCheckInLink { get; set; }

    /// <summary>True while no setting is saved (configuration is in force).</summary>
    public bool FromConfiguration { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var saved = await settings.SavedPolicyAsync(cancellationToken);
        FromConfiguration = saved is null;
        var policy = saved ?? settings.Fallback;
        QuietHoursEnabled = policy.QuietHours.Enabled;
        QuietHoursStart = TimePattern.Format(policy.QuietHours.Start);
        QuietHoursEnd = TimePattern.Format(policy.QuietHours.End);
        SelfCheckInLink = policy.SelfCheckInLink;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var start = TimePattern.Parse(QuietHoursStart?.Trim() ?? "");
        var end = TimePattern.Parse(QuietHoursEnd?.Trim() ?? "");
        if (!start.Success)
        {
            ModelState.AddModelError(nameof(QuietHoursStart), "Ange tiden som TT:MM, t.ex. 21:00.");
        }

        if (!end.Success)
        {
            ModelState.AddModelError(nameof(QuietHoursEnd), "Ange tiden som TT:MM, t.ex. 07:00.");
        }

        var link = SelfCheckInLink?.Trim() ?? "";
        if (link.Length > 0 && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || link.Length > SmsPolicySetting.MaxLinkLength))
        {
            ModelState.AddModelError(nameof(SelfCheckInLink), $"Ange en fullständig https-adress (högst {SmsPolicySetting.MaxLinkLength} tecken), eller lämna tomt för att inte skicka sms om självincheckning.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await settings.SaveSmsSettingsAsync(new SmsSettingsInput(QuietHoursEnabled, start.Value, end.Value, link), Actors.Staff(User, ChangeChannel.Admin), cancellationToken);
        TempData["Message"] = "Inställningarna är sparade. Väntande sms planeras om nu efter de nya inställningarna.";
        return RedirectToPage();
    }
}
