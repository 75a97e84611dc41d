using Reminders.Domain.Messages;

namespace Reminders.Web.Pages.Admin;

/// <summary>
/// Admin: SMS counts per status and the Sink gateway's stored messages, numbers masked but for the last two digits.
/// </summary>
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Security.Policies.Admin)]
public sealed class SmsModel(Application.Admin.AdminSettings settings) : PageModel
{
    public IReadOnlyList<(string Label, int Count)> Counts { get; private set; } = [];

    public IReadOnlyList<(string At, string To, string Text)> SinkMessages { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var byStatus = await settings.SmsCountsAsync(cancellationToken);
        int Count(SmsStatus s) => byStatus.GetValueOrDefault(s);
        Counts =
        [
            ("Väntande", Count(SmsStatus.Pending) + Count(SmsStatus.Sending)),
            ("Skickade", Count(SmsStatus.Sent)),
            ("Levererade", Count(SmsStatus.Delivered)),
            ("Misslyckade", Count(SmsStatus.Failed)),
            ("Stoppade av regel", Count(SmsStatus.Suppressed)),
            ("Avbokade", Count(SmsStatus.Cancelled)),
        ];
        var sink = await settings.SinkMessagesAsync(100, cancellationToken);
        SinkMessages = sink.Select(m => (Domain.Time.Stockholm.LocalOf(m.At).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), Application.Patients.ShownNumbers.Masked(m.To.Value), m.Text)).ToList();
    }
}
