using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Domain.Time;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Planning;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Admin;

/// <summary>R26, R28: the admin settings page stores quiet hours and the self check-in link; the decision uses them.</summary>
public sealed class SmsSettingsTests
{
    [Fact]
    public async Task R28_R26_saved_settings_replace_the_configured_defaults_in_the_decision()
    {
        using var api = new ApiHarness();
        var admin = await api.Factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
        var page = await admin.GetPageAsync("/Admin/Settings");
        Assert.NotNull(page.QuerySelector("[data-testid=from-configuration]"));
        Assert.Equal("21:00", page.QuerySelector("#QuietHoursStart")!.GetAttribute("value"));
        Assert.Equal("07:00", page.QuerySelector("#QuietHoursEnd")!.GetAttribute("value"));

        var response = await admin.SubmitAsync(page, "#settings-form", new Dictionary<string, string>
        {
            ["QuietHoursEnabled"] = "true", ["QuietHoursStart"] = "20:00", ["QuietHoursEnd"] = "08:00", ["SelfCheckInLink"] = "https://incheckning.example/r",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var policy = api.Factory.Services.GetRequiredService<ISmsPolicySource>().Current;
        Assert.Equal((true, new LocalTime(20, 0), new LocalTime(8, 0), "https://incheckning.example/r"),
            (policy.QuietHours.Enabled, policy.QuietHours.Start, policy.QuietHours.End, policy.SelfCheckInLink));

        // A reminder due 07:30 local falls inside 20:00–08:00 now and is moved to 08:00 (R28); the link is the saved one (R26).
        await ApiHarness.Ensure(await api.PutUnitAsync(selfCheckIn: true));
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient, "070-174 06 40"));
        await ApiHarness.Ensure(await api.ActivateAsync(patient));
        var start = Stockholm.ToInstant(new LocalDateTime(2025, 4, 3, 7, 30));
        await ApiHarness.Ensure(await api.PutBookingAsync("settings-1", patient, start));
        await using var db = api.Factory.NewDbContext();
        var messages = await db.Messages.ToListAsync();
        Assert.Equal(new LocalDateTime(2025, 4, 1, 8, 0), Stockholm.LocalOf(messages.Single(m => m.Kind == SmsKind.Reminder).DueAt));
        Assert.EndsWith("https://incheckning.example/r", messages.Single(m => m.Kind == SmsKind.SelfCheckIn).Text, StringComparison.Ordinal);
        Assert.Contains(await db.AuditEvents.Select(e => e.Action).ToListAsync(), a => a == nameof(AuditAction.Settings));
    }

    [Fact]
    public async Task R28_R26_bad_times_or_link_are_refused_and_nothing_is_saved()
    {
        using var factory = new RemindersFactory();
        var admin = await factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
        var page = await admin.GetPageAsync("/Admin/Settings");
        var response = await admin.SubmitAsync(page, "#settings-form", new Dictionary<string, string>
        {
            ["QuietHoursStart"] = "25:00", ["QuietHoursEnd"] = "7", ["SelfCheckInLink"] = "javascript:alert(1)",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await Forms.ParseAsync(response);
        Assert.Contains("TT:MM", result.QuerySelector("[data-valmsg-for=QuietHoursStart]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("TT:MM", result.QuerySelector("[data-valmsg-for=QuietHoursEnd]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("https", result.QuerySelector("[data-valmsg-for=SelfCheckInLink]")!.TextContent, StringComparison.Ordinal);
        await using var db = factory.NewDbContext();
        Assert.False(await db.Set<SmsPolicySetting>().AnyAsync());
    }
}
