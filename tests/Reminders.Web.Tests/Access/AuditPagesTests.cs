using System.Net;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.Access;

/// <summary>R55: admins search the audit log and print a patient's log extract; neither puts a personnummer in a URL.</summary>
public sealed class AuditPagesTests
{
    private static readonly PersonalIdentityNumber Patient = Fiction.TaxAgencyTestNumber;

    [Fact]
    public async Task R55_a_patient_search_lists_who_looked_from_which_unit_and_is_itself_audited()
    {
        using var factory = new RemindersFactory();
        var (receptionist, patientId) = await ArrangeAsync(factory);
        await receptionist.GetPageAsync($"/CheckIn/Patient?id={patientId}");
        var admin = await factory.SignedInClientAsync("a@test.invalid", [StaffRoles.Admin], []);

        var form = await admin.GetPageAsync("/Admin/Audit");
        Assert.Equal("post", form.QuerySelector("#audit-search")!.GetAttribute("method"));
        var response = await admin.SubmitAsync(form, "#audit-search", new Dictionary<string, string> { ["Patient"] = "170101-2393" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("2393", response.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
        var rows = (await Forms.ParseAsync(response)).QuerySelectorAll("#audit-rows tbody tr").Select(r => r.TextContent).ToList();
        var view = Assert.Single(rows, r => r.Contains(nameof(AuditAction.ViewPatient), StringComparison.Ordinal));
        Assert.Contains("r", view, StringComparison.Ordinal); // the receptionist's display name
        Assert.Contains(Staff.UnitA.Value, view, StringComparison.Ordinal);
        Assert.Contains("20170101-2393", view, StringComparison.Ordinal);

        await using var db = factory.NewDbContext();
        var search = await db.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.ViewAudit));
        Assert.Equal(patientId, search.PatientId);
        Assert.Equal("Admin", search.Role);
    }

    [Fact]
    public async Task R55_the_log_extract_shows_which_units_accessed_the_patient_and_when()
    {
        using var factory = new RemindersFactory();
        var (receptionist, patientId) = await ArrangeAsync(factory);
        await receptionist.GetPageAsync($"/CheckIn/Patient?id={patientId}");
        factory.Time.Advance(Duration.FromMinutes(20)); // within the 30 min idle limit
        await receptionist.GetPageAsync($"/CheckIn/Patient?id={patientId}");
        var admin = await factory.SignedInClientAsync("a@test.invalid", [StaffRoles.Admin], []);

        var form = await admin.GetPageAsync("/Admin/Audit/Extract");
        var response = await admin.SubmitAsync(form, "#extract-form", new Dictionary<string, string> { ["Patient"] = "20170101-2393" });

        var page = await Forms.ParseAsync(response);
        var unitRow = Assert.Single(page.QuerySelectorAll("#extract-units tbody tr"));
        var cells = unitRow.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Contains("Testmottagning A", cells[0], StringComparison.Ordinal);
        Assert.Equal("2025-03-27 09:00", cells[1]);
        Assert.Equal("2025-03-27 09:20", cells[2]);
        Assert.Equal("2", cells[3]);
        Assert.Equal(2, page.QuerySelectorAll("#extract-rows tbody tr").Length);
    }

    [Fact]
    public async Task R55_an_invalid_personnummer_gets_the_rule_text_and_no_extract()
    {
        using var factory = new RemindersFactory();
        var admin = await factory.SignedInClientAsync("a@test.invalid", [StaffRoles.Admin], []);
        var form = await admin.GetPageAsync("/Admin/Audit/Extract");

        var page = await Forms.ParseAsync(await admin.SubmitAsync(form, "#extract-form", new Dictionary<string, string> { ["Patient"] = "20170101-2394" }));

        Assert.Contains("Kontrollsiffran stämmer inte", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#extract-units"));
    }

    [Fact]
    public async Task R55_audit_rows_cannot_be_changed_or_deleted()
    {
        using var factory = new RemindersFactory();
        await ArrangeAsync(factory);
        await using var db = factory.NewDbContext();
        var row = await db.AuditEvents.FirstAsync();

        db.AuditEvents.Remove(row);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    private static async Task<(HttpClient Receptionist, long PatientId)> ArrangeAsync(RemindersFactory factory)
    {
        var receptionist = await factory.SignedInClientAsync("r@test.invalid", [StaffRoles.Receptionist]);
        var patient = await factory.AddPatientAsync(Patient, "Testbarn Skatteverket");
        return (receptionist, patient.Id);
    }
}
