using System.Globalization;
using NodaTime;
using Reminders.Domain.Reminders;

namespace Reminders.Web.Pages.Reports;

/// <summary>R60: the patients who block each of the manager's units.</summary>
public sealed class BlockedModel(ReportScope scope, ReportQueries queries, IClock clock) : ReportPageModel(scope)
{
    private const string Report = "Blocked";

    public IReadOnlyList<BlockedRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        Rows = await queries.BlockedAsync(Units, cancellationToken);
        await RecordViewAsync(Report, Rows.Count, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (await ScopeAsync(Report, cancellationToken) is { } refused)
        {
            return refused;
        }

        Rows = await queries.BlockedAsync(Units, cancellationToken);
        await RecordViewAsync(Report + "Csv", Rows.Count, cancellationToken);
        IReadOnlyList<string>[] header = [["Klinik", "Enhet", "HSA-id", "Personnummer", "Namn", "Blockerad", "Registrerad vid enhet", "Kanal", "Kommande bokningar", "Nästa bokning"]];
        return CsvFile("blockeringar", header.Concat(Rows.Select(r => (IReadOnlyList<string>)
        [
            r.Unit.Clinic, r.Unit.Name, r.Unit.HsaId.Value, r.Patient.IdentityNumber, r.Patient.Name, Local(r.BlockedAt),
            r.RegisteredAtName ?? r.RegisteredAtUnit?.Value ?? "", ChannelText(r.Channel),
            r.UpcomingBookings.Count.ToString(CultureInfo.InvariantCulture), r.UpcomingBookings.Count == 0 ? "" : Local(r.UpcomingBookings[0]),
        ])), clock.GetCurrentInstant());
    }

    /// <summary>The channel in Swedish.</summary>
    public static string ChannelText(ChangeChannel channel) => channel switch
    {
        ChangeChannel.CheckIn => "Ankomstregistrering",
        ChangeChannel.EService => "E-tjänst (1177)",
        ChangeChannel.Migration => "Migrering från VAS",
        ChangeChannel.Automatic => "Automatiskt",
        ChangeChannel.Api => "Integration",
        ChangeChannel.Admin => "Administratör",
        _ => channel.ToString(),
    };
}
