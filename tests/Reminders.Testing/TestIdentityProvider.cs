using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Reminders.Testing;

/// <summary>
/// A real OpenID Connect provider on 127.0.0.1 (Kestrel, port 0), standing in for the region's: OpenIddict's
/// server with the authorization code flow and PKCE required, discovery, signed identity tokens and an
/// end-session endpoint. Its login page asks for the HSA-id that a SITHS card would give. It keeps no store
/// (OpenIddict's degraded mode): the one client and its redirect addresses are checked by the handlers below,
/// and codes are self-contained, encrypted tokens.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    /// <summary>The product's client id.</summary>
    public const string ClientId = "reminders";

    /// <summary>The product's client secret.</summary>
    public const string ClientSecret = "test-client-secret-2025";

    private const string SessionScheme = "idp-session";

    private readonly WebApplication _app;
    private readonly ConcurrentBag<string> _redirectBases = [];
    private int _endedSessions;

    private TestIdentityProvider(WebApplication app) => _app = app;

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Authority { get; private set; } = null!;

    /// <summary>The name of the claim carrying the HSA-id in the identity token.</summary>
    public string HsaIdClaim { get; set; } = "employeeHsaId";

    /// <summary>How many times a session here was ended through the end-session endpoint.</summary>
    public int EndedSessions => _endedSessions;

    /// <summary>Starts the provider.</summary>
    public static async Task<TestIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        TestIdentityProvider? provider = null;
        builder.Services.AddAuthentication(SessionScheme).AddCookie(SessionScheme, o =>
        {
            o.Cookie.Name = "idp-session";
            o.LoginPath = "/login";
        });
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetAuthorizationEndpointUris("connect/authorize")
                .SetTokenEndpointUris("connect/token")
                .SetEndSessionEndpointUris("connect/endsession");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            options.DisableAccessTokenEncryption();
            options.EnableDegradedMode();
            options.UseAspNetCore()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough()
                .DisableTransportSecurityRequirement();

            // Degraded mode: the client is checked here instead of by an application store.
            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId)
                {
                    context.Reject(Errors.InvalidClient, "Unknown client.");
                }
                else if (!provider!.Allowed(context.RedirectUri, "/signin-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not registered.");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.ClientId != ClientId || context.ClientSecret != ClientSecret)
                {
                    context.Reject(Errors.InvalidClient, "Wrong client credentials.");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(b => b.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } uri && !provider!.Allowed(uri, "/signout-callback-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri is not registered.");
                }

                return default;
            }));
        });

        var app = builder.Build();
        provider = new TestIdentityProvider(app);
        app.UseAuthentication();
        app.MapGet("/login", (string returnUrl) => Results.Content(LoginPage(returnUrl), "text/html; charset=utf-8"));
        app.MapPost("/login", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            var identity = new ClaimsIdentity([new Claim("hsa", form["hsaId"].ToString())], SessionScheme);
            await http.SignInAsync(SessionScheme, new ClaimsPrincipal(identity));
            var returnUrl = form["returnUrl"].ToString();
            return Results.Redirect(returnUrl.StartsWith("/connect/authorize", StringComparison.Ordinal) ? returnUrl : "/");
        });
        app.MapMethods("/connect/authorize", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
        {
            var session = await http.AuthenticateAsync(SessionScheme);
            if (!session.Succeeded)
            {
                return Results.Redirect("/login?returnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
            }

            var request = http.GetOpenIddictServerRequest()!;
            var hsa = session.Principal!.FindFirstValue("hsa")!;
            var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, "siths:" + hsa);
            if (hsa.Length > 0)
            {
                identity.SetClaim(provider.HsaIdClaim, hsa);
            }

            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        app.MapMethods("/connect/endsession", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
        {
            await http.SignOutAsync(SessionScheme);
            Interlocked.Increment(ref provider._endedSessions);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });

        await app.StartAsync();
        var address = app.Urls.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        provider.Authority = new Uri(address + "/");
        return provider;
    }

    /// <summary>Registers the product's base URL: its <c>/signin-oidc</c> and <c>/signout-callback-oidc</c> become valid.</summary>
    public void AllowClientAt(string baseUrl) => _redirectBases.Add(baseUrl.TrimEnd('/'));

    /// <summary>The settings that point the product at this provider.</summary>
    public IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        ["Authentication:Oidc:Authority"] = Authority.ToString(),
        ["Authentication:Oidc:ClientId"] = ClientId,
        ["Authentication:Oidc:ClientSecret"] = ClientSecret,
        ["Authentication:Oidc:HsaIdClaim"] = HsaIdClaim,
        // The provider speaks plain HTTP on loopback; the region's speaks HTTPS.
        ["Authentication:Oidc:RequireHttpsMetadata"] = "false",
    };

    /// <summary>Stops the provider.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private bool Allowed(string? uri, string path) =>
        uri is not null && _redirectBases.Any(b => string.Equals(uri, b + path, StringComparison.Ordinal));

    private static string LoginPage(string returnUrl) => $"""
        <!DOCTYPE html>
        <html lang="sv"><head><meta charset="utf-8"><title>Regionens inloggning</title></head>
        <body><main><h1>Regionens inloggning (test)</h1>
        <form method="post" action="/login">
          <label for="hsaId">HSA-id från SITHS-kortet</label>
          <input id="hsaId" name="hsaId" type="text">
          <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
          <button type="submit">Legitimera</button>
        </form></main></body></html>
        """;
}
