using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Persistence;
using Reminders.Application.Changes;
using Reminders.Infrastructure.Planning;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>Saves that race the dispatcher: a sent SMS is never relabelled, and an SMS in flight never vetoes a change.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task R22_a_request_holding_a_stale_pending_copy_cannot_overwrite_an_SMS_the_dispatcher_started()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        await using var request = h.Api.Factory.NewDbContext();
        var stale = await request.Messages.SingleAsync();

        await using (var dispatcher = h.Api.Factory.NewDbContext())
        {
            var sms = await dispatcher.Messages.SingleAsync();
            sms.Lease("instance-b", h.Api.Now + Duration.FromMinutes(5));
            sms.BeginAttempt(h.Api.Now);
            await dispatcher.SaveChangesAsync();
        }

        stale.Suppress([Reasons.UnitBlocked]);
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => request.SaveChangesAsync());

        await using var check = h.Api.Factory.NewDbContext();
        Assert.Equal(SmsStatus.Sending, (await check.Messages.SingleAsync()).Status);
    }

    [Fact]
    public async Task R14_R23_a_patient_becoming_protected_is_saved_even_when_a_dispatcher_claims_the_SMS_meanwhile()
    {
        await using var h = await PipelineHarness.StartAsync();
        var (patientNumber, _) = await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));

        await using var scope = h.Api.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var planner = scope.ServiceProvider.GetRequiredService<ReminderPlanner>();
        var writer = scope.ServiceProvider.GetRequiredService<ChangeWriter>();
        var patient = await db.Patients.SingleAsync(p => p.IdentityNumber == patientNumber);
        patient.UpdateFromRegister(patient.Name, protectedIdentity: true, patient.Mobile, patient.MobileUpdatedAt, patient.ConsentIn1177);
        var plan = await planner.PlanPatientAsync(patient.Id, CancellationToken.None);

        // Another instance claims the SMS between this request's read and its save.
        await using (var other = h.Api.Factory.NewDbContext())
        {
            var sms = await other.Messages.SingleAsync();
            sms.Lease("instance-b", h.Api.Now + Duration.FromMinutes(5));
            await other.SaveChangesAsync();
        }

        await writer.SavePlanAsync(plan, CancellationToken.None);

        await using var check = h.Api.Factory.NewDbContext();
        Assert.True((await check.Patients.SingleAsync(p => p.Id == patient.Id)).ProtectedIdentity);
        var stopped = await check.Messages.SingleAsync();
        Assert.Equal(SmsStatus.Suppressed, stopped.Status);
        Assert.Contains(stopped.Reasons, r => r.Rule == "R14");
        Assert.Null(stopped.LeaseOwner);

        // The other instance finds nothing left to send.
        Assert.Equal(0, (await h.DispatchAsync()).Sent);
        Assert.Empty(h.Provider.Requests);
    }
}
