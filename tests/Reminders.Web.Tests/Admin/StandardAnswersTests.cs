using System.Net;
using Microsoft.EntityFrameworkCore;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.Admin;

/// <summary>R45: admins maintain the standard answers; a retired answer is no longer offered in the inbox.</summary>
public sealed class StandardAnswersTests
{
    [Fact]
    public async Task R45_an_admin_adds_and_retires_answers_and_an_empty_answer_is_refused()
    {
        using var factory = new RemindersFactory();
        var admin = await factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
        var page = await admin.GetPageAsync("/Admin/Answers");
        var refused = await admin.SubmitAsync(page, "#answer-form", new Dictionary<string, string> { ["Text"] = "   " });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("högst 1000", (await Forms.ParseAsync(refused)).QuerySelector("[data-valmsg-for=Text]")!.TextContent, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(page, "#answer-form", new Dictionary<string, string> { ["Text"] = "Vi har tagit emot din begäran men kan inte genomföra den." })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(page, "#answer-form", new Dictionary<string, string> { ["Text"] = "Kontakta din mottagning." })).StatusCode);
        page = await admin.GetPageAsync("/Admin/Answers");
        Assert.Equal(2, page.QuerySelectorAll("[data-testid=answers] tbody tr").Length);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(page, "[data-testid=answers] tbody tr:first-child form")).StatusCode);

        var reception = await factory.SignedInClientAsync("reception@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);
        await using (var db = factory.NewDbContext())
        {
            var patient = await Managers.ReportWorld.PatientAsync(factory, "Svar Patient");
            db.EServiceRequests.Add(Domain.EService.EServiceRequest.Receive(Staff.UnitA, patient.Id, Domain.EService.EServiceKind.Activate, null, null, factory.Time.Now));
            await db.SaveChangesAsync();
            Assert.Equal([false, true], await db.StandardAnswers.OrderBy(a => a.Id).Select(a => a.Active).ToListAsync());
        }

        var inbox = await reception.GetPageAsync("/EService");
        var options = inbox.QuerySelectorAll("select[name=answer] option").Select(o => o.TextContent).ToList();
        Assert.Equal(["Kontakta din mottagning."], options);
    }
}
