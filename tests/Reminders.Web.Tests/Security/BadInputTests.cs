using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Security;

/// <summary>Issue #16 item 9: bad input gets a clear problem and nothing is written.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("070-123")]
    [InlineData("ring mig")]
    [InlineData("+4670174060500000000000000000000000000000000000000")]
    public async Task R16_an_e_service_request_with_a_number_that_is_not_a_phone_number_or_too_long_is_refused_and_not_stored(string number)
    {
        using var h = new ApiHarness();
        await ApiHarness.Ensure(await h.PutUnitAsync());
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await h.PutPatientAsync(patient));

        var response = await h.Client.PostAsJsonAsync("/api/v1/eservice-requests", new { receivedAtUnit = ApiHarness.Unit, patient = patient.Value, kind = "GuardianNumber", number });

        await ApiHarness.AssertInvalid(response, "number");
        await using var db = h.Factory.NewDbContext();
        Assert.False(await db.EServiceRequests.AnyAsync());
    }

    [Fact]
    public async Task R36_a_VAS_row_with_a_field_or_record_over_the_cap_is_reported_with_its_line_and_not_imported()
    {
        using var api = new ApiHarness();
        await VasImportApiTests.UnitsAsync(api);
        var longField = $"19800505-1234,J,0701740605,2024-07-01,,{new string('7', 1500)},N";
        // Every field under the field cap, the record over the record cap.
        var longRecord = "19800505-1225," + string.Join(',', Enumerable.Repeat(new string('S', 900), 12));
        var csv = VasImport.VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n" + longField + "\n" + longRecord + "\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");

        var response = await api.Client.PostAsync("/api/v1/imports/vas?goLive=2025-03-29", content);

        await ApiHarness.Ensure(response);
        var json = await ApiHarness.Json(response);
        Assert.Equal(3, json.GetProperty("rows").GetInt32());
        Assert.Equal(1, json.GetProperty("activated").GetInt32());
        var rejected = json.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([3, 4], rejected.Select(r => r.GetProperty("line").GetInt32()));
        Assert.All(rejected, r => Assert.Contains("för lång", r.GetProperty("reason").GetString(), StringComparison.Ordinal));
        await using var db = api.Factory.NewDbContext();
        Assert.Equal(1, await db.Patients.CountAsync());
    }

    [Fact]
    public async Task An_API_body_over_the_limit_gets_413_problem_details_and_nothing_is_written()
    {
        using var h = new ApiHarness(f => f.With("RateLimits:ApiMaxBodyBytes", "4096"));
        var body = $"{{\"name\":\"{new string('a', 5000)}\",\"clinic\":\"Allmänmedicin\",\"usesSmsReminders\":true,\"offersSelfCheckIn\":false}}";

        var response = await h.Client.PutAsync($"/api/v1/units/{ApiHarness.Unit}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("4096", (await ApiHarness.Json(response)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var db = h.Factory.NewDbContext();
        Assert.False(await db.Units.AnyAsync());
    }
}
