using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Messaging;
using Reminders.Testing;
using Reminders.Web.Tests.Pipeline;

namespace Reminders.Web.Tests.Security;

/// <summary>Issue #16 item 8: a stopping host lets the provider call in flight finish; the SMS ends Sent, not failed.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Stopping_the_dispatcher_mid_send_waits_for_the_provider_and_records_the_SMS_Sent()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Sms:FortySixElks:Timeout", "00:00:20"));
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        h.Provider.Enqueue(ProviderAnswer.OkAfter(TimeSpan.FromSeconds(1)));

        // The hosted loop as the host runs it (the test factory switches the configured one off).
        var services = h.Api.Factory.Services;
        var loop = new DispatcherService(services.GetRequiredService<SmsDispatcher>(),
            Options.Create(new DispatcherOptions { Enabled = true }), services.GetRequiredService<TimeProvider>(), NullLogger<DispatcherService>.Instance);
        await loop.StartAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => Task.FromResult(h.Provider.Requests.Count == 1), "the provider to receive the SMS");

        // The host stops while the provider has not answered yet.
        await loop.StopAsync(CancellationToken.None);

        await using var db = h.Api.Factory.NewDbContext();
        var sms = await db.Messages.SingleAsync(m => m.Attempts > 0);
        Assert.Equal(SmsStatus.Sent, sms.Status);
        Assert.Single(h.Provider.Requests);
    }

    [Fact]
    public void The_host_waits_longer_than_the_provider_time_out_before_it_gives_up_on_shutdown()
    {
        using var factory = new RemindersFactory().With("Sms:FortySixElks:Timeout", "00:01:00");

        var host = factory.Services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.True(host.ShutdownTimeout > TimeSpan.FromMinutes(1), $"ShutdownTimeout is {host.ShutdownTimeout}.");
    }
}
