using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Domain.Audit;
using Reminders.Application.Bookings;

namespace Reminders.Web.Tests.CheckIn;

/// <summary>One app per test class, a receptionist at unit A signed in through the real form, and arranging helpers.</summary>
public sealed class CheckInFixture : IAsyncLifetime
{
    private static int _booking;

    public RemindersFactory Factory { get; } = new();

    public HttpClient Reception { get; private set; } = null!;

    public string ReceptionId { get; private set; } = null!;

    /// <summary>Today in Stockholm (the factory's clock starts 2025-03-27 09:00 local).</summary>
    public LocalDate Today => Stockholm.DateOf(Factory.Time.Now);

    public async Task InitializeAsync()
    {
        Reception = await Factory.SignedInClientAsync("reception@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);
        await using var db = Factory.NewDbContext();
        ReceptionId = (await db.Users.SingleAsync(u => u.Email == "reception@test.invalid")).Id;
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Creates a patient (mobile delivered 100 days ago unless told) and their setting; <paramref name="configure"/>
    /// changes the setting through the domain, 20 days ago at unit B.
    /// </summary>
    public async Task<long> PatientAsync(
        PersonalIdentityNumber id,
        string name,
        PhoneNumber? mobile = null,
        Instant? mobileAt = null,
        bool protectedIdentity = false,
        bool consent = false,
        Action<Patient, ReminderSetting, ChangeContext>? configure = null)
    {
        var context = new ChangeContext(Factory.Time.Now - Duration.FromDays(20), Staff.UnitB, ChangeChannel.CheckIn);
        var patient = await Factory.AddPatientAsync(id, name, mobile, mobileAt ?? Factory.Time.Now - Duration.FromDays(100), protectedIdentity, consent,
            configure is null ? null : (p, s) => configure(p, s, context));
        return patient.Id;
    }

    /// <summary>A booking at <paramref name="unit"/> at a local time today (plus <paramref name="days"/>), booked a week ago; its SMS are planned.</summary>
    public async Task BookingAsync(PersonalIdentityNumber patient, HsaId unit, int hour, int minute = 0, int days = 0)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<BookingsHandler>();
        var start = Stockholm.ToInstant(Today.PlusDays(days).At(new LocalTime(hour, minute)));
        var outcome = await handler.PutAsync($"b{Interlocked.Increment(ref _booking)}", new BookingInput(patient, unit, start, Factory.Time.Now - Duration.FromDays(7)),
            new Actor("test", ChangeChannel.Api), CancellationToken.None);
        Assert.True(outcome.Succeeded, outcome.Kind.ToString());
    }

    public async Task<ReminderSetting> SettingAsync(long patientId)
    {
        await using var db = Factory.NewDbContext();
        return await db.ReminderSettings.AsNoTracking().SingleAsync(s => s.PatientId == patientId);
    }

    public async Task<Patient> PatientAsync(long patientId)
    {
        await using var db = Factory.NewDbContext();
        return await db.Patients.AsNoTracking().SingleAsync(p => p.Id == patientId);
    }

    public async Task<List<Domain.Audit.AuditEvent>> AuditAsync(long patientId)
    {
        await using var db = Factory.NewDbContext();
        return await db.AuditEvents.AsNoTracking().Where(a => a.PatientId == patientId).OrderBy(a => a.Id).ToListAsync();
    }

    public static string PatientUrl(long id, string? answer = null) => $"/CheckIn/Patient?id={id}" + (answer is null ? "" : $"&svar={answer}");
}

/// <summary>Helpers for posting the page's real forms.</summary>
public static class CheckInForms
{
    /// <summary>Posts a form and follows the PRG redirect; returns the page shown after it.</summary>
    public static async Task<IHtmlDocument> PostAndFollowAsync(this HttpClient client, IHtmlDocument page, string form, IReadOnlyDictionary<string, string>? values = null)
    {
        var response = await client.SubmitAsync(page, form, values);
        if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther)
        {
            return await client.GetPageAsync(response.Headers.Location!.ToString());
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Forms.ParseAsync(response);
    }

    /// <summary>Adds fields a browser would not send (over-posting), or points a rendered form at another handler (a crafted request).</summary>
    public static IHtmlDocument Tamper(this IHtmlDocument page, string form, IReadOnlyDictionary<string, string>? extra = null, string? handler = null)
    {
        var element = (IHtmlFormElement)page.QuerySelector(form)!;
        foreach (var (name, value) in extra ?? new Dictionary<string, string>())
        {
            var input = (IHtmlInputElement)page.CreateElement("input");
            input.Type = "hidden";
            input.Name = name;
            input.Value = value;
            element.AppendChild(input);
        }

        if (handler is not null)
        {
            element.Action = Regex.Replace(element.Action, "handler=[A-Za-z]+", "handler=" + handler);
        }

        return page;
    }

    public static string Status(this IHtmlDocument page) => page.QuerySelector("[data-testid=status]")!.TextContent.Trim();

    public static string Problems(this IHtmlDocument page) => page.QuerySelector("[data-testid=problems]")!.TextContent.Trim();

    public static IReadOnlyList<string> Badges(this IHtmlDocument page, long patientId) =>
        page.QuerySelectorAll($"tr[data-patient='{patientId}'] .badge").Select(b => b.TextContent.Trim()).ToList();
}
