using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Reminders.Testing;

/// <summary>How the loopback provider answers one request.</summary>
public enum ProviderAnswerKind
{
    /// <summary>200 with JSON id and status, as the provider does.</summary>
    Ok,

    /// <summary>An HTTP status without an id (e.g. 500, 429 with Retry-After).</summary>
    Status,

    /// <summary>Never answers (until the client gives up).</summary>
    Hang,

    /// <summary>Closes the connection without an answer.</summary>
    Close,

    /// <summary>200 whose body carries no id (the provider took it, or says it did).</summary>
    OkWithoutId,

    /// <summary>200 with an id, after a pause (a slow provider).</summary>
    OkAfter,
}

/// <summary>A scripted answer.</summary>
public sealed record ProviderAnswer(ProviderAnswerKind Kind, int StatusCode = 200, int? RetryAfterSeconds = null, TimeSpan Delay = default)
{
    public static ProviderAnswer OkAfter(TimeSpan delay) => new(ProviderAnswerKind.OkAfter, Delay: delay);

    public static ProviderAnswer Ok { get; } = new(ProviderAnswerKind.Ok);

    public static ProviderAnswer Hang { get; } = new(ProviderAnswerKind.Hang);

    public static ProviderAnswer Close { get; } = new(ProviderAnswerKind.Close);

    public static ProviderAnswer OkWithoutId { get; } = new(ProviderAnswerKind.OkWithoutId);

    public static ProviderAnswer Status(int code, int? retryAfterSeconds = null) => new(ProviderAnswerKind.Status, code, retryAfterSeconds);
}

/// <summary>One request the provider received, recorded before it answered.</summary>
public sealed record ProviderRequest(string Method, string Path, string? Authorization, string? ContentType, IReadOnlyDictionary<string, string> Form, ProviderAnswer Answer, string? ProviderId)
{
    public string To => Form["to"];

    public string Message => Form["message"];

    /// <summary>The callback path and query of <c>whendelivered</c>, to post the report through the app's test client.</summary>
    public string CallbackPath => new Uri(Form["whendelivered"]).PathAndQuery;
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) speaking the 46elks-style provider API: it records every
/// request and answers as scripted (200 by default). Not a mock object: the product's HttpClient, time-out and
/// connection handling are exercised for real.
/// </summary>
public sealed class LoopbackSmsProvider : IAsyncDisposable
{
    private readonly ConcurrentQueue<ProviderAnswer> _script = new();
    private readonly List<ProviderRequest> _requests = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _nextId;

    private LoopbackSmsProvider()
    {
    }

    /// <summary>The base URL to configure as <c>Sms:FortySixElks:BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ProviderRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The requests answered with an id (accepted SMS).</summary>
    public IReadOnlyList<ProviderRequest> Accepted => Requests.Where(r => r.ProviderId is not null).ToList();

    /// <summary>Starts a provider on a free loopback port.</summary>
    public static async Task<LoopbackSmsProvider> StartAsync()
    {
        var provider = new LoopbackSmsProvider();
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

    /// <summary>Scripts the next answers, in order; afterwards the provider answers 200 again.</summary>
    public void Enqueue(params ProviderAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>The form the provider posts back to <c>whendelivered</c>.</summary>
    public static FormUrlEncodedContent DeliveryReport(ProviderRequest request, string status = "delivered") => new(
    [
        new("id", request.ProviderId ?? string.Empty),
        new("status", status),
        new("delivered", "2025-03-27T08:01:02.254000"),
    ]);

    private async Task HandleAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var answer = _script.TryDequeue(out var scripted) ? scripted : ProviderAnswer.Ok;
        var providerId = answer.Kind is ProviderAnswerKind.Ok or ProviderAnswerKind.OkAfter ? $"s{Interlocked.Increment(ref _nextId):D6}" : null;
        lock (_lock)
        {
            _requests.Add(new ProviderRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(),
                context.Request.ContentType, form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal), answer, providerId));
        }

        switch (answer.Kind)
        {
            case ProviderAnswerKind.OkAfter:
                await Task.Delay(answer.Delay, context.RequestAborted);
                await context.Response.WriteAsJsonAsync(new { id = providerId, status = "created", from = form["from"].ToString(), to = form["to"].ToString() });
                break;
            case ProviderAnswerKind.Ok:
                await context.Response.WriteAsJsonAsync(new { id = providerId, status = "created", from = form["from"].ToString(), to = form["to"].ToString() });
                break;
            case ProviderAnswerKind.Status:
                context.Response.StatusCode = answer.StatusCode;
                if (answer.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                await context.Response.WriteAsync("error");
                break;
            case ProviderAnswerKind.Hang:
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, linked.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        // The client gave up, or the provider stops.
                    }
                }

                break;
            case ProviderAnswerKind.Close:
                context.Abort();
                break;
            case ProviderAnswerKind.OkWithoutId:
                await context.Response.WriteAsJsonAsync(new { status = "created" });
                break;
            default:
                throw new InvalidOperationException($"Unknown answer {answer.Kind}.");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }
}
