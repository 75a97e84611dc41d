using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reminders.Benchmarks;

/// <summary>
/// The dispatcher benchmark's provider: a real Kestrel server on 127.0.0.1 speaking the 46elks-style API
/// (<c>POST /a1/sms</c>, form fields from, to, message, whendelivered), answering 200 with a JSON id as the
/// provider does. It counts every request and detects duplicates by the SMS's callback token (the last segment
/// of <c>whendelivered</c>, unique per SMS in the store): recipient and text are not unique per SMS.
/// </summary>
internal sealed class BenchSmsProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _idByToken = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private int _requests;
    private int _duplicates;
    private int _nextId;

    private BenchSmsProvider()
    {
    }

    /// <summary>The base URL for <c>Sms:FortySixElks:BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Requests received since the last reset.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests for an SMS (callback token) already received since the last reset.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>The provider id given to each SMS, by callback token.</summary>
    public IReadOnlyDictionary<string, string> IdByToken => _idByToken;

    /// <summary>Starts on a free loopback port.</summary>
    public static async Task<BenchSmsProvider> StartAsync()
    {
        var provider = new BenchSmsProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/a1/sms", provider.HandleAsync);
        await app.StartAsync();
        provider._app = app;
        provider.BaseUrl = new Uri(app.Urls.First());
        return provider;
    }

    /// <summary>Forgets everything received (before each run).</summary>
    public void Reset()
    {
        _idByToken.Clear();
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _duplicates, 0);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        Interlocked.Increment(ref _requests);
        var providerId = "b" + Interlocked.Increment(ref _nextId).ToString("D8", CultureInfo.InvariantCulture);
        var callback = form["whendelivered"].ToString();
        var token = Uri.UnescapeDataString(callback[(callback.LastIndexOf('/') + 1)..]);
        if (string.IsNullOrEmpty(form["to"]) || string.IsNullOrEmpty(form["message"]) || token.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (!_idByToken.TryAdd(token, providerId))
        {
            Interlocked.Increment(ref _duplicates);
        }

        await context.Response.WriteAsJsonAsync(new { id = providerId, status = "created", from = form["from"].ToString(), to = form["to"].ToString() });
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
