using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Reminders.Testing;

/// <summary>
/// Clients that come from a given remote address. The test server has no network connection, so a test-only startup
/// filter (registered by <see cref="RemindersFactory"/>, never by the application) takes the address from a header
/// before anything else in the pipeline runs.
/// </summary>
public static class ClientAddresses
{
    /// <summary>The test-only header carrying the client's address.</summary>
    public const string Header = "X-Test-Remote-Address";

    /// <summary>A client on https from <paramref name="address"/>, with cookies, not following redirects.</summary>
    public static HttpClient NewClientFrom(this RemindersFactory factory, string address) =>
        factory.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(), new AddressHandler(address));

    private sealed class AddressHandler(string address) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Remove(Header);
            request.Headers.Add(Header, address);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Sets the connection's remote address from <see cref="ClientAddresses.Header"/> (tests only).</summary>
internal sealed class RemoteAddressStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(ClientAddresses.Header, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
