using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Web.Features.Reports;
using Reminders.Web.Tests.Managers;

namespace Reminders.Web.Tests.Region;

/// <summary>
/// The region's view for admins: the manager reports' counts over every unit, clinics ranked by patients the
/// migration left out, the region's monthly no-show rates, and never a patient row (R57). Uses the manager
/// reports' world: units A and B of Testkliniken, C of Andra kliniken.
/// </summary>
public sealed class RegionViewTests(ManagerReportsTests.World world) : IClassFixture<ManagerReportsTests.World>
{
    private async Task<HttpClient> AdminAsync(string name) =>
        await world.Factory.SignedInClientAsync(name + "@test.invalid", [StaffRoles.Admin]);

    [Fact]
    public async Task R60_R60b_R57_clinics_are_ranked_by_patients_left_out_with_distinct_counts_and_no_patient_rows()
    {
        var admin = await AdminAsync("region-counts");
        var page = await admin.GetPageAsync("/Admin/Region");

        // Testkliniken: left out P3 (R32, blocks A and B: once) and P4 (R33, booked at B); blocking P1 and P3;
        // unreachable NoMobile, Landline, MobileBefore13 (A) and Child (B). Andra kliniken: P5, P2, one unreachable.
        var clinics = page.QuerySelectorAll("[data-testid=region-clinics] tbody tr").Select(Cells).ToList();
        Assert.Equal([["1", "Testkliniken", "2", "2", "4"], ["2", "Andra kliniken", "1", "1", "1"]], clinics);
        var units = page.QuerySelectorAll("[data-testid=region-units] tbody tr").ToDictionary(r => r.GetAttribute("data-unit")!, Cells);
        Assert.Equal(["Testkliniken", "Testmottagning A", "1", "2", "3"], units[Staff.UnitA.Value]);
        Assert.Equal(["Testkliniken", "Testmottagning B", "2", "1", "1"], units[Staff.UnitB.Value]);
        Assert.Equal(["Andra kliniken", "Annan mottagning C", "1", "1", "1"], units[Staff.UnitC.Value]);
        // Units follow their clinic's rank.
        Assert.Equal(Staff.UnitC.Value, page.QuerySelectorAll("[data-testid=region-units] tbody tr")[^1].GetAttribute("data-unit"));

        // Counts only: no name, identity number or link to a patient page anywhere.
        var html = page.Body!.InnerHtml;
        foreach (var patient in new[] { world.P1, world.P3, world.P4, world.NoMobile, world.Child })
        {
            Assert.DoesNotContain(patient.Name, html, StringComparison.Ordinal);
            Assert.DoesNotContain(patient.IdentityNumber.Value, html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("/CheckIn/Patient", html, StringComparison.Ordinal);

        var chart = page.QuerySelector("svg[aria-labelledby^=chart-clinics]")!;
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Contains("1. Testkliniken: 2 ej aktiverade vid migreringen, 2 blockerar, 4 når inte sms.", chart.QuerySelector("desc")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R61_the_regions_no_show_rates_per_month_add_up_every_unit_in_table_chart_story_and_csv()
    {
        var admin = await AdminAsync("region-months");
        var page = await admin.GetPageAsync("/Admin/Region");
        var months = page.QuerySelectorAll("[data-testid=region-noshows] tbody tr").ToDictionary(r => r.GetAttribute("data-month")!, Cells);
        // January: A has 2 reminded (1 no-show) and 2 not (both no-shows); C one not reminded, a no-show.
        Assert.Equal(["2", "1", "50,0 %", "3", "3", "100,0 %"], months["2025-01"].Skip(1).ToArray());
        Assert.Equal(["3", "0", "0,0 %", "1", "1", "100,0 %"], months["2025-02"].Skip(1).ToArray());
        Assert.Equal(2, months.Count);
        // All months: 1 of 5 with a reminder (20 %), 4 of 4 without (100 %): 80 % fewer.
        var story = page.QuerySelector("[data-testid=region-story]")!.TextContent;
        Assert.Contains("20,0 %", story, StringComparison.Ordinal);
        Assert.Contains("100,0 %", story, StringComparison.Ordinal);
        Assert.Contains("80,0 % färre", story, StringComparison.Ordinal);

        var csv = Csv.Parse(await admin.GetStringAsync("/Admin/Region?handler=NoShowsCsv"));
        Assert.Equal("Månad", csv[0].Cells[0]);
        Assert.Equal(["2025-01", "2", "1", "50,0 %", "3", "3", "100,0 %"], csv.Single(r => r.Cells[0] == "2025-01").Cells.ToArray());

        var unitsCsv = await admin.GetAsync("/Admin/Region?handler=UnitsCsv");
        Assert.Equal("text/csv", unitsCsv.Content.Headers.ContentType!.MediaType);
        var bytes = await unitsCsv.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var rows = Csv.Parse(System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(["1", "Testkliniken", "Hela kliniken", "", "2", "2", "4"], rows[1].Cells.ToArray());
        Assert.Contains(rows, r => r.Cells.SequenceEqual(["2", "Andra kliniken", "Annan mottagning C", Staff.UnitC.Value, "1", "1", "1"]));
    }

    [Fact]
    public async Task R56_a_unit_manager_cannot_open_the_region_view()
    {
        var response = await world.Manager.GetAsync("/Admin/Region");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static string[] Cells(AngleSharp.Dom.IElement row) => row.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray();
}
