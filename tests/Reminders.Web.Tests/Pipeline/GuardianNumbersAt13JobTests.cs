using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Application.Jobs;
using Reminders.Application.Patients;
using Reminders.Domain.Audit;
using Reminders.Domain.Messages;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing;
using Reminders.Web.Tests.Api;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>The nightly R13 job goes through the write primitive: an SMS claimed meanwhile never ends the night's run.</summary>
public sealed class GuardianNumbersAt13JobTests
{
    [Fact]
    public async Task R13_R22_the_nightly_run_finishes_when_a_dispatcher_claims_an_SMS_of_a_patient_it_is_changing()
    {
        var claimer = new ClaimOnSave();
        await using var h = await PipelineHarness.StartAsync(f => f.WithServices(s =>
            s.ConfigureDbContext<RemindersDbContext>((_, o) => o.AddInterceptors(claimer))));
        claimer.Factory = h.Api.Factory;

        // Two children who turn 13 tomorrow, each with two guardian numbers, their own mobile and a booking in three days.
        await ApiHarness.Ensure(await h.Api.PutUnitAsync());
        var unit = HsaId.Parse(ApiHarness.Unit).Value;
        var children = new[] { Fiction.NewIdentity(new LocalDate(2012, 3, 28)), Fiction.NewIdentity(new LocalDate(2012, 3, 28)) };
        for (var i = 0; i < children.Length; i++)
        {
            await ApiHarness.Ensure(await h.Api.PutPatientAsync(children[i], mobile: "070-174 06 1" + i));
            await ApiHarness.Ensure(await h.Api.PutGuardianNumbersAsync(children[i], "0701740622", "0701740633"));
            await ApiHarness.Ensure(await h.Api.ActivateAsync(children[i]));
            await ApiHarness.Ensure(await h.Api.PutBookingAsync("r13-" + i, children[i], h.Api.Now + Duration.FromDays(3)));
        }

        // The birthday: each confirms at check-in that the mobile is their own (R12); the night's job has not run yet.
        h.Api.Factory.Time.Advance(Duration.FromDays(1));
        foreach (var child in children)
        {
            await using var scope = h.Api.Factory.Services.CreateAsyncScope();
            var confirmed = await scope.ServiceProvider.GetRequiredService<PatientsHandler>()
                .ConfirmMobileAsync(child, unit, new Actor("test", ChangeChannel.CheckIn), CancellationToken.None);
            Assert.True(confirmed.Succeeded, string.Join(" ", confirmed.Reasons));
        }

        // Each child then blocks the unit in a way that was not replanned yet (as another instance's change would
        // look), so the job's replanning of each child changes its SMS: the first such save is where the claim lands.
        await using (var arrange = h.Api.Factory.NewDbContext())
        {
            Assert.Equal(2, await arrange.Messages.CountAsync(m => m.Status == SmsStatus.Pending && m.Recipient == Recipient.Patient));
            foreach (var setting in await arrange.ReminderSettings.ToListAsync())
            {
                Assert.True(setting.Block(unit, new ChangeContext(h.Api.Now, unit, ChangeChannel.Api)).Succeeded);
            }

            await arrange.SaveChangesAsync();
        }

        var job = h.Api.Factory.Services.GetRequiredService<GuardianNumbersAt13Job>();
        claimer.Armed = true;

        Assert.Equal(2, await job.RunAsync(CancellationToken.None));

        // Another instance claimed the first child's SMS between the job's read and its save; the job replanned
        // from the claimed rows and saved, and went on to the second child.
        Assert.NotEmpty(claimer.Claimed);
        await using var db = h.Api.Factory.NewDbContext();
        foreach (var child in children)
        {
            var patient = await db.Patients.SingleAsync(p => p.IdentityNumber == child);
            Assert.Empty((await db.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id)).GuardianNumbers);
            Assert.Single(await db.AuditEvents.Where(a => a.PatientId == patient.Id && a.Action == "RemoveGuardianNumbersAt13").ToListAsync());
        }

        var messages = await db.Messages.ToListAsync();
        Assert.All(messages, m => Assert.Equal(SmsStatus.Suppressed, m.Status));
        Assert.All(messages, m => Assert.Null(m.LeaseOwner));
        Assert.All(messages, m => Assert.Contains(m.Reasons, r => r.Rule == "R3"));
    }

    /// <summary>Plays a dispatcher instance: at the first save that changes SMS, it claims those SMS first, on its own connection.</summary>
    private sealed class ClaimOnSave : SaveChangesInterceptor
    {
        public RemindersFactory? Factory { get; set; }

        public volatile bool Armed;

        public List<long> Claimed { get; } = [];

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            var changing = eventData.Context?.ChangeTracker.Entries<OutgoingSms>().Where(e => e.State == EntityState.Modified).Select(e => e.Entity.Id).ToList() ?? [];
            if (Armed && changing.Count > 0)
            {
                Armed = false;
                await using var other = Factory!.NewDbContext();
                foreach (var sms in await other.Messages.Where(m => changing.Contains(m.Id)).ToListAsync(cancellationToken))
                {
                    sms.Lease("instance-b", Factory.Time.Now + Duration.FromMinutes(5));
                    Claimed.Add(sms.Id);
                }

                await other.SaveChangesAsync(cancellationToken);
            }

            return result;
        }
    }
}
