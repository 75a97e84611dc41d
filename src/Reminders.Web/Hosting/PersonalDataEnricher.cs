using Serilog.Core;
using Serilog.Events;

namespace Reminders.Web.Hosting;

/// <summary>
/// Removes properties that can carry personal data from every log event. ASP.NET Core's request scope
/// adds the raw <c>RequestPath</c>, and a path may hold a personnummer (<c>/api/v1/patients/{id}</c>);
/// the request log line names the route template instead.
/// </summary>
internal sealed class PersonalDataEnricher : ILogEventEnricher
{
    private static readonly string[] Removed = ["RequestPath", "Path", "QueryString", "Referer"];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var name in Removed)
        {
            logEvent.RemovePropertyIfPresent(name);
        }
    }
}
