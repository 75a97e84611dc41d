using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Reminders.Infrastructure.Messaging;

/// <summary>
/// The 46elks-style provider: <c>POST {BaseUrl}/a1/sms</c>, form-urlencoded, HTTP Basic, fields from, to,
/// message, whendelivered and dontlog=message (the provider keeps no copy of the text). A 200 with a JSON
/// <c>id</c> is acceptance; anything else, a time-out or a broken connection is a failure to retry.
/// </summary>
public sealed class FortySixElksGateway(HttpClient http, IOptions<SmsOptions> sms, TimeProvider time) : ISmsGateway
{
    /// <summary>Configures the typed client from <c>Sms:FortySixElks:*</c>.</summary>
    public static void Configure(HttpClient client, FortySixElksOptions options)
    {
        client.BaseAddress = new Uri(options.BaseUrl.TrimEnd('/') + "/");
        client.Timeout = options.Timeout;
        if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    /// <inheritdoc />
    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(
        [
            new("from", sms.Value.From),
            new("to", message.To.Value),
            new("message", message.Text),
            new("whendelivered", message.CallbackUrl.ToString()),
            new("dontlog", "message"),
        ]);

        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri("a1/sms", UriKind.Relative), content, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SmsSendResult.Failed("Sms-leverantören svarade inte inom tidsgränsen.");
        }
        catch (HttpRequestException e)
        {
            return SmsSendResult.Failed(e.HttpRequestError switch
            {
                HttpRequestError.ConnectionError => "Kunde inte ansluta till sms-leverantören.",
                HttpRequestError.ResponseEnded => "Sms-leverantören stängde anslutningen utan svar.",
                _ => "Kommunikationen med sms-leverantören misslyckades.",
            });
        }

        using (response)
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var status = (int)response.StatusCode;
                return SmsSendResult.Failed(
                    string.Create(CultureInfo.InvariantCulture, $"Sms-leverantören svarade med felkod {status}."),
                    RetryAfter(response));
            }

            try
            {
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
                    && id.GetString() is { Length: > 0 } providerId)
                {
                    return SmsSendResult.Sent(providerId);
                }
            }
            catch (JsonException)
            {
                // Falls through to the failure below.
            }

            // A 200 means the provider took it; without an id we cannot follow it, but sending again would double it.
            return SmsSendResult.Unknown("Utfall okänt: sms-leverantören svarade OK men utan meddelande-id. Sms:et har troligen skickats och skickas därför inte igen automatiskt.");
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }
}
