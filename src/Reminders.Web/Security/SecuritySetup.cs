using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Security;

/// <summary>Accounts, sessions, policies, headers and the shared key ring (issue: access and audit).</summary>
internal static class SecuritySetup
{
    /// <summary>The session cookie: <c>__Host-</c> prefix (Secure, Path=/, no Domain).</summary>
    public const string SessionCookie = "__Host-Reminders";

    /// <summary>The antiforgery cookie.</summary>
    public const string AntiforgeryCookie = "__Host-Reminders-AF";

    /// <summary>Idle time-out: a session unused this long ends.</summary>
    public static TimeSpan IdleTimeout { get; } = TimeSpan.FromMinutes(30);

    /// <summary>Absolute lifetime: a shift. Sign in again after it.</summary>
    public static Duration AbsoluteLifetime { get; } = Duration.FromHours(10);

    public static void AddStaffSecurity(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<IActorAccessor, HttpActorAccessor>();
        services.AddScoped<AuditLog>();
        services.AddSingleton<ReadAuditWriter>();
        services.AddScoped<StaffAccounts>();

        services.AddIdentity<StaffUser, IdentityRole>(o =>
            {
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = true;
                o.Password.RequireLowercase = true;
                o.Password.RequireDigit = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<RemindersDbContext>()
            .AddSignInManager<StaffSignInManager>()
            .AddClaimsPrincipalFactory<StaffClaimsFactory>()
            .AddErrorDescriber<SwedishIdentityErrors>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = SessionCookie;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/Account/SignIn";
            o.LogoutPath = "/Account/SignOut";
            o.AccessDeniedPath = "/Account/AccessDenied";
            o.Events.OnValidatePrincipal = ValidateAbsoluteLifetimeAsync;
            o.Events.OnRedirectToAccessDenied = RecordAccessDeniedAsync;
        });

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = AntiforgeryCookie;
            o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.HeaderName = "X-CSRF-TOKEN";
        });

        // Development serves plain http://localhost (README): cookies there follow the request's scheme and so
        // cannot carry the __Host- prefix, which requires Secure. Every other environment is HTTPS-only.
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IHostEnvironment>((o, env) =>
        {
            if (env.IsDevelopment())
            {
                o.Cookie.Name = SessionCookie.Replace("__Host-", "", StringComparison.Ordinal);
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
        });
        services.AddOptions<AntiforgeryOptions>().Configure<IHostEnvironment>((o, env) =>
        {
            if (env.IsDevelopment())
            {
                o.Cookie.Name = AntiforgeryCookie.Replace("__Host-", "", StringComparison.Ordinal);
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
        });
        services.AddTrustedProxies();

        services.AddAuthorization(Policies.Add);
        services.AddStaffOidc();

        // One key ring for every instance, in the database, encrypted with a certificate outside Development.
        services.AddKeyRing();

        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = true;
        });
    }

    /// <summary>Sign-in claims: when the session began (for the absolute lifetime) and the unit, if known.</summary>
    public static List<Claim> SessionClaims(Instant now, string? unit)
    {
        var claims = new List<Claim> { new(Policies.AuthTimeClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)) };
        if (unit is not null)
        {
            claims.Add(new Claim(Policies.UnitClaim, unit));
        }

        return claims;
    }

    private static async Task ValidateAbsoluteLifetimeAsync(CookieValidatePrincipalContext context)
    {
        var clock = context.HttpContext.RequestServices.GetRequiredService<IClock>();
        var started = context.Principal?.FindFirstValue(Policies.AuthTimeClaim);
        if (started is null || !long.TryParse(started, CultureInfo.InvariantCulture, out var seconds)
            || clock.GetCurrentInstant() - Instant.FromUnixTimeSeconds(seconds) > AbsoluteLifetime)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        // Checked on every request (not on Identity's elapsed-time interval): a disabled user, or one whose
        // roles, units or password changed (all renew the stamp), is signed out at their next request. The same
        // check as SignInManager.ValidateSecurityStampAsync, reading two columns instead of loading (and tracking)
        // the whole user: it runs before every page and API call of a signed-in user.
        var services = context.HttpContext.RequestServices;
        var claims = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.ClaimsIdentity;
        var userId = context.Principal?.FindFirstValue(claims.UserIdClaimType);
        var stamp = context.Principal?.FindFirstValue(claims.SecurityStampClaimType);
        var session = userId is null ? null : await SessionState(services.GetRequiredService<RemindersDbContext>(), userId);
        if (session is null || session.Disabled || stamp is null || !string.Equals(session.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    }

    private sealed record SessionRow(string? SecurityStamp, bool Disabled);

    private static readonly Func<RemindersDbContext, string, Task<SessionRow?>> SessionState = EF.CompileAsyncQuery(
        (RemindersDbContext db, string id) => db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new SessionRow(u.SecurityStamp, u.Disabled)).SingleOrDefault());

    private static async Task RecordAccessDeniedAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(okänd)";
        var audit = http.RequestServices.GetRequiredService<AuditLog>();
        await audit.RecordNowAsync(AuditAction.AccessDenied, ChangeChannel.Web, details: new { endpoint = template, method = http.Request.Method }, succeeded: false);
        context.Response.Redirect(context.RedirectUri);
    }
}

/// <summary>The actor from the request's user; the system outside a request.</summary>
internal sealed class HttpActorAccessor(IHttpContextAccessor http) : IActorAccessor
{
    public Actor Current
    {
        get
        {
            var context = http.HttpContext;
            return context is null ? Actor.System : Actors.Staff(context.User, ChangeChannel.Web);
        }
    }
}
