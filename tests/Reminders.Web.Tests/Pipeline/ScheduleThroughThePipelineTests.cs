using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Time;
using Reminders.Infrastructure.Planning;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>The schedule rules end to end: API booking → planner → dispatcher → the provider on loopback.</summary>
public sealed class ScheduleThroughThePipelineTests
{
    [Fact]
    public async Task R21_R26_a_unit_with_self_check_in_sends_the_exact_self_check_in_text_two_hours_before()
    {
        // R26 (rev. 2): no built-in link; the region configures one.
        await using var h = await PipelineHarness.StartAsync(f => f.With("Sms:SelfCheckInLink", "https://incheckning.example/r"));
        var start = Stockholm.ToInstant(new LocalDateTime(2025, 3, 28, 15, 0));
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(start - h.Api.Now, selfCheckIn: true);

        await h.DispatchAsync(); // the reminder goes at once: booked less than 48 h before (R20)
        Assert.Single(h.Provider.Requests);

        h.Api.Factory.Time.SetNow(start - Duration.FromHours(2) - Duration.FromMinutes(1));
        await h.DispatchAsync();
        Assert.Single(h.Provider.Requests);

        h.Api.Factory.Time.SetNow(start - Duration.FromHours(2));
        await h.DispatchAsync();

        Assert.Equal(2, h.Provider.Requests.Count);
        Assert.Equal("https://incheckning.example/r", h.Api.Factory.Services.GetRequiredService<ISmsPolicySource>().Current.SelfCheckInLink);
        Assert.Equal($"Du kan nu checka in och betala ditt besök hos {ApiHarness.UnitName} 2025-03-28 kl. 15:00: https://incheckning.example/r", h.Provider.Requests[1].Message);
        var kinds = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("kind").GetString()).Order(StringComparer.Ordinal);
        Assert.Equal(["Reminder", "SelfCheckIn"], kinds);
    }

    [Fact]
    public async Task R28_a_reminder_due_at_night_waits_for_the_end_of_quiet_hours_when_they_are_switched_on()
    {
        // R28 (rev. 2): off by default; this region switched them on.
        await using var h = await PipelineHarness.StartAsync(f => f.With("Sms:QuietHoursEnabled", "true"));
        h.Api.Factory.Time.SetNow(Stockholm.ToInstant(new LocalDateTime(2025, 3, 27, 21, 30)));
        var (_, bookingId) = await h.Api.ActivatedAdultWithBookingAsync(
            Stockholm.ToInstant(new LocalDateTime(2025, 3, 28, 10, 0)) - h.Api.Now);

        await h.DispatchAsync();
        h.Api.Factory.Time.SetNow(Stockholm.ToInstant(new LocalDateTime(2025, 3, 28, 6, 59)));
        await h.DispatchAsync();
        Assert.Empty(h.Provider.Requests);

        var planned = (await h.Api.MessagesAsync(bookingId)).GetProperty("messages")[0];
        Assert.Equal(Stockholm.ToInstant(new LocalDateTime(2025, 3, 28, 7, 0)), InstantPattern(planned.GetProperty("dueAt").GetString()!));
        Assert.Contains(planned.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "R28");

        h.Api.Factory.Time.SetNow(Stockholm.ToInstant(new LocalDateTime(2025, 3, 28, 7, 0)));
        await h.DispatchAsync();
        Assert.Single(h.Provider.Requests);
    }

    [Fact]
    public async Task R28_R20_quiet_hours_are_off_by_default_a_late_evening_booking_s_reminder_goes_at_once()
    {
        await using var h = await PipelineHarness.StartAsync();
        h.Api.Factory.Time.SetNow(Stockholm.ToInstant(new LocalDateTime(2025, 3, 27, 21, 30)));
        await h.Api.ActivatedAdultWithBookingAsync(Stockholm.ToInstant(new LocalDateTime(2025, 3, 28, 10, 0)) - h.Api.Now);

        await h.DispatchAsync();

        Assert.Single(h.Provider.Requests);
    }

    private static Instant InstantPattern(string text) =>
        NodaTime.Text.OffsetDateTimePattern.ExtendedIso.Parse(text).GetValueOrThrow().ToInstant();
}
