using Serilog.AspNetCore;
using Serilog.Events;

namespace Reminders.Web.Hosting;

/// <summary>
/// Serilog.AspNetCore's request logging, one structured line per request: method, route template, status,
/// elapsed. It names the route template, never the raw path or query (Serilog's default <c>RequestPath</c>):
/// a path or query may hold a personnummer.
/// </summary>
internal static class RequestLogging
{
    /// <summary>The line's template; the properties are <see cref="Properties"/>.</summary>
    public const string MessageTemplate = "HTTP {Method} {RouteTemplate} responded {StatusCode} in {ElapsedMs:0.0} ms";

    /// <summary>Sets the options: the application's logger (the static one is not ours), our template and properties.</summary>
    public static void Configure(RequestLoggingOptions options, Serilog.ILogger logger)
    {
        options.Logger = logger;
        options.MessageTemplate = MessageTemplate;
        // As before Serilog.AspNetCore: every request at Information; failures are logged by the exception handler.
        options.GetLevel = (_, _, _) => LogEventLevel.Information;
        options.IncludeQueryInRequestPath = false;
        // As ASP.NET Core's request scope gave our old middleware's line: ids that tie it to the request's other lines.
        options.EnrichDiagnosticContext = (diagnostics, context) =>
        {
            diagnostics.Set("RequestId", context.TraceIdentifier);
            diagnostics.Set("ConnectionId", context.Connection.Id);
        };
        options.GetMessageTemplateProperties = (context, _, elapsedMs, statusCode) => Properties(context, elapsedMs, statusCode);
    }

    /// <summary>The line's properties; the raw path Serilog passes in is left out on purpose.</summary>
    public static IEnumerable<LogEventProperty> Properties(HttpContext context, double elapsedMs, int statusCode) =>
    [
        new("Method", new ScalarValue(context.Request.Method)),
        new("RouteTemplate", new ScalarValue(RouteTemplate(context))),
        new("StatusCode", new ScalarValue(statusCode)),
        new("ElapsedMs", new ScalarValue(elapsedMs)),
    ];

    /// <summary>The matched endpoint's route template, e.g. <c>/api/v1/patients/{id}</c>, or <c>(no endpoint)</c>.</summary>
    public static string RouteTemplate(HttpContext context) =>
        context.GetEndpoint() is RouteEndpoint route ? "/" + route.RoutePattern.RawText?.TrimStart('/') : "(no endpoint)";
}
