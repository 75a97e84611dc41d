namespace Reminders.Web.Security;

/// <summary>
/// Outside Development the product is HTTPS-only (ASVS V9): a plain-HTTP GET is redirected to HTTPS, any
/// other plain-HTTP request is refused. <c>/health</c> stays reachable for load balancers on the inside, and
/// <c>/metrics</c> for the region's Prometheus (it answers the configured networks only, and holds no personal data).
/// </summary>
internal sealed class HttpsOnlyMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/health")
            || context.Request.Path.StartsWithSegments(Hosting.Telemetry.MetricsPath))
        {
            return next(context);
        }

        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        {
            var request = context.Request;
            context.Response.Redirect($"https://{request.Host}{request.PathBase}{request.Path}{request.QueryString}", permanent: false, preserveMethod: true);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsync("HTTPS krävs.");
    }
}
