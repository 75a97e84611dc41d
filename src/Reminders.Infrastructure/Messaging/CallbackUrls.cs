using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Reminders.Infrastructure.Messaging;

/// <summary>
/// Where the web layer maps the provider's delivery report. The route is defined once, by the web layer where it
/// maps the endpoint; Infrastructure only builds URLs to it.
/// </summary>
public sealed class DeliveryReportRouteOptions
{
    /// <summary>The path up to the token, with a leading and a trailing slash (e.g. <c>/api/v1/sms/delivery/</c>).</summary>
    public string? PathBeforeToken { get; set; }
}

/// <summary>
/// Builds the <c>whendelivered</c> URL: <c>{Sms:CallbackBaseUrl}</c> (or the first URL the app listens on when no
/// base URL is configured), the delivery-report path the web layer registered, and the SMS's token.
/// </summary>
public sealed class CallbackUrls(IOptions<SmsOptions> options, IOptions<DeliveryReportRouteOptions> route, IServiceProvider services)
{
    /// <summary>The callback URL for one SMS.</summary>
    public Uri For(string callbackToken) => new(BaseUrl().TrimEnd('/') + PathBeforeToken() + Uri.EscapeDataString(callbackToken));

    private string PathBeforeToken() =>
        route.Value.PathBeforeToken is { Length: > 0 } path
            ? path
            : throw new InvalidOperationException("No delivery-report route is registered: the web layer configures DeliveryReportRouteOptions where it maps the endpoint.");

    private string BaseUrl()
    {
        if (!string.IsNullOrWhiteSpace(options.Value.CallbackBaseUrl))
        {
            return options.Value.CallbackBaseUrl;
        }

        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? "http://localhost";
    }
}
