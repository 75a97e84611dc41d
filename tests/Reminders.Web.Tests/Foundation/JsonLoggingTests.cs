using System.Net.Http.Json;
using System.Text.Json;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Foundation;

/// <summary>Logging:Json=true: one JSON object per line for the region's collector, each with the request's trace id.</summary>
public sealed class JsonLoggingTests
{
    [Fact]
    public async Task JSON_lines_carry_the_callers_trace_id_and_no_personal_data()
    {
        using var api = new ApiHarness(f => f.With("Logging:Json", "true"));
        var patient = ApiHarness.NewAdult();
        var traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/patients/{patient.Value}")
        {
            Content = JsonContent.Create(new { name = "Test Testsson", protectedIdentity = false, mobile = "070-174 06 98", mobileUpdatedAt = (string?)null, consentIn1177 = false }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        Assert.True((await api.Client.SendAsync(request)).IsSuccessStatusCode);

        var log = await api.Factory.ReadLogAsync();
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var events = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(events, e => Assert.True(e.TryGetProperty("@t", out _) && e.TryGetProperty("@mt", out _)));

        // The request's own line (Serilog's request logging) is in the caller's trace.
        var requestLine = Assert.Single(events, e => e.TryGetProperty("RouteTemplate", out var route) && route.GetString() == "/api/v1/patients/{id}");
        Assert.Equal(traceId, requestLine.GetProperty("@tr").GetString());
        Assert.Equal(16, requestLine.GetProperty("@sp").GetString()!.Length);

        Assert.DoesNotContain(patient.Value, log, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Value[2..], log, StringComparison.Ordinal);
        Assert.DoesNotContain("1740698", log, StringComparison.Ordinal);
        Assert.DoesNotContain("Testsson", log, StringComparison.Ordinal);
    }
}
