using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Application.VasImport;
using Reminders.Web.Tests.Api;
using Reminders.Web.Tests.VasImport;

namespace Reminders.Web.Tests.Admin;

/// <summary>The VAS import admin page: upload, background run polled without JavaScript, the report with the clinic chart.</summary>
public sealed class VasAdminPageTests
{
    [Fact]
    public async Task R30_R32_R36_upload_runs_the_import_in_the_background_and_shows_the_report_with_the_clinic_chart()
    {
        using var api = new ApiHarness();
        var blocked = await VasImportApiTests.UnitsAsync(api);
        var admin = await api.Factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
        var csv = VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n19800505-1234,J,,,,,N\n"
            + $"{Domain.Identity.PersonalIdentityNumber.Create(new NodaTime.LocalDate(1975, 1, 1), 7).Value},J,0701740606,2024-07-01,{blocked},,N\n";

        var response = await UploadAsync(admin, csv);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Contains("run=", location, StringComparison.Ordinal);
        await api.Factory.Services.GetRequiredService<VasImportRuns>().Running;

        var report = await admin.GetPageAsync(location);
        Assert.Null(report.QuerySelector("meta[http-equiv=refresh]"));
        Assert.NotNull(report.QuerySelector("[data-testid=done]"));
        Assert.Equal("1", report.QuerySelector("[data-testid=rejected-total]")!.TextContent.Trim());
        Assert.Equal("3", report.QuerySelectorAll("[data-testid=rejected] td")[0].TextContent.Trim());
        var clinic = report.QuerySelector("[data-testid=clinics] tbody tr")!;
        Assert.Equal(["Kirurgikliniken", "1"], clinic.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray());
        Assert.Equal("img", report.QuerySelector("svg.chart")!.GetAttribute("role"));

        await using var db = api.Factory.NewDbContext();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "Migration");
        Assert.Equal(db.Users.Single(u => u.Email == "admin@test.invalid").Id, audit.Actor);

        // Another admin cannot read this run's report.
        var other = await api.Factory.SignedInClientAsync("admin2@test.invalid", [StaffRoles.Admin], []);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(location)).StatusCode);
    }

    [Fact]
    public async Task R36_an_upload_while_another_instance_imports_shows_a_Swedish_message_and_writes_nothing()
    {
        using var api = new ApiHarness();
        await VasImportApiTests.UnitsAsync(api);
        var admin = await api.Factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
        await VasImportApiTests.HoldClaimAsync(api.Factory);

        var response = await UploadAsync(admin, VasImportApiTests.Csv(0, 2));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await api.Factory.Services.GetRequiredService<VasImportRuns>().Running;

        var page = await admin.GetPageAsync(response.Headers.Location!.ToString());
        var error = page.QuerySelector("[data-testid=error]")!;
        Assert.Equal("alert", error.GetAttribute("role"));
        Assert.Contains("En annan VAS-import pågår redan (startad 2025-03-27 08:59). Inget importerades.", error.TextContent, StringComparison.Ordinal);
        await using var db = api.Factory.NewDbContext();
        Assert.False(await db.Patients.AnyAsync());
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "Migration"));
    }

    /// <summary>Posts the page's upload form (multipart, with its antiforgery token) with <paramref name="csv"/> as the file.</summary>
    private static async Task<HttpResponseMessage> UploadAsync(HttpClient admin, string csv)
    {
        var page = await admin.GetPageAsync("/Admin/Vas");
        var token = page.QuerySelector("#vas-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("2025-03-29"), "GoLive" },
            { new StringContent("false"), "CarryBlocks" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "vas.csv");
        return await admin.PostAsync("/Admin/Vas", content);
    }
}
