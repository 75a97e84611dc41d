using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.Api;

/// <summary>An app with API keys configured and a client that sends one; helpers that arrange through the API itself.</summary>
public sealed class ApiHarness : IDisposable
{
    public const string Key = "test-key-0123456789-abcdefghijklmnop";
    public const string KeyName = "bokningssystemet";
    public const string Unit = "SE2321000115-O39423";
    public const string UnitName = "Vårdcentralen Ekdal";

    public ApiHarness()
        : this(null)
    {
    }

    internal ApiHarness(Action<RemindersFactory>? configure)
    {
        Factory = new RemindersFactory()
            .With("Api:Keys:0:Key", Key)
            .With("Api:Keys:0:Name", KeyName)
            .With("Api:Keys:1", "second-key-abcdefghij-0123456789-klmn");
        configure?.Invoke(Factory);
        Client = Factory.CreateClient();
        Client.DefaultRequestHeaders.Add("X-Api-Key", Key);
    }

    public RemindersFactory Factory { get; }

    public HttpClient Client { get; }

    public Instant Now => Factory.Time.Now;

    /// <summary>A fresh adult (born 1985-06-15) identity number, unique per call.</summary>
    public static PersonalIdentityNumber NewAdult() => Fiction.NewIdentity(new LocalDate(1985, 6, 15));

    public static string Iso(Instant instant) => NodaTime.Text.InstantPattern.ExtendedIso.Format(instant);

    public async Task<HttpResponseMessage> PutUnitAsync(string hsaId = Unit, string name = UnitName, bool sms = true, bool selfCheckIn = false) =>
        await Client.PutAsJsonAsync($"/api/v1/units/{hsaId}", new { name, clinic = "Allmänmedicin", usesSmsReminders = sms, offersSelfCheckIn = selfCheckIn });

    /// <summary>The register's delivery of a patient: a mobile delivered 2024-01-10 unless told, or with no date (<paramref name="unknownDate"/>).</summary>
    public async Task<HttpResponseMessage> PutPatientAsync(PersonalIdentityNumber id, string? mobile = "070-174 06 11", bool protectedIdentity = false, Instant? mobileUpdatedAt = null,
        bool unknownDate = false, bool consentIn1177 = false) =>
        await Client.PutAsJsonAsync($"/api/v1/patients/{id.Value}", new
        {
            name = "Test Testsson",
            protectedIdentity,
            mobile,
            mobileUpdatedAt = mobile is null || unknownDate ? null : Iso(mobileUpdatedAt ?? Instant.FromUtc(2024, 1, 10, 12, 0)),
            consentIn1177,
        });

    /// <summary>Sets the patient's guardian numbers (R11).</summary>
    public async Task<HttpResponseMessage> PutGuardianNumbersAsync(PersonalIdentityNumber id, params string[] numbers) =>
        await Client.PutAsJsonAsync($"/api/v1/patients/{id.Value}/reminders/guardian-numbers", new { numbers });

    public async Task<HttpResponseMessage> ActivateAsync(PersonalIdentityNumber id, string unit = Unit) =>
        await Client.PostAsJsonAsync($"/api/v1/patients/{id.Value}/reminders/activate", new { unit });

    public async Task<HttpResponseMessage> PutBookingAsync(string bookingId, PersonalIdentityNumber patient, Instant start, string unit = Unit) =>
        await Client.PutAsJsonAsync($"/api/v1/bookings/{bookingId}", new { patient = patient.Value, unit, start = Iso(start) });

    /// <summary>A unit, an activated adult with an own mobile (R12: delivered after 13), and a booking.</summary>
    public async Task<(PersonalIdentityNumber Patient, string BookingId)> ActivatedAdultWithBookingAsync(Duration startIn, string mobile = "070-174 06 11", bool selfCheckIn = false)
    {
        await Ensure(await PutUnitAsync(selfCheckIn: selfCheckIn));
        var patient = NewAdult();
        await Ensure(await PutPatientAsync(patient, mobile));
        await Ensure(await ActivateAsync(patient));
        var bookingId = "b-" + Guid.NewGuid().ToString("N")[..12];
        await Ensure(await PutBookingAsync(bookingId, patient, Now + startIn));
        return (patient, bookingId);
    }

    public async Task<JsonElement> MessagesAsync(string bookingId)
    {
        var response = await Client.GetAsync($"/api/v1/bookings/{bookingId}/messages");
        await Ensure(response);
        return await Json(response);
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static async Task Ensure(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new Xunit.Sdk.XunitException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Asserts a 400 problem whose <c>errors</c> names <paramref name="field"/>.</summary>
    public static async Task AssertInvalid(HttpResponseMessage response, string field)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = await Json(response);
        Assert.True(json.GetProperty("errors").TryGetProperty(field, out var messages), $"No error for '{field}': {body}");
        Assert.NotEqual(0, messages.GetArrayLength());
    }

    /// <summary>Asserts a 422 problem whose <c>reasons</c> include <paramref name="rule"/>.</summary>
    public static async Task AssertRefused(HttpResponseMessage response, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"Expected 422, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var reasons = (await Json(response)).GetProperty("reasons").EnumerateArray().ToList();
        Assert.Contains(reasons, r => r.GetProperty("rule").GetString() == rule && r.GetProperty("text").GetString()!.Length > 0 && r.GetProperty("code").GetString()!.Length > 0);
    }

    public void Dispose()
    {
        Client.Dispose();
        Factory.Dispose();
    }
}
