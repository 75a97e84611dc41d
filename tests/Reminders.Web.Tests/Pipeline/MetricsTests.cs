using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using NodaTime;
using Reminders.Testing;
using Reminders.Web.Hosting;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>
/// The metrics tests run alone: OpenTelemetry listens to every meter named <c>Reminders</c> in the process, so a
/// host of another test running at the same time would add its SMS to these counts.
/// </summary>
[CollectionDefinition("metrics", DisableParallelization = true)]
public sealed class MetricsRunAlone;

/// <summary>SMS sent through the loopback provider show up as Prometheus counters, histograms and gauges at /metrics.</summary>
[Collection("metrics")]
public sealed partial class MetricsTests
{
    [Fact]
    public async Task SMS_planned_sent_failed_and_delivered_are_counted_by_kind_and_the_backlog_is_gauged()
    {
        await using var h = await PipelineHarness.StartAsync();
        var before = await ScrapeAsync(h.Api.Factory, IPAddress.Loopback);
        var (_, first) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30), mobile: "070-174 06 21");
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30), mobile: "070-174 06 22");

        // Both reminders are due at once (48 h before a booking 30 h ahead); two minutes later they are still waiting.
        h.Api.Factory.Time.Advance(Duration.FromMinutes(2));
        var waiting = await ScrapeAsync(h.Api.Factory, IPAddress.Loopback);
        Assert.Equal(2, Value(waiting, "reminders_sms_planned_total", "Reminder") - Value(before, "reminders_sms_planned_total", "Reminder"));
        Assert.Equal(2, Value(waiting, "reminders_sms_due"));
        Assert.Equal(120, Value(waiting, "reminders_sms_due_oldest_age_seconds"));

        h.Provider.Enqueue(ProviderAnswer.Ok, ProviderAnswer.OkWithoutId);
        var summary = await h.DispatchAsync();
        Assert.Equal(2, summary.Claimed);
        var accepted = Assert.Single(h.Provider.Accepted);
        using var anonymous = h.Api.Factory.CreateClient();
        Assert.True((await anonymous.PostAsync(accepted.CallbackPath, LoopbackSmsProvider.DeliveryReport(accepted))).IsSuccessStatusCode);

        // Past the gauges' few-second cache.
        h.Api.Factory.Time.Advance(Duration.FromSeconds(10));
        var after = await ScrapeAsync(h.Api.Factory, IPAddress.Loopback);
        Assert.Equal(1, Value(after, "reminders_sms_sent_total", "Reminder") - Value(before, "reminders_sms_sent_total", "Reminder"));
        Assert.Equal(1, Value(after, "reminders_sms_failed_total", "Reminder") - Value(before, "reminders_sms_failed_total", "Reminder"));
        Assert.Equal(1, Value(after, "reminders_sms_delivered_total", "Reminder") - Value(before, "reminders_sms_delivered_total", "Reminder"));
        Assert.Equal(0, Value(after, "reminders_sms_due"));
        Assert.Equal(0, Value(after, "reminders_sms_due_oldest_age_seconds"));
        Assert.Equal(2, Value(after, "reminders_sms_provider_duration_seconds_count") - Value(before, "reminders_sms_provider_duration_seconds_count"));
        Assert.Equal(1, Value(after, "reminders_sms_claim_size_count") - Value(before, "reminders_sms_claim_size_count"));
        Assert.Equal(2, Value(after, "reminders_sms_claim_size_sum") - Value(before, "reminders_sms_claim_size_sum"));

        // ASP.NET Core's and HttpClient's own instruments (the provider call is an HttpClient request).
        Assert.Contains("http_server_request_duration_seconds_count{", after, StringComparison.Ordinal);
        Assert.Contains("http_client_request_duration_seconds_count{", after, StringComparison.Ordinal);

        // No personal data in any series: the numbers and the booking id never appear.
        Assert.DoesNotContain("46701740621", after, StringComparison.Ordinal);
        Assert.DoesNotContain(first, after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_operations_watch_for_memory_is_in_the_metrics_the_runtime_SQLite_and_the_native_heap_trims()
    {
        // Issue #18 item 6 (docs/operations.md, "Memory"): the figures that guide "at least 512 MB per instance".
        using var factory = new RemindersFactory();
        factory.With("Memory:NativeHeapTrimInterval", "00:00:01");
        var scrape = await ScrapeAsync(factory, IPAddress.Loopback);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Value(scrape, "reminders_native_heap_trims_total") < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            scrape = await ScrapeAsync(factory, IPAddress.Loopback);
        }

        // The runtime's own meter: the working set and the GC's committed memory.
        Assert.True(Value(scrape, "dotnet_process_memory_working_set_bytes") > 10_000_000, "the working set is reported");
        Assert.Contains("dotnet_gc_last_collection_memory_committed_size_bytes", scrape, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes", scrape, StringComparison.Ordinal);

        // SQLite's native heap (the app has opened and migrated its store), which the GC's figures do not include.
        var used = Value(scrape, "reminders_sqlite_memory_used_bytes");
        Assert.True(used > 0, "SQLite's memory in use is reported");
        Assert.True(Value(scrape, "reminders_sqlite_memory_highwater_bytes") >= used, "the high-water mark is at least what is in use");

        // The trims, once a second here (every 30 s by default), each counted with what it did.
        Assert.True(Value(scrape, "reminders_native_heap_trims_total") >= (NativeHeapTrimming.Supported ? 1 : 0), "a trim was counted");
        Assert.Equal(NativeHeapTrimming.Supported, scrape.Contains("reminders_native_heap_trim_duration_seconds_count", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.20.30.40", null, HttpStatusCode.NotFound)]
    [InlineData("127.0.0.1", null, HttpStatusCode.OK)]
    [InlineData("::1", null, HttpStatusCode.OK)]
    [InlineData("10.20.30.40", "10.20.0.0/16", HttpStatusCode.OK)]
    [InlineData("127.0.0.1", "10.20.0.0/16", HttpStatusCode.NotFound)]
    public async Task Metrics_answer_only_the_configured_networks(string from, string? allowed, HttpStatusCode expected)
    {
        using var factory = new RemindersFactory();
        if (allowed is not null)
        {
            factory.With("Metrics:AllowedNetworks:0", allowed);
        }

        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Scheme = "http";
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
        });

        Assert.Equal((int)expected, context.Response.StatusCode);
    }

    private static async Task<string> ScrapeAsync(RemindersFactory factory, IPAddress from)
    {
        var context = await factory.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Scheme = "http";
            c.Request.Path = "/metrics";
            c.Connection.RemoteIpAddress = from;
        });
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.StartsWith("text/plain", context.Response.ContentType, StringComparison.Ordinal);
        using var reader = new StreamReader(context.Response.Body);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The value of one series (0 when absent), optionally the one tagged with <paramref name="kind"/>.</summary>
    private static double Value(string scrape, string name, string? kind = null)
    {
        foreach (Match match in Series().Matches(scrape))
        {
            if (match.Groups["name"].Value == name && (kind is null || match.Groups["labels"].Value.Contains($"kind=\"{kind}\"", StringComparison.Ordinal)))
            {
                return double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    [GeneratedRegex(@"^(?<name>[a-z_]+)(\{(?<labels>[^}]*)\})? (?<value>[-0-9.eE+]+)", RegexOptions.Multiline)]
    private static partial Regex Series();
}
