using System.Net;
using OpenTelemetry.Metrics;
using Reminders.Infrastructure.Messaging;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Hosting;

/// <summary>
/// Metrics for the region's dashboards: the SMS pipeline's meter (<see cref="SmsMetrics"/>), ASP.NET Core's and
/// HttpClient's instruments, exported as Prometheus text at <c>/metrics</c> to the configured networks only.
/// </summary>
internal static class Telemetry
{
    /// <summary>The scraping path.</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>The meter the .NET runtime publishes its metrics on.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public static void AddRemindersTelemetry(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SmsMetrics.MeterName)
            // The runtime's own meter (.NET 9+): working set, GC heap and committed memory, JIT, thread pool;
            // docs/operations.md, "Memory", tells what to watch.
            .AddMeter(RuntimeMeterName)
            // SQLite's own heap: the gauges are made when the provider resolves them.
            .AddInstrumentation(sp => sp.GetRequiredService<SqliteMemoryMetrics>())
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            // Every scrape reads the instruments afresh (the gauges keep their own few-second cache).
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddSingleton(sp => AllowedNetworks.From(sp.GetRequiredService<IConfiguration>()));
    }

    /// <summary>
    /// Maps <c>/metrics</c>: anonymous (Prometheus has no account) but answered only to the networks of
    /// <c>Metrics:AllowedNetworks</c>; anyone else gets 404, as if there were nothing there.
    /// </summary>
    public static void MapRemindersMetrics(this IEndpointRouteBuilder app) =>
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous().WithMetadata(new NetworkRestricted());

    /// <summary>Answers 404 to requests for a network-restricted endpoint from outside the allowed networks.</summary>
    public static IApplicationBuilder UseNetworkRestrictions(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<NetworkRestricted>() is not null
            && !context.RequestServices.GetRequiredService<AllowedNetworks>().Contains(context.Connection.RemoteIpAddress))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await next(context);
    });
}

/// <summary>Marks an endpoint answered only to <see cref="AllowedNetworks"/>.</summary>
internal sealed class NetworkRestricted;

/// <summary>The networks <c>/metrics</c> answers (<c>Metrics:AllowedNetworks</c>, CIDR; default loopback only).</summary>
internal sealed class AllowedNetworks(IReadOnlyList<IPNetwork> networks)
{
    /// <summary>Loopback, IPv4 and IPv6.</summary>
    public static IReadOnlyList<string> Default { get; } = ["127.0.0.0/8", "::1/128"];

    public IReadOnlyList<IPNetwork> Networks { get; } = networks;

    /// <summary>Reads the setting; a malformed entry stops the start with its value named.</summary>
    public static AllowedNetworks From(IConfiguration configuration)
    {
        var configured = configuration.GetSection("Metrics:AllowedNetworks").Get<string[]>();
        var entries = configured is { Length: > 0 } ? configured : Default;
        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (!IPNetwork.TryParse(entry.Trim(), out var network))
            {
                throw new InvalidOperationException($"Metrics:AllowedNetworks: '{entry}' is not a network in CIDR form (e.g. 10.20.0.0/16).");
            }

            networks.Add(network);
        }

        return new AllowedNetworks(networks);
    }

    /// <summary>Whether <paramref name="address"/> is in one of the networks (an unknown address is not).</summary>
    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        var normalized = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Networks.Any(n => n.Contains(normalized));
    }
}
