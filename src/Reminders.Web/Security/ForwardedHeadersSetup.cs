using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;

namespace Reminders.Web.Security;

/// <summary>
/// <c>ForwardedHeaders:KnownNetworks</c> (CIDR, e.g. <c>10.20.0.0/16</c>) and <c>:KnownProxies</c> (addresses):
/// the region's TLS proxies whose <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c> are believed. Each is a list
/// (<c>:0</c>, <c>:1</c>, …; an entry may hold several, comma-separated). Loopback is always trusted.
/// </summary>
internal sealed class ForwardedHeadersSettings
{
    public List<string> KnownNetworks { get; set; } = [];

    public List<string> KnownProxies { get; set; } = [];

    public IEnumerable<string> Networks() => Split(KnownNetworks);

    public IEnumerable<string> Proxies() => Split(KnownProxies);

    private static IEnumerable<string> Split(IEnumerable<string> values) =>
        values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

internal static class ForwardedHeadersSetup
{
    public static void AddTrustedProxies(this IServiceCollection services)
    {
        services.AddCheckedOptions<ForwardedHeadersSettings>("ForwardedHeaders");
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((o, settings) =>
        {
            // Behind the region's TLS-terminating proxy the scheme arrives as X-Forwarded-Proto, the caller's address
            // as X-Forwarded-For (rate limits and the access log see the caller, not the proxy).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor;
            foreach (var network in settings.Value.Networks())
            {
                if (System.Net.IPNetwork.TryParse(network, out var parsed))
                {
                    o.KnownIPNetworks.Add(parsed);
                }
            }

            foreach (var proxy in settings.Value.Proxies())
            {
                if (IPAddress.TryParse(proxy, out var parsed))
                {
                    o.KnownProxies.Add(parsed);
                }
            }
        });
    }
}

/// <summary>Each network is CIDR and each proxy an IP address; a typo would silently refuse every proxied POST.</summary>
internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new OptionsFailures();
        foreach (var network in options.Networks())
        {
            failures.Check(!System.Net.IPNetwork.TryParse(network, out _), "ForwardedHeaders:KnownNetworks", $"'{network}' is not accepted; expected a network in CIDR notation, e.g. 10.20.0.0/16.");
        }

        foreach (var proxy in options.Proxies())
        {
            failures.Check(!IPAddress.TryParse(proxy, out _), "ForwardedHeaders:KnownProxies", $"'{proxy}' is not accepted; expected an IP address, e.g. 10.20.0.5.");
        }

        return failures.Result();
    }
}
