using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Reminders.Web.Api;

namespace Reminders.Web.Security;

/// <summary>
/// The limits of anonymous and API callers (configuration section <c>RateLimits</c>). Sign-in and the delivery callback
/// count <em>failures</em> only (a wrong password, an unknown token), so a clinic signing in on a Monday morning and a
/// provider's burst of valid delivery reports never meet them; the API counts every request per key.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Failed sign-ins per client address in one window.</summary>
    public int SignInFailuresPerAddress { get; set; } = 30;

    /// <summary>Failed sign-ins per account name (the e-mail typed, known or not) in one window.</summary>
    public int SignInFailuresPerAccount { get; set; } = 10;

    /// <summary>The window of both sign-in limits.</summary>
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Delivery reports with an unknown token per client address in one window.</summary>
    public int UnknownDeliveryTokensPerAddress { get; set; } = 20;

    /// <summary>The window of the delivery callback's limit.</summary>
    public TimeSpan DeliveryWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The largest delivery report body (three short form fields).</summary>
    public long DeliveryMaxBodyBytes { get; set; } = 2048;

    /// <summary>API requests per second per key, sustained (integration contract: 200).</summary>
    public int ApiPermitsPerSecond { get; set; } = 200;

    /// <summary>API requests a key may send at once before the sustained rate applies (contract: 1 000).</summary>
    public int ApiBurst { get; set; } = 1000;

    /// <summary>The largest JSON body of the API (the VAS import has its own, larger limit).</summary>
    public long ApiMaxBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// A limit on failures per key (an address, an account name), on the framework's partitioned fixed-window limiter:
/// <see cref="RetryAfter"/> asks without spending a permit, <see cref="CountFailure"/> spends one. Attempts that are
/// refused never reach the password check, so the account lockout counts only attempts that passed.
/// </summary>
public sealed class FailureLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly TimeSpan _window;

    public FailureLimiter(int failures, TimeSpan window)
    {
        _window = window;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, failures),
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null while <paramref name="key"/> may try again; otherwise how long until it may.</summary>
    public TimeSpan? RetryAfter(string key)
    {
        // A lease of zero permits reports the limiter's state and spends nothing.
        using var lease = _limiter.AttemptAcquire(key, 0);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : _window;
    }

    /// <summary>Counts one failure of <paramref name="key"/>.</summary>
    public void CountFailure(string key)
    {
        using var lease = _limiter.AttemptAcquire(key, 1);
    }

    public void Dispose() => _limiter.Dispose();
}

/// <summary>The failure limits of sign-in (per address and per account name) and of the delivery callback (per address).</summary>
public sealed class AnonymousLimits : IDisposable
{
    public AnonymousLimits(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        SignInByAddress = new FailureLimiter(o.SignInFailuresPerAddress, o.SignInWindow);
        SignInByAccount = new FailureLimiter(o.SignInFailuresPerAccount, o.SignInWindow);
        DeliveryByAddress = new FailureLimiter(o.UnknownDeliveryTokensPerAddress, o.DeliveryWindow);
    }

    public FailureLimiter SignInByAddress { get; }

    public FailureLimiter SignInByAccount { get; }

    public FailureLimiter DeliveryByAddress { get; }

    /// <summary>The partition key of a caller: its address (after forwarded headers), or one shared key when unknown.</summary>
    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The partition key of an account name as typed: trimmed, case-insensitive.</summary>
    public static string AccountOf(string email) => email.Trim().ToUpperInvariant();

    /// <summary>The <c>Retry-After</c> value: whole seconds, at least one.</summary>
    public static string Seconds(TimeSpan after) => Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        SignInByAddress.Dispose();
        SignInByAccount.Dispose();
        DeliveryByAddress.Dispose();
    }
}

/// <summary>Registration of the limits and the API's per-key token bucket (ASP.NET Core's rate limiting middleware).</summary>
internal static class RateLimits
{
    /// <summary>The policy of every <c>/api/v1</c> endpoint that needs a key.</summary>
    public const string ApiPolicy = "api-key";

    public static IServiceCollection AddRemindersRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits");
        services.AddSingleton<AnonymousLimits>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(ApiPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                // Runs after authorization: the key's configured name (never the key) is the partition.
                var key = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name ?? "api" : "anonymous";
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, limits.ApiBurst),
                    TokensPerPeriod = Math.Max(1, limits.ApiPermitsPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = (context, _) =>
            {
                var after = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
                context.HttpContext.Response.Headers.RetryAfter = AnonymousLimits.Seconds(after);
                return new ValueTask(ApiResults.WriteProblemAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    "För många anrop.", $"Nyckeln har skickat fler anrop än den får. Försök igen om {AnonymousLimits.Seconds(after)} sekunder."));
            };
        });
        return services;
    }
}
