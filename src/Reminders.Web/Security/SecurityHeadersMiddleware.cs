namespace Reminders.Web.Security;

/// <summary>
/// OWASP ASVS L2 response headers: a CSP without inline script that forbids framing, nosniff, no
/// referrer, and no caching of pages that may show patient data. With the region's identity provider
/// configured, forms may also lead there (browsers apply <c>form-action</c> to the redirects of a form post:
/// the sign-in and sign-out buttons redirect to the provider).
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next, Microsoft.Extensions.Options.IOptions<OidcSettings> oidc)
{
    private readonly string _contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        $"connect-src 'self'; form-action 'self'{ProviderOrigin(oidc.Value)}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = _contentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/css") && !context.Request.Path.StartsWithSegments("/js")
                && !context.Request.Path.StartsWithSegments("/lib"))
            {
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }

    private static string ProviderOrigin(OidcSettings settings) =>
        settings.Enabled && Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority)
            ? " " + authority.GetLeftPart(UriPartial.Authority)
            : "";
}
