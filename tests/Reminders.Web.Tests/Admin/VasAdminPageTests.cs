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
        var page = await admin.GetPageAsync("/Admin/Vas");
        var token = page.QuerySelector("#vas-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var csv = VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n19800505-1234,J,,,,,N\n"
            + $"{Domain.Identity.PersonalIdentityNumber.Create(new NodaTime.LocalDate(1975, 1, 1), 7).Value},J,0701740606,2024-07-01,{blocked},,N\n";
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("2025-03-29"), "GoLive" },
            { new StringContent("false"), "CarryBlocks" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", "vas.csv");

        var response = await admin.PostAsync("/Admin/Vas", content);
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
}
