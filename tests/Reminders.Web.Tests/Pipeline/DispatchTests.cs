using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Messaging;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>From booking to delivered SMS through a real loopback provider, and every fault on the way.</summary>
public sealed class DispatchTests
{
    private const string ExpectedText = "Påminnelse om bokad kontakt med Vårdcentralen Ekdal 2025-03-28 kl. 15:00. Av/omboka senast 24 timmar innan, annars betalar du en avgift";

    [Fact]
    public async Task R20_R25_booking_30_hours_ahead_gets_exactly_one_SMS_with_the_exact_text_and_shows_Delivered_after_the_report()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));

        var summary = await h.DispatchAsync();

        Assert.Equal(1, summary.Sent);
        var request = Assert.Single(h.Provider.Requests);
        Assert.Equal("/a1/sms", request.Path);
        Assert.Equal("application/x-www-form-urlencoded", request.ContentType);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PipelineHarness.User}:{PipelineHarness.Password}")), request.Authorization);
        Assert.Equal("+46701740611", request.To);
        Assert.Equal(ExpectedText, request.Message);
        Assert.Equal("Regionen", request.Form["from"]);
        Assert.Equal("message", request.Form["dontlog"]);
        Assert.StartsWith("https://paminnelser.example.se/api/v1/sms/delivery/", request.Form["whendelivered"], StringComparison.Ordinal);
        var sent = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("Sent", sent.GetProperty("status").GetString());

        using var anonymous = h.Api.Factory.CreateClient();
        var report = await anonymous.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request));
        var again = await anonymous.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request));

        Assert.True(report.IsSuccessStatusCode);
        Assert.True(again.IsSuccessStatusCode);
        var delivered = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("Delivered", delivered.GetProperty("status").GetString());
        Assert.Equal(ExpectedText, delivered.GetProperty("text").GetString());
        Assert.Equal(0, (await h.DispatchAsync()).Claimed);
        Assert.Single(h.Provider.Requests);
    }

    [Fact]
    public async Task Duplicate_or_late_failed_report_never_moves_a_delivered_SMS_and_unknown_tokens_are_404()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        await h.DispatchAsync();
        var request = Assert.Single(h.Provider.Requests);
        using var client = h.Api.Factory.CreateClient();

        Assert.True((await client.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request))).IsSuccessStatusCode);
        Assert.True((await client.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request, "failed"))).IsSuccessStatusCode);
        var unknown = await client.PostAsync("/api/v1/sms/delivery/not-a-token", LoopbackSmsProvider.DeliveryReport(request));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Delivered", (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Provider_500_is_retried_after_the_backoff_and_sent_once()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        h.Provider.Enqueue(ProviderAnswer.Status(500));

        Assert.Equal(1, (await h.DispatchAsync()).Retried);
        h.Api.Factory.Time.Advance(Duration.FromSeconds(10));
        Assert.Equal(0, (await h.DispatchAsync()).Claimed);
        h.Api.Factory.Time.Advance(Duration.FromMinutes(1));
        Assert.Equal(1, (await h.DispatchAsync()).Sent);

        Assert.Equal(2, h.Provider.Requests.Count);
        Assert.Single(h.Provider.Accepted);
        Assert.Equal("Sent", (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Provider_429_Retry_After_is_honoured()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        h.Provider.Enqueue(ProviderAnswer.Status(429, retryAfterSeconds: 600));

        await h.DispatchAsync();
        h.Api.Factory.Time.Advance(Duration.FromMinutes(9));
        await h.DispatchAsync();
        Assert.Single(h.Provider.Requests);

        h.Api.Factory.Time.Advance(Duration.FromMinutes(2));
        await h.DispatchAsync();
        Assert.Equal(2, h.Provider.Requests.Count);
        Assert.Single(h.Provider.Accepted);
    }

    [Theory]
    [InlineData(ProviderAnswerKind.Hang)]
    [InlineData(ProviderAnswerKind.Close)]
    public async Task Time_out_or_closed_connection_is_retried_and_the_SMS_goes_once_more(ProviderAnswerKind fault)
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Sms:FortySixElks:Timeout", "00:00:01"));
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        h.Provider.Enqueue(new ProviderAnswer(fault));

        Assert.Equal(1, (await h.DispatchAsync()).Retried);
        await using (var db = h.Api.Factory.NewDbContext())
        {
            var sms = await db.Messages.SingleAsync();
            Assert.Equal(SmsStatus.Pending, sms.Status);
            Assert.NotNull(sms.LastError);
        }

        h.Api.Factory.Time.Advance(Duration.FromMinutes(5));
        Assert.Equal(1, (await h.DispatchAsync()).Sent);
        Assert.Equal(2, h.Provider.Requests.Count);
        Assert.Single(h.Provider.Accepted);
        Assert.Equal("Sent", (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task R22_a_200_without_an_id_is_an_unknown_outcome_failed_for_staff_and_never_sent_again()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        h.Provider.Enqueue(ProviderAnswer.OkWithoutId);

        await h.DispatchAsync();
        for (var i = 0; i < 3; i++)
        {
            h.Api.Factory.Time.Advance(Duration.FromHours(1));
            await h.DispatchAsync();
        }

        Assert.Single(h.Provider.Requests);
        var message = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0];
        Assert.Equal("Failed", message.GetProperty("status").GetString());
        Assert.StartsWith("Utfall okänt", message.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_last_attempt_the_SMS_is_failed_with_a_Swedish_reason()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Dispatcher:MaxAttempts", "3"));
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        h.Provider.Enqueue(ProviderAnswer.Status(500), ProviderAnswer.Status(503), ProviderAnswer.Status(500), ProviderAnswer.Status(500));

        for (var i = 0; i < 5; i++)
        {
            await h.DispatchAsync();
            h.Api.Factory.Time.Advance(Duration.FromHours(1));
        }

        Assert.Equal(3, h.Provider.Requests.Count);
        var message = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0];
        Assert.Equal("Failed", message.GetProperty("status").GetString());
        Assert.Contains("kunde inte skickas efter 3 försök", message.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crash_between_send_and_mark_sent_is_never_resent_and_is_failed_as_unknown_after_the_lease()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        using var crashing = h.Api.Factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<ISmsGateway>();
            services.AddScoped<ISmsGateway>(sp => new CrashAfterSending(sp.GetRequiredService<FortySixElksGateway>()));
        }));
        var dispatcher = crashing.Services.GetRequiredService<SmsDispatcher>();

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Single(h.Provider.Requests);
        await using (var db = h.Api.Factory.NewDbContext())
        {
            Assert.Equal(SmsStatus.Sending, (await db.Messages.SingleAsync()).Status);
        }

        // Another instance, before and after the lease ran out: it never sends again.
        await h.DispatchAsync();
        h.Api.Factory.Time.Advance(Duration.FromMinutes(6));
        var summary = await h.DispatchAsync();
        h.Api.Factory.Time.Advance(Duration.FromHours(2));
        await h.DispatchAsync();

        Assert.Equal(1, summary.UnknownOutcome);
        Assert.Single(h.Provider.Requests);
        var message = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0];
        Assert.Equal("Failed", message.GetProperty("status").GetString());
        Assert.Contains("Utfall okänt", message.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_send_2000_due_SMS_each_exactly_once()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Dispatcher:BatchSize", "25"));
        const int bookings = 2000;
        await ApiHarness.Ensure(await h.Api.PutUnitAsync());
        await SeedBookingsAsync(h, bookings);

        var first = h.Dispatcher;
        var second = ActivatorUtilities.CreateInstance<SmsDispatcher>(h.Api.Factory.Services);
        Assert.NotEqual(first.Owner, second.Owner);
        Task<DispatchSummary[]> BothUntilIdleAsync() => Task.WhenAll(
            Task.Run(() => first.DispatchUntilIdleAsync(CancellationToken.None)),
            Task.Run(() => second.DispatchUntilIdleAsync(CancellationToken.None)));

        var results = await BothUntilIdleAsync();
        var sent = results.Sum(r => r.Sent);
        Assert.True(results.All(r => r.Sent > 0), "Both instances took part.");

        // On a loaded machine a few provider calls fail transiently and are put back for a retry (or left to their
        // lease): later polls, past the backoff and the lease, must send those too, and still each exactly once.
        for (var round = 0; round < 5 && sent < bookings; round++)
        {
            h.Api.Factory.Time.Advance(Duration.FromMinutes(10));
            var again = await BothUntilIdleAsync();
            sent += again.Sum(r => r.Sent);
        }

        Assert.Equal(bookings, sent);
        // Each SMS (its callback token names it) reached the provider exactly once.
        var perSms = h.Provider.Requests.GroupBy(r => r.CallbackPath).ToList();
        Assert.Equal(bookings, h.Provider.Requests.Count);
        Assert.Equal(bookings, perSms.Count);
        Assert.All(perSms, g => Assert.Single(g));
        await using var db = h.Api.Factory.NewDbContext();
        Assert.Equal(bookings, await db.Messages.CountAsync(m => m.Status == SmsStatus.Sent));
    }

    [Fact]
    public async Task Hosted_loop_sends_due_SMS_and_reports_its_last_poll_in_health()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("Dispatcher:Enabled", "true").With("Dispatcher:PollInterval", "00:00:00.05"));
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));

        await Eventually.TrueAsync(() => Task.FromResult(h.Provider.Accepted.Count == 1), "the hosted dispatcher sends the due SMS");
        var health = await ApiHarness.Json(await h.Api.Client.GetAsync("/health"));

        var dispatcher = health.GetProperty("checks").GetProperty("dispatcher");
        Assert.Equal("Healthy", dispatcher.GetProperty("status").GetString());
        Assert.Contains("Senaste lyckade körning", dispatcher.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Single(h.Provider.Requests);
    }

    private static async Task SeedBookingsAsync(PipelineHarness h, int count)
    {
        // Arranged directly in the store (the API path is covered above) and planned by the product's planner.
        await using var scope = h.Api.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Infrastructure.Persistence.RemindersDbContext>();
        var planner = scope.ServiceProvider.GetRequiredService<Infrastructure.Planning.ReminderPlanner>();
        var now = h.Api.Now;
        var unit = Reminders.Domain.Units.HsaId.Parse(ApiHarness.Unit).Value;
        var patients = new List<Reminders.Domain.Patients.Patient>();
        for (var i = 0; i < count; i++)
        {
            patients.Add(Build.Patient(Fiction.NthIdentity(i, new LocalDate(1950, 1, 1)), "P", Fiction.NthMobile(i), Instant.FromUtc(2024, 1, 1, 0, 0)));
        }

        db.Patients.AddRange(patients);
        await db.SaveChangesAsync();
        var bookings = new List<Reminders.Domain.Bookings.Booking>();
        foreach (var patient in patients)
        {
            db.ReminderSettings.Add(Build.ActivatedSetting(patient, new Reminders.Domain.Reminders.ChangeContext(now, unit, Reminders.Domain.Reminders.ChangeChannel.Api)));
            bookings.Add(Build.Booking($"load-{patient.Id}", patient.Id, unit, now + Duration.FromHours(30), now));
        }

        db.Bookings.AddRange(bookings);
        await db.SaveChangesAsync();
        foreach (var booking in bookings)
        {
            await planner.PlanBookingAsync(booking, CancellationToken.None);
        }

        await db.SaveChangesAsync();
        Assert.Equal(count, await db.Messages.CountAsync(m => m.Status == SmsStatus.Pending));
    }

    /// <summary>The provider receives the SMS, then the process "dies" before the answer is recorded.</summary>
    private sealed class CrashAfterSending(ISmsGateway inner) : ISmsGateway
    {
        public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
        {
            await inner.SendAsync(message, cancellationToken);
            throw new InvalidOperationException("Simulated crash after the provider accepted the SMS.");
        }
    }
}
