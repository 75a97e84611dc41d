using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using NodaTime;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Domain.Reminders;

namespace Reminders.Web.Security;

/// <summary><c>Authentication:Oidc</c>: the region's identity provider (staff sign in with their SITHS card).</summary>
public sealed class OidcSettings
{
    /// <summary>The provider's issuer URL; none means no sign-in through a provider.</summary>
    public string? Authority { get; set; }

    /// <summary>This product's client id at the provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>This product's client secret at the provider.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The identity-token claim carrying the staff member's HSA-id.</summary>
    public string HsaIdClaim { get; set; } = "employeeHsaId";

    /// <summary>Scopes asked for, space-separated (<c>openid</c> always).</summary>
    public string Scopes { get; set; } = "openid";

    /// <summary>Metadata over HTTPS only (turned off for a provider on loopback in tests only).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whom staff contact about their account, shown when a sign-in is refused.</summary>
    public string SupportContact { get; set; } = "regionens administratör för sms-påminnelser";

    /// <summary>Whether a provider is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);
}

/// <summary><c>Authentication:LocalPasswords</c>: e-mail and password sign-in (embedded default, demo, break-glass admin).</summary>
public sealed class LocalPasswordSettings
{
    /// <summary>Whether the password form is offered and accepted.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Staff sign-in through the region's OpenID Connect provider: authorization code with PKCE, the HSA-id claim
/// finds the staff account (admins register it on the user page), and the product's own session follows with
/// the same rules as a password sign-in (idle and absolute time-outs, security stamp checked on every request).
/// </summary>
internal static class StaffOidc
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "oidc";

    /// <summary>Registers the handler; the scheme itself exists only when an authority is configured.</summary>
    public static void AddStaffOidc(this IServiceCollection services)
    {
        services.AddOptions<OidcSettings>().BindConfiguration("Authentication:Oidc");
        services.AddOptions<LocalPasswordSettings>().BindConfiguration("Authentication:LocalPasswords")
            .Validate<IOptions<OidcSettings>>((local, oidc) => local.Enabled || oidc.Value.Enabled,
                "Authentication:LocalPasswords:Enabled is false and no Authentication:Oidc:Authority is configured: nobody could sign in.")
            .ValidateOnStart();
        services.AddScoped<StaffOidcSignIn>();

        // What AddOpenIdConnect registers, with the scheme added only when configured: configuration is read when
        // the options are first needed (tests' settings included), and an unconfigured handler must not exist at
        // all, since the authentication middleware asks every remote handler about every request.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<OpenIdConnectOptions>, OpenIdConnectPostConfigureOptions>());
        services.TryAddTransient<OpenIdConnectHandler>();
        services.AddOptions<AuthenticationOptions>().Configure<IOptions<OidcSettings>>((o, oidc) =>
        {
            if (oidc.Value.Enabled)
            {
                o.AddScheme<OpenIdConnectHandler>(Scheme, "SITHS-kort");
            }
        });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<OidcSettings>, IHostEnvironment>((o, settings, environment) =>
        {
            var s = settings.Value;
            o.Authority = s.Authority;
            o.ClientId = s.ClientId;
            o.ClientSecret = s.ClientSecret;
            o.RequireHttpsMetadata = s.RequireHttpsMetadata;
            o.ResponseType = OpenIdConnectResponseType.Code;
            o.UsePkce = true;
            // The code comes back as a top-level GET: the correlation cookies can be SameSite=Lax.
            o.ResponseMode = OpenIdConnectResponseMode.Query;
            o.Scope.Clear();
            foreach (var scope in ("openid " + s.Scopes).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal))
            {
                o.Scope.Add(scope);
            }

            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            // The provider's identity rests in a short-lived external cookie until the HSA-id is matched to an account.
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.SaveTokens = true;
            o.CallbackPath = "/signin-oidc";
            o.SignedOutCallbackPath = "/signout-callback-oidc";
            o.SignedOutRedirectUri = "/Account/SignIn";
            o.CorrelationCookie.SameSite = SameSiteMode.Lax;
            o.NonceCookie.SameSite = SameSiteMode.Lax;
            if (environment.IsDevelopment())
            {
                // Development serves plain http://localhost (as the session cookie there).
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }

            o.Events.OnRedirectToIdentityProviderForSignOut = context =>
            {
                if (context.Properties.GetParameter<string>(OpenIdConnectParameterNames.IdTokenHint) is { } hint)
                {
                    context.ProtocolMessage.IdTokenHint = hint;
                }

                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = context =>
            {
                // Cancelled at the provider, or the provider answered with an error: back to the sign-in page, said in Swedish.
                context.Response.Redirect("/Account/SignIn?failed=oidc");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>The authentication properties of a new ticket for the current session: the provider's identity token carried over.</summary>
    public static async Task<AuthenticationProperties> SessionPropertiesAsync(HttpContext context)
    {
        var properties = new AuthenticationProperties();
        if (await context.GetTokenAsync(IdentityConstants.ApplicationScheme, OpenIdConnectParameterNames.IdToken) is { } idToken)
        {
            properties.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
        }

        return properties;
    }

    /// <summary>The properties that end the session at the provider too, or null when it was not begun there.</summary>
    public static async Task<AuthenticationProperties?> ProviderSignOutAsync(HttpContext context)
    {
        if (await context.GetTokenAsync(IdentityConstants.ApplicationScheme, OpenIdConnectParameterNames.IdToken) is not { } idToken
            || await context.RequestServices.GetRequiredService<IAuthenticationSchemeProvider>().GetSchemeAsync(Scheme) is null)
        {
            return null;
        }

        var properties = new AuthenticationProperties { RedirectUri = "/Account/SignIn" };
        properties.SetParameter(OpenIdConnectParameterNames.IdTokenHint, idToken);
        return properties;
    }
}

/// <summary>Why a sign-in through the provider was refused.</summary>
public enum OidcRefusal
{
    /// <summary>The identity token held no well-formed HSA-id.</summary>
    NoHsaId,

    /// <summary>No staff account has the HSA-id.</summary>
    UnknownHsaId,

    /// <summary>The account is disabled (or a demo account outside Development).</summary>
    NotAllowed,
}

/// <summary>The outcome: signed in (and whether a unit must be chosen), or refused.</summary>
public sealed record OidcSignInResult(bool SignedIn, bool MustChooseUnit, OidcRefusal? Refusal, string? HsaId);

/// <summary>Turns the provider's identity (in the external cookie) into a staff session, or refuses it with an audit row.</summary>
public sealed class StaffOidcSignIn(
    StaffDirectory staff,
    UserManager<StaffUser> users,
    SignInManager<StaffUser> signIn,
    AuditLog audit,
    IClock clock,
    IOptions<OidcSettings> settings)
{
    public async Task<OidcSignInResult?> CompleteAsync(HttpContext context)
    {
        var external = await context.AuthenticateAsync(IdentityConstants.ExternalScheme);
        if (!external.Succeeded)
        {
            return null;
        }

        // The external identity is used once: whatever happens next, it is gone.
        await context.SignOutAsync(IdentityConstants.ExternalScheme);
        var claimed = external.Principal.FindFirstValue(settings.Value.HsaIdClaim);
        var parsed = HsaId.Parse(claimed);
        if (!parsed.Succeeded)
        {
            await audit.RecordNowAsync(AuditAction.SignInFailed, ChangeChannel.Web, details: new { method = "oidc", reason = "no-hsa-id", claim = settings.Value.HsaIdClaim }, succeeded: false);
            return new OidcSignInResult(false, false, OidcRefusal.NoHsaId, null);
        }

        var hsaId = parsed.Value;
        var user = await staff.AccountByHsaIdAsync(hsaId, context.RequestAborted);
        if (user is null)
        {
            // The HSA-id is recorded so that an admin can register it on the right account.
            await audit.RecordNowAsync(AuditAction.SignInFailed, ChangeChannel.Web, details: new { method = "oidc", reason = "unknown-hsa-id", hsaId = hsaId.Value }, succeeded: false);
            return new OidcSignInResult(false, false, OidcRefusal.UnknownHsaId, hsaId.Value);
        }

        if (!await signIn.CanSignInAsync(user))
        {
            await audit.RecordNowAsync(AuditAction.SignInFailed, ChangeChannel.Web, details: new { method = "oidc", user = user.Id, reason = "not-allowed" }, succeeded: false);
            return new OidcSignInResult(false, false, OidcRefusal.NotAllowed, hsaId.Value);
        }

        var units = await staff.UnitsOfAsync(user.Id, context.RequestAborted);
        var unit = units.Count == 1 ? units[0].Value : null;
        var properties = new AuthenticationProperties();
        if (external.Properties?.GetTokenValue(OpenIdConnectParameterNames.IdToken) is { } idToken)
        {
            // Kept in the session ticket for the provider's end-session request at sign-out.
            properties.StoreTokens([new AuthenticationToken { Name = OpenIdConnectParameterNames.IdToken, Value = idToken }]);
        }

        await signIn.SignInWithClaimsAsync(user, properties, SecuritySetup.SessionClaims(clock.GetCurrentInstant(), unit));
        await audit.AppendNowAsync(AuditAction.SignIn, new Actor(user.Id, ChangeChannel.Web, null, unit), unit, null, new { method = "oidc", user = user.Id, unit }, context.RequestAborted);

        var mustChooseUnit = unit is null && units.Count > 1
            && (await users.IsInRoleAsync(user, StaffRoles.Receptionist) || await users.IsInRoleAsync(user, StaffRoles.UnitManager));
        return new OidcSignInResult(true, mustChooseUnit, null, hsaId.Value);
    }
}
