using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Testing;

namespace Reminders.Web.Tests.Api;

/// <summary>Every endpoint of /api/v1 through the real app: happy paths, validation errors, rule refusals, keys.</summary>
public sealed class ApiTests(ApiHarness api) : IClassFixture<ApiHarness>
{
    private HttpClient Client => api.Client;

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("test-key-012345678")]
    public async Task Missing_or_wrong_api_key_is_refused_with_401_problem(string? key)
    {
        using var client = api.Factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        var response = await client.GetAsync("/api/v1/units");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_second_configured_key_is_accepted_and_audited_by_its_index_never_the_key()
    {
        using var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "second-key-abcdefghij-0123456789-klmn");
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));

        await ApiHarness.Ensure(await client.GetAsync($"/api/v1/patients/{patient.Value}/reminders"));

        await using var db = api.Factory.NewDbContext();
        var audit = await db.AuditEvents.Where(a => a.Action == "ViewReminderSetting").OrderBy(a => a.Id).ToListAsync();
        Assert.Contains(audit, a => a.Actor == "api-key-1" && a.Channel == "Api");
        Assert.DoesNotContain(await db.AuditEvents.ToListAsync(), a => a.Actor.Contains("key-abcdef", StringComparison.Ordinal) || (a.Details ?? "").Contains(ApiHarness.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_key_configured_refuses_everything()
    {
        using var factory = new RemindersFactory();
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiHarness.Key);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/units")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsJsonAsync("/api/v1/units/SE2321000115-O1", new { name = "x", clinic = "y", usesSmsReminders = true, offersSelfCheckIn = false })).StatusCode);
    }

    [Fact]
    public async Task Units_are_created_updated_and_listed()
    {
        var created = await api.PutUnitAsync("SE2321000115-U1", "Enhet ett");
        var updated = await api.PutUnitAsync("SE2321000115-U1", "Enhet ett B");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var list = await ApiHarness.Json(await Client.GetAsync("/api/v1/units"));
        var unit = list.EnumerateArray().Single(u => u.GetProperty("hsaId").GetString() == "SE2321000115-U1");
        Assert.Equal("Enhet ett B", unit.GetProperty("name").GetString());
        Assert.True(unit.GetProperty("usesSmsReminders").GetBoolean());
    }

    [Fact]
    public async Task Unit_validation_names_the_field()
    {
        await ApiHarness.AssertInvalid(await api.PutUnitAsync("not-an-hsa-id"), "hsaId");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/units/SE2321000115-U2", new { clinic = "c", usesSmsReminders = true, offersSelfCheckIn = false }), "name");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/units/SE2321000115-U2", new { name = "n", usesSmsReminders = true, offersSelfCheckIn = false }), "clinic");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/units/SE2321000115-U2", new { name = "n", clinic = "c", usesSmsReminders = "yes", offersSelfCheckIn = false }), "usesSmsReminders");
    }

    [Fact]
    public async Task R50_patient_accepted_in_ten_digit_form_is_returned_with_twelve_digits_and_audited()
    {
        var patient = ApiHarness.NewAdult();
        var tenDigits = patient.Value[2..8] + "-" + patient.Value[8..];

        var response = await Client.PutAsJsonAsync($"/api/v1/patients/{tenDigits}", new { name = "Anna Andersson", protectedIdentity = false, mobile = "070-174 06 11", mobileUpdatedAt = "2024-01-10T13:00:00+01:00", consentIn1177 = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var json = await ApiHarness.Json(response);
        Assert.Equal(patient.Value, json.GetProperty("id").GetString());
        Assert.Equal("+46701740611", json.GetProperty("mobile").GetString());
        Assert.Equal("2024-01-10T12:00:00Z", json.GetProperty("mobileUpdatedAt").GetString());
        await using var db = api.Factory.NewDbContext();
        var stored = await db.Patients.SingleAsync(p => p.IdentityNumber == patient);
        Assert.Contains(await db.AuditEvents.Where(a => a.PatientId == stored.Id).ToListAsync(), a => a.Action == "CreatePatient" && a.Actor == ApiHarness.KeyName && a.Channel == "Api");
    }

    [Fact]
    public async Task Patient_validation_names_the_field()
    {
        var patient = ApiHarness.NewAdult();
        await ApiHarness.AssertInvalid(await api.PutPatientAsync(ApiHarness.NewAdult(), mobile: "not a number"), "mobile");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/patients/19850615-0000", new { name = "x", protectedIdentity = false, consentIn1177 = false }), "id");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync($"/api/v1/patients/{patient.Value}", new { protectedIdentity = false, consentIn1177 = false }), "name");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync($"/api/v1/patients/{patient.Value}", new { name = "x", protectedIdentity = false, consentIn1177 = false, mobile = "0701740611", mobileUpdatedAt = "2024-01-10T13:00:00" }), "mobileUpdatedAt");
        await ApiHarness.AssertInvalid(await Client.PutAsync($"/api/v1/patients/{patient.Value}", JsonContent.Create<object?>(null)), "body");
    }

    [Fact]
    public async Task Reminder_setting_is_read_with_the_contract_fields_and_the_read_is_audited()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));

        var json = await ApiHarness.Json(await Client.GetAsync($"/api/v1/patients/{patient.Value}/reminders"));

        Assert.Equal(patient.Value, json.GetProperty("patient").GetString());
        Assert.Equal("NotActivated", json.GetProperty("status").GetString());
        Assert.Equal(0, json.GetProperty("blockedUnits").GetArrayLength());
        Assert.Equal(0, json.GetProperty("guardianNumbers").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("notActivatedReason").ValueKind);
        Assert.Equal(0, json.GetProperty("comments").GetArrayLength());
        await using var db = api.Factory.NewDbContext();
        var id = (await db.Patients.SingleAsync(p => p.IdentityNumber == patient)).Id;
        Assert.True(await db.AuditEvents.AnyAsync(a => a.PatientId == id && a.Action == "ViewReminderSetting" && a.Succeeded));
    }

    [Fact]
    public async Task Unknown_patient_is_404_problem()
    {
        var response = await Client.GetAsync($"/api/v1/patients/{ApiHarness.NewAdult().Value}/reminders");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task R1_activate_then_R5_deactivate()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));

        var activated = await ApiHarness.Json(await api.ActivateAsync(patient));
        var deactivated = await ApiHarness.Json(await Client.PostAsJsonAsync($"/api/v1/patients/{patient.Value}/reminders/deactivate", new { unit = ApiHarness.Unit }));

        Assert.Equal("Activated", activated.GetProperty("status").GetString());
        Assert.Equal("Deactivated", deactivated.GetProperty("status").GetString());
    }

    [Fact]
    public async Task R14_activation_of_a_protected_patient_is_refused_with_422_and_audited_as_refused()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient, protectedIdentity: true));

        await ApiHarness.AssertRefused(await api.ActivateAsync(patient), "R14");

        await using var db = api.Factory.NewDbContext();
        var id = (await db.Patients.SingleAsync(p => p.IdentityNumber == patient)).Id;
        Assert.True(await db.AuditEvents.AnyAsync(a => a.PatientId == id && a.Action == "Activate" && !a.Succeeded));
    }

    [Fact]
    public async Task Activation_validation_names_the_unit()
    {
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync($"/api/v1/patients/{patient.Value}/reminders/activate", new { }), "unit");
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync($"/api/v1/patients/{patient.Value}/reminders/activate", new { unit = "SE-bad" }), "unit");
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync($"/api/v1/patients/{patient.Value}/reminders/deactivate", new { unit = "SE-bad" }), "unit");
    }

    [Fact]
    public async Task R3_block_and_unblock_any_unit_with_or_without_a_body()
    {
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));
        const string other = "SE2321000115-BLK1";

        var blocked = await ApiHarness.Json(await Client.PutAsJsonAsync($"/api/v1/patients/{patient.Value}/reminders/blocks/{other}", new { unit = ApiHarness.Unit }));
        var unblocked = await ApiHarness.Json(await Client.DeleteAsync($"/api/v1/patients/{patient.Value}/reminders/blocks/{other}"));

        Assert.Equal(other, Assert.Single(blocked.GetProperty("blockedUnits").EnumerateArray()).GetString());
        Assert.Equal(0, unblocked.GetProperty("blockedUnits").GetArrayLength());
        await ApiHarness.AssertInvalid(await Client.PutAsync($"/api/v1/patients/{patient.Value}/reminders/blocks/bad-hsa", null), "hsaId");
    }

    [Fact]
    public async Task R11_guardian_numbers_for_a_child_are_normalised_to_E164()
    {
        var child = Fiction.NewIdentity(new LocalDate(2017, 1, 1));
        await ApiHarness.Ensure(await api.PutPatientAsync(child, mobile: null));

        var json = await ApiHarness.Json(await Client.PutAsJsonAsync($"/api/v1/patients/{child.Value}/reminders/guardian-numbers", new { numbers = new[] { "070-174 06 22", "+46 70 174 06 66" } }));

        Assert.Equal(["+46701740622", "+46701740666"], json.GetProperty("guardianNumbers").EnumerateArray().Select(n => n.GetString()!).ToArray());
    }

    [Fact]
    public async Task R13_guardian_numbers_for_a_patient_of_13_or_older_are_refused()
    {
        var adult = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(adult));
        await ApiHarness.AssertRefused(await Client.PutAsJsonAsync($"/api/v1/patients/{adult.Value}/reminders/guardian-numbers", new { numbers = new[] { "0701740622" } }), "R13");
    }

    [Fact]
    public async Task R11_R16_more_than_two_or_non_mobile_guardian_numbers_are_refused_and_bad_shapes_invalid()
    {
        var child = Fiction.NewIdentity(new LocalDate(2016, 5, 5));
        await ApiHarness.Ensure(await api.PutPatientAsync(child, mobile: null));
        var path = $"/api/v1/patients/{child.Value}/reminders/guardian-numbers";

        await ApiHarness.AssertRefused(await Client.PutAsJsonAsync(path, new { numbers = new[] { "0701740622", "0701740633", "0701740688" } }), "R11");
        await ApiHarness.AssertRefused(await Client.PutAsJsonAsync(path, new { numbers = new[] { "08-123 456 78" } }), "R16");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync(path, new { numbers = new[] { "abc" } }), "numbers[0]");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync(path, new { }), "numbers");
    }

    [Fact]
    public async Task R14_reminder_setting_of_a_protected_patient_never_shows_numbers()
    {
        var child = Fiction.NewIdentity(new LocalDate(2016, 7, 7));
        await ApiHarness.Ensure(await api.PutPatientAsync(child, mobile: null));
        await ApiHarness.Ensure(await Client.PutAsJsonAsync($"/api/v1/patients/{child.Value}/reminders/guardian-numbers", new { numbers = new[] { "0701740622" } }));
        var madeProtected = await ApiHarness.Json(await api.PutPatientAsync(child, mobile: "0701740677", protectedIdentity: true));

        var json = await ApiHarness.Json(await Client.GetAsync($"/api/v1/patients/{child.Value}/reminders"));

        Assert.Equal(0, json.GetProperty("guardianNumbers").GetArrayLength());
        Assert.Equal("ProtectedIdentity", json.GetProperty("notActivatedReason").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, madeProtected.GetProperty("mobile").ValueKind);
        Assert.DoesNotContain("0701740622", json.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("701740622", json.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task R20_booking_plans_its_reminder_and_R22_moving_and_cancelling_replan_it()
    {
        var (_, bookingId) = await api.ActivatedAdultWithBookingAsync(Duration.FromDays(5));
        var planned = (await api.MessagesAsync(bookingId)).GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("Reminder", planned.GetProperty("kind").GetString());
        Assert.Equal("Pending", planned.GetProperty("status").GetString());
        Assert.Equal("Patient", planned.GetProperty("recipient").GetString());
        Assert.Equal("+46701740611", planned.GetProperty("to").GetString());
        Assert.Equal(ApiHarness.Iso(api.Now + Duration.FromDays(3)), planned.GetProperty("dueAt").GetString());

        var moved = await Client.PutAsJsonAsync($"/api/v1/bookings/{bookingId}", new { patient = (await BookingPatientAsync(bookingId)), unit = ApiHarness.Unit, start = ApiHarness.Iso(api.Now + Duration.FromDays(6)) });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var replanned = (await api.MessagesAsync(bookingId)).GetProperty("messages").EnumerateArray().Single();
        Assert.Equal(ApiHarness.Iso(api.Now + Duration.FromDays(4)), replanned.GetProperty("dueAt").GetString());

        var cancelled = await Client.DeleteAsync($"/api/v1/bookings/{bookingId}");
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        var after = (await api.MessagesAsync(bookingId)).GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("Cancelled", after.GetProperty("status").GetString());
        Assert.Contains(after.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "R22");
    }

    [Fact]
    public async Task R24_messages_of_a_booking_for_a_patient_never_activated_explain_R1()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));
        await ApiHarness.Ensure(await api.PutBookingAsync("b-notactivated", patient, api.Now + Duration.FromDays(4)));

        var json = await api.MessagesAsync("b-notactivated");

        Assert.Equal(0, json.GetProperty("messages").GetArrayLength());
        var reminder = json.GetProperty("notSent").EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "Reminder");
        Assert.Contains(reminder.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("rule").GetString() == "R1");
    }

    [Fact]
    public async Task Booking_validation_names_the_field()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));
        var start = ApiHarness.Iso(api.Now + Duration.FromDays(3));

        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-v1", new { patient = ApiHarness.NewAdult().Value, unit = ApiHarness.Unit, start }), "patient");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-v1", new { patient = "12345", unit = ApiHarness.Unit, start }), "patient");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-v1", new { patient = patient.Value, unit = "SE2321000115-NOPE", start }), "unit");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-v1", new { patient = patient.Value, unit = ApiHarness.Unit }), "start");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-v1", new { patient = patient.Value, unit = ApiHarness.Unit, start = "tomorrow" }), "start");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync($"/api/v1/bookings/{new string('x', 65)}", new { patient = patient.Value, unit = ApiHarness.Unit, start }), "bookingId");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.DeleteAsync("/api/v1/bookings/b-no-such")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/api/v1/bookings/b-no-such/messages")).StatusCode);
    }

    [Fact]
    public async Task R61_outcome_is_recorded_after_the_start_and_refused_before_it()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));
        await ApiHarness.Ensure(await api.PutBookingAsync("b-past", patient, api.Now - Duration.FromHours(1)));
        await ApiHarness.Ensure(await api.PutBookingAsync("b-future", patient, api.Now + Duration.FromDays(2)));

        var recorded = await Client.PutAsJsonAsync("/api/v1/bookings/b-past/outcome", new { outcome = "NoShow" });

        Assert.Equal("NoShow", (await ApiHarness.Json(recorded)).GetProperty("outcome").GetString());
        await ApiHarness.AssertRefused(await Client.PutAsJsonAsync("/api/v1/bookings/b-future/outcome", new { outcome = "Attended" }), "R61");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-past/outcome", new { outcome = "Maybe" }), "outcome");
        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/bookings/b-past/outcome", new { outcome = "None" }), "outcome");
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PutAsJsonAsync("/api/v1/bookings/b-none/outcome", new { outcome = "Attended" })).StatusCode);
    }

    [Fact]
    public async Task R45_eservice_request_lands_in_the_receiving_units_inbox()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));

        var response = await Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = ApiHarness.Unit, patient = patient.Value, kind = "Block", unit = "SE2321000115-OTHER", number = (string?)null });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var db = api.Factory.NewDbContext();
        var id = (await ApiHarness.Json(response)).GetProperty("id").GetInt64();
        var request = await db.EServiceRequests.SingleAsync(r => r.Id == id);
        Assert.Equal(ApiHarness.Unit, request.ReceivedAtUnit.Value);
        Assert.Equal("SE2321000115-OTHER", request.ConcernsUnit!.Value);
    }

    [Fact]
    public async Task R45_R5_a_Deactivate_request_is_accepted_through_the_API_and_lands_in_the_inbox()
    {
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient));

        var response = await Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = ApiHarness.Unit, patient = patient.Value, kind = "Deactivate", unit = (string?)null, number = (string?)null });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        await using var db = api.Factory.NewDbContext();
        var id = (await ApiHarness.Json(response)).GetProperty("id").GetInt64();
        var request = await db.EServiceRequests.SingleAsync(r => r.Id == id);
        Assert.Equal((Reminders.Domain.EService.EServiceKind.Deactivate, Reminders.Domain.EService.EServiceStatus.Open), (request.Kind, request.Status));
    }

    [Fact]
    public async Task R40_unit_centralReception_is_optional_defaults_to_false_and_is_returned()
    {
        var plain = await Client.PutAsJsonAsync("/api/v1/units/SE2321000115-CENTR1", new { name = "Vårdcentralen Plain", clinic = "Allmänmedicin", usesSmsReminders = true, offersSelfCheckIn = false });
        await ApiHarness.Ensure(plain);
        Assert.False((await ApiHarness.Json(plain)).GetProperty("centralReception").GetBoolean());

        var central = await Client.PutAsJsonAsync("/api/v1/units/SE2321000115-CENTR2", new { name = "Centralreceptionen", clinic = "Allmänmedicin", usesSmsReminders = true, offersSelfCheckIn = false, centralReception = true });
        await ApiHarness.Ensure(central);
        var listed = (await ApiHarness.Json(await Client.GetAsync("/api/v1/units"))).EnumerateArray().ToList();
        Assert.True(listed.Single(u => u.GetProperty("hsaId").GetString() == "SE2321000115-CENTR2").GetProperty("centralReception").GetBoolean());
        Assert.False(listed.Single(u => u.GetProperty("hsaId").GetString() == "SE2321000115-CENTR1").GetProperty("centralReception").GetBoolean());

        await ApiHarness.AssertInvalid(await Client.PutAsJsonAsync("/api/v1/units/SE2321000115-CENTR2", new { name = "X", clinic = "Y", usesSmsReminders = true, offersSelfCheckIn = false, centralReception = "ja" }), "centralReception");
    }

    [Fact]
    public async Task EService_validation_names_the_field()
    {
        var patient = ApiHarness.NewAdult();
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = ApiHarness.Unit, patient = patient.Value, kind = "Block" }), "unit");
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = ApiHarness.Unit, patient = patient.Value, kind = "GuardianNumber" }), "number");
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = ApiHarness.Unit, patient = patient.Value, kind = "Teleport" }), "kind");
        await ApiHarness.AssertInvalid(await Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = "bad", patient = patient.Value, kind = "Activate" }), "receivedAtUnit");
    }

    [Fact]
    public async Task No_phone_number_or_identity_number_reaches_the_log()
    {
        var (patient, bookingId) = await api.ActivatedAdultWithBookingAsync(Duration.FromDays(3), mobile: "0701740699");
        await api.MessagesAsync(bookingId);

        var log = await api.Factory.ReadLogAsync();
        Assert.DoesNotContain(patient.Value, log, StringComparison.Ordinal);
        Assert.DoesNotContain(patient.Value[2..], log, StringComparison.Ordinal);
        Assert.DoesNotContain("701740699", log, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiHarness.Key, log, StringComparison.Ordinal);
    }

    private async Task<string> BookingPatientAsync(string bookingId)
    {
        await using var db = api.Factory.NewDbContext();
        var booking = await db.Bookings.SingleAsync(b => b.ExternalId == bookingId);
        return (await db.Patients.SingleAsync(p => p.Id == booking.PatientId)).IdentityNumber.Value;
    }
}
