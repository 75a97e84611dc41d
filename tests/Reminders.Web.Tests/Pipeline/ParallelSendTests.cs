using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Messaging;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>
/// <c>Dispatcher:MaxParallelSends</c> above 1: one instance sends several claimed SMS at the same time, and the
/// guarantees of one SMS at a time hold (once each, R23 at the moment of sending, decision 0005).
/// </summary>
public sealed class ParallelSendTests
{
    private static readonly HsaId Unit = HsaId.Parse(ApiHarness.Unit).Value;

    [Fact]
    public async Task R22_with_parallel_sends_each_due_SMS_is_sent_exactly_once_with_the_provider_id_it_was_given()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Dispatcher:MaxParallelSends", "6").With("Dispatcher:BatchSize", "10"));
        const int count = 24;
        for (var i = 0; i < count; i++)
        {
            await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        }

        var summary = await h.Dispatcher.DispatchUntilIdleAsync(CancellationToken.None);

        Assert.Equal(count, summary.Sent);
        Assert.Equal(count, h.Provider.Requests.Count);
        var byToken = h.Provider.Requests.GroupBy(r => r.CallbackPath).ToList();
        Assert.Equal(count, byToken.Count);
        await using var db = h.Api.Factory.NewDbContext();
        var messages = await db.Messages.ToListAsync();
        Assert.All(messages, m =>
        {
            Assert.Equal(SmsStatus.Sent, m.Status);
            Assert.Equal(1, m.Attempts);
            var request = Assert.Single(h.Provider.Requests, r => r.CallbackPath.EndsWith("/" + m.CallbackToken, StringComparison.Ordinal));
            Assert.Equal(request.ProviderId, m.ProviderId);
        });
    }

    [Fact]
    public async Task R5_R23_with_parallel_sends_a_patient_deactivated_after_the_claim_gets_no_SMS()
    {
        // Two sends in flight at once (the gateway holds both until the second arrives); while they are, the
        // third claimed SMS's patient is deactivated in the store, without replanning. The third SMS is decided
        // again when its turn comes and stopped.
        using var inFlight = new Barrier(2);
        var deactivated = 0;
        await using var h = await PipelineHarness.StartAsync(f => f.With("Dispatcher:MaxParallelSends", "2"));
        for (var i = 0; i < 3; i++)
        {
            await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        }

        var ids = new List<long>();
        using var holding = h.Api.Factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<ISmsGateway>();
            services.AddScoped<ISmsGateway>(sp => new BeforeSending(sp.GetRequiredService<FortySixElksGateway>(), async message =>
            {
                lock (ids)
                {
                    ids.Add(message.SmsId);
                }

                if (!inFlight.SignalAndWait(TimeSpan.FromSeconds(30)))
                {
                    throw new InvalidOperationException("The second send never started: the sends did not overlap.");
                }

                if (Interlocked.Increment(ref deactivated) == 1)
                {
                    await DeactivatePatientsOfSmsOtherThanAsync(h, ids);
                }

                inFlight.SignalAndWait(TimeSpan.FromSeconds(30));
            }));
        }));

        var summary = await holding.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(CancellationToken.None);

        Assert.Equal(3, summary.Claimed);
        Assert.Equal(2, summary.Sent);
        Assert.Equal(1, summary.Stopped);
        Assert.Equal(2, h.Provider.Requests.Count);
        await using var db = h.Api.Factory.NewDbContext();
        var stopped = Assert.Single(await db.Messages.Where(m => !ids.Contains(m.Id)).ToListAsync());
        Assert.Equal(SmsStatus.Suppressed, stopped.Status);
        Assert.Contains(stopped.Reasons, r => r.Rule == "R5");
        Assert.Equal(2, await db.Messages.CountAsync(m => ids.Contains(m.Id) && m.Status == SmsStatus.Sent));
    }

    [Fact]
    public async Task R22_with_parallel_sends_an_unknown_outcome_is_failed_for_staff_and_never_sent_again_while_the_others_go_once()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Dispatcher:MaxParallelSends", "4"));
        const int count = 6;
        for (var i = 0; i < count; i++)
        {
            await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        }

        var crashed = 0;
        using var crashing = h.Api.Factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<ISmsGateway>();
            services.AddScoped<ISmsGateway>(sp => new AfterSending(sp.GetRequiredService<FortySixElksGateway>(), result =>
            {
                // The first accepted SMS: the provider has it, its id is never recorded.
                if (result.Accepted && Interlocked.Increment(ref crashed) == 1)
                {
                    throw new InvalidOperationException("Simulated crash after the provider accepted the SMS.");
                }
            }));
        }));
        h.Provider.Enqueue(ProviderAnswer.OkWithoutId);

        var first = await crashing.Services.GetRequiredService<SmsDispatcher>().DispatchDueAsync(CancellationToken.None);
        Assert.Equal(count - 2, first.Sent);
        Assert.Equal(1, first.Failed);

        // Other instance, before and after the lease ran out: nothing is sent again.
        await h.DispatchAsync();
        h.Api.Factory.Time.Advance(Duration.FromMinutes(6));
        var later = await h.DispatchAsync();
        h.Api.Factory.Time.Advance(Duration.FromHours(2));
        await h.DispatchAsync();

        Assert.Equal(1, later.UnknownOutcome);
        Assert.Equal(count, h.Provider.Requests.Count);
        Assert.Equal(count, h.Provider.Requests.Select(r => r.CallbackPath).Distinct().Count());
        await using var db = h.Api.Factory.NewDbContext();
        var messages = await db.Messages.ToListAsync();
        Assert.Equal(count - 2, messages.Count(m => m.Status == SmsStatus.Sent));
        var failed = messages.Where(m => m.Status == SmsStatus.Failed).ToList();
        Assert.Equal(2, failed.Count);
        Assert.All(failed, m => Assert.StartsWith("Utfall okänt", m.LastError, StringComparison.Ordinal));
        Assert.All(messages, m => Assert.Equal(1, m.Attempts));
    }

    private static async Task DeactivatePatientsOfSmsOtherThanAsync(PipelineHarness h, List<long> sending)
    {
        long[] inFlight;
        lock (sending)
        {
            inFlight = [.. sending];
        }

        await using var db = h.Api.Factory.NewDbContext();
        var patients = await (
            from m in db.Messages
            where !inFlight.Contains(m.Id)
            join b in db.Bookings on m.BookingId equals b.Id
            select b.PatientId).ToListAsync();
        foreach (var setting in await db.ReminderSettings.Where(s => patients.Contains(s.PatientId)).ToListAsync())
        {
            setting.Deactivate(new ChangeContext(h.Api.Now, Unit, ChangeChannel.Api));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The real gateway, with a step before the provider is called.</summary>
    private sealed class BeforeSending(ISmsGateway inner, Func<SmsMessage, Task> before) : ISmsGateway
    {
        public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            await before(message);
            return await inner.SendAsync(message, cancellationToken);
        }
    }

    /// <summary>The real gateway, with a step after the provider answered (a crash, before the answer is recorded).</summary>
    private sealed class AfterSending(ISmsGateway inner, Action<SmsSendResult> after) : ISmsGateway
    {
        public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            var result = await inner.SendAsync(message, cancellationToken);
            after(result);
            return result;
        }
    }
}
