using System.Diagnostics;

namespace Reminders.Web.Hosting;

/// <summary>
/// One structured line per request: method, route template, status, elapsed. Serilog.AspNetCore is not
/// on the registry here (docs/decisions/0003), so this small middleware does its request logging. It logs
/// the route template, never the raw path or query: a path may hold a personnummer.
/// </summary>
internal sealed partial class RequestLoggingMiddleware(RequestDelegate next, ILogger<RequestLoggingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var template = context.GetEndpoint() is RouteEndpoint route ? "/" + route.RoutePattern.RawText?.TrimStart('/') : "(no endpoint)";
            var status = failed ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;
            LogRequest(logger, context.Request.Method, template, status, elapsed);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "HTTP {Method} {RouteTemplate} responded {StatusCode} in {ElapsedMs:0.0} ms")]
    private static partial void LogRequest(ILogger logger, string method, string routeTemplate, int statusCode, double elapsedMs);
}
