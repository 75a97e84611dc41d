using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Reminders.Infrastructure.Seeding;
using Reminders.Web.Tests.VasImport;

namespace Reminders.Web.Tests.Api;

/// <summary>POST /api/v1/imports/vas: the same migration as the command, the report as JSON.</summary>
public sealed class VasImportApiTests
{
    [Fact]
    public async Task R30_R36_posting_the_csv_answers_with_the_report_and_a_bad_row_is_reported_with_its_line()
    {
        using var api = new ApiHarness();
        var blocked = await UnitsAsync(api);
        var csv = VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n19800505-1234,J,,,,,N\n"
            + $"{Domain.Identity.PersonalIdentityNumber.Create(new NodaTime.LocalDate(1975, 1, 1), 7).Value},J,0701740606,2024-07-01,{blocked},,N\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var response = await api.Client.PostAsync("/api/v1/imports/vas?goLive=2025-03-29", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("activated").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("rejected")[0].GetProperty("line").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("notActivated").GetProperty("MigrationUnitBlocks").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("byClinic")[0].GetProperty("patientsWithBlocks").GetInt32());

        await using var db = api.Factory.NewDbContext();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "Migration");
        Assert.Equal(ApiHarness.KeyName, audit.Actor);
    }

    [Fact]
    public async Task R36_an_unreadable_file_is_a_400_problem_and_nothing_is_written()
    {
        using var api = new ApiHarness();
        using var content = new StringContent("fel,rubrik\n19800505-1233,J\n", Encoding.UTF8, "text/csv");
        var response = await api.Client.PostAsync("/api/v1/imports/vas", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await using var db = api.Factory.NewDbContext();
        Assert.False(await db.Patients.AnyAsync());
    }

    internal static async Task<string> UnitsAsync(ApiHarness api)
    {
        var units = DemoDataSeeder.CreateUnits();
        await using var db = api.Factory.NewDbContext();
        db.Units.AddRange(units);
        await db.SaveChangesAsync();
        return units[0].HsaId.Value;
    }
}
