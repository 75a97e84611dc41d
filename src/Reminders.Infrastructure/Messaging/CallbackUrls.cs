using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Reminders.Infrastructure.Messaging;

/// <summary>
/// Builds the <c>whendelivered</c> URL: <c>{Sms:CallbackBaseUrl}/api/v1/sms/delivery/{token}</c>, or the first
/// URL the app listens on when no base URL is configured.
/// </summary>
public sealed class CallbackUrls(IOptions<SmsOptions> options, IServiceProvider services)
{
    /// <summary>The path template of the delivery callback (the token is the only credential).</summary>
    public const string DeliveryPath = "/api/v1/sms/delivery/";

    /// <summary>The callback URL for one SMS.</summary>
    public Uri For(string callbackToken) => new(BaseUrl().TrimEnd('/') + DeliveryPath + Uri.EscapeDataString(callbackToken));

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
