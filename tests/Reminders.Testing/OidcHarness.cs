using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Domain.Units;

namespace Reminders.Testing;

/// <summary>
/// The app on Kestrel over HTTPS on loopback (as in production: Secure <c>__Host-</c> cookies, HTTPS-only), pointed
/// at a <see cref="TestIdentityProvider"/>; clients follow redirects and keep cookies as a browser does, so a
/// sign-in walks the real redirects: app → provider's login page → provider → app.
/// </summary>
public sealed partial class OidcHarness : IAsyncDisposable
{
    private readonly X509Certificate2 _certificate;

    private OidcHarness(TestIdentityProvider provider, RemindersFactory app, X509Certificate2 certificate, string baseUrl)
    {
        Provider = provider;
        App = app;
        _certificate = certificate;
        BaseUrl = baseUrl;
    }

    public TestIdentityProvider Provider { get; }

    public RemindersFactory App { get; }

    /// <summary>The app's address, e.g. <c>https://127.0.0.1:40123</c>.</summary>
    public string BaseUrl { get; }

    /// <summary>Starts the provider and the app (with <paramref name="configure"/>'s settings).</summary>
    public static async Task<OidcHarness> StartAsync(Action<RemindersFactory>? configure = null)
    {
        var provider = await TestIdentityProvider.StartAsync();
        var app = new RemindersFactory();
        foreach (var (key, value) in provider.Settings())
        {
            app.With(key, value);
        }

        configure?.Invoke(app);
        var certificate = LoopbackCertificate();
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions { ServerCertificate = certificate })));
        app.StartServer();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = address.Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        provider.AllowClientAt(baseUrl);
        return new OidcHarness(provider, app, certificate, baseUrl);
    }

    /// <summary>A client with its own cookie jar that follows redirects and trusts the app's loopback certificate.</summary>
    public HttpClient NewClient()
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = new CookieContainer(),
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate.Thumbprint,
        };
        return new HttpClient(new FollowRedirects { InnerHandler = handler }) { BaseAddress = new Uri(BaseUrl) };
    }

    /// <summary>
    /// Registers <paramref name="hsaId"/> on the account (as an admin does on the user page), optionally disabled, with a
    /// new security stamp: an open session of the account ends at its next request.
    /// </summary>
    public async Task RegisterHsaIdAsync(string userId, string hsaId, bool disabled = false)
    {
        await using var db = App.NewDbContext();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        user.HsaId = HsaId.FromTrusted(hsaId);
        user.Disabled = disabled;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Presses "Logga in med SITHS-kort" and, at the provider's login page, identifies as <paramref name="hsaId"/>;
    /// returns the last response after every redirect.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInWithSithsAsync(HttpClient client, string hsaId)
    {
        var signInPage = await client.GetPageAsync("/Account/SignIn");
        var atProvider = await client.SubmitAsync(signInPage, "#siths-sign-in");
        if (atProvider.RequestMessage?.RequestUri?.AbsolutePath != "/login")
        {
            // The provider still has a session: it answered at once.
            return atProvider;
        }

        return await client.SubmitAsync(await Forms.ParseAsync(atProvider), "form", new Dictionary<string, string> { ["hsaId"] = hsaId });
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Provider.DisposeAsync();
        _certificate.Dispose();
    }

    private static X509Certificate2 LoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = TimeProvider.System.GetUtcNow();
        using var created = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // Kestrel on Linux wants the key in an exportable, loadable form.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    /// <summary>
    /// Follows redirects as a browser does, also from the app (HTTPS) to the provider (plain HTTP on loopback),
    /// which HttpClient's own redirect handling refuses; 301–303 turn a POST into a GET. A page that refreshes at once
    /// to a local URL (<c>&lt;meta http-equiv="refresh" content="0;url=…"&gt;</c>, the end of a SITHS sign-in) is followed too.
    /// </summary>
    private sealed partial class FollowRedirects : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            for (var hops = 0; hops < 20 && await NextAsync(response) is { } location; hops++)
            {
                var next = new HttpRequestMessage(HttpMethod.Get, new Uri(request.RequestUri!, location));
                if ((int)response.StatusCode is 307 or 308)
                {
                    next.Method = request.Method;
                    next.Content = request.Content;
                }

                response.Dispose();
                request = next;
                response = await base.SendAsync(request, cancellationToken);
            }

            return response;
        }

        private static async Task<string?> NextAsync(HttpResponseMessage response)
        {
            if ((int)response.StatusCode is >= 301 and <= 308 and not 304)
            {
                return response.Headers.Location?.ToString();
            }

            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/html")
            {
                return null;
            }

            await response.Content.LoadIntoBufferAsync();
            return MetaRefresh().Match(await response.Content.ReadAsStringAsync()) is { Success: true } refresh
                ? WebUtility.HtmlDecode(refresh.Groups[1].Value)
                : null;
        }

        [System.Text.RegularExpressions.GeneratedRegex("""<meta http-equiv="refresh" content="0;url=(/[^"]*)"\s*/?>""")]
        private static partial System.Text.RegularExpressions.Regex MetaRefresh();
    }
}
