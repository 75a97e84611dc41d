using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Domain.EService;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing;
using Reminders.Web.Pages.CheckIn;
using Reminders.Web.Tests.Api;
using Reminders.Web.Tests.CheckIn;
using Reminders.Web.Tests.Managers;

namespace Reminders.Web.Tests.Security;

/// <summary>
/// Issue #16 item 7: concurrency tokens on e-service requests and patients. Two real requests race against one SQLite
/// file; an interceptor holds them where the race is decided, so the test does not depend on timing.
/// </summary>
public sealed class ConcurrentChangeTests
{
    [Fact]
    public async Task R45_two_staff_applying_the_same_request_at_once_one_applies_it_and_the_other_is_told_it_was_already_handled()
    {
        var gate = new BothInHand();
        using var factory = new RemindersFactory().WithServices(s => s.ConfigureDbContext<RemindersDbContext>((_, o) => o.AddInterceptors(gate)));
        var first = await factory.SignedInClientAsync("inkorg-1@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);
        var second = await factory.SignedInClientAsync("inkorg-2@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);
        var patient = await factory.PatientAsync("Inkorg Samtidig", mobile: Fiction.NthMobile(30));
        long id;
        await using (var db = factory.NewDbContext())
        {
            var request = EServiceRequest.Receive(Staff.UnitA, patient.Id, EServiceKind.Activate, null, null, factory.Time.Now);
            db.EServiceRequests.Add(request);
            await db.SaveChangesAsync();
            id = request.Id;
        }

        var pages = await Task.WhenAll(first.GetPageAsync("/EService"), second.GetPageAsync("/EService"));

        // Both have read the request open before either starts its change.
        gate.Armed = true;
        var responses = await Task.WhenAll(first.SubmitAsync(pages[0], $"#apply-{id}"), second.SubmitAsync(pages[1], $"#apply-{id}"));

        Assert.True(gate.BothArrived, "both requests reached their change with the request read as open");
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        var loser = Assert.Single(responses, r => r.StatusCode != HttpStatusCode.Redirect);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, loser.StatusCode);
        Assert.Contains(Domain.Reasons.RequestAlreadyHandled.Text, (await Forms.ParseAsync(loser)).QuerySelector("[data-testid=errors]")!.TextContent, StringComparison.Ordinal);

        await using var check = factory.NewDbContext();
        Assert.Equal(EServiceStatus.Applied, (await check.EServiceRequests.SingleAsync(r => r.Id == id)).Status);
        Assert.Equal(ReminderStatus.Activated, (await check.ReminderSettings.SingleAsync(s => s.PatientId == patient.Id)).Status);
        var rows = await check.AuditEvents.Where(e => e.PatientId == patient.Id).ToListAsync();

        // Applied once: one change, one handled row, and nothing of the loser's.
        Assert.Single(rows, e => e.Action == nameof(AuditAction.Activate));
        Assert.Single(rows, e => e.Action == nameof(AuditAction.EServiceHandled));
        Assert.All(rows, e => Assert.True(e.Succeeded));
    }

    [Fact]
    public async Task R15b_a_mobile_registered_at_the_desk_while_the_register_updates_the_patient_is_refused_with_the_Swedish_conflict_message()
    {
        var other = new OtherWriterOnPatientSave();
        using var h = new ApiHarness(f => f.WithServices(s => s.ConfigureDbContext<RemindersDbContext>((_, o) => o.AddInterceptors(other))));
        var desk = await h.Factory.SignedInClientAsync("disk-1@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);
        var id = Fiction.NewIdentity(new LocalDate(1990, 4, 2), coordination: true);
        await ApiHarness.Ensure(await h.PutPatientAsync(id, mobile: null));
        var patientId = await PatientIdAsync(h, id);
        var page = await desk.GetPageAsync(CheckInFixture.PatientUrl(patientId));

        // The register delivers a number between the desk's read of the patient and its save.
        other.Run = async () => await ApiHarness.Ensure(await h.PutPatientAsync(id, mobile: "070-174 06 52"));
        other.Armed = true;
        var after = await desk.PostAndFollowAsync(page, "#register-mobile", new Dictionary<string, string> { ["Mobile.Number"] = "070-174 06 51" });

        Assert.True(other.Ran);
        Assert.Contains(PatientModel.ConflictText, after.Problems(), StringComparison.Ordinal);
        await using var db = h.Factory.NewDbContext();
        var stored = await db.Patients.SingleAsync(p => p.Id == patientId);
        Assert.Equal((Fiction.Mobile(52), MobileSource.Feed1177), (stored.Mobile!, stored.MobileSource));
        var rows = await db.AuditEvents.Where(e => e.PatientId == patientId).ToListAsync();
        var refused = Assert.Single(rows, e => e.Action == nameof(AuditAction.RegisterMobile));
        Assert.False(refused.Succeeded);
        Assert.Contains("Concurrency", refused.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R15_R22_a_register_update_while_the_desk_registers_a_mobile_gets_409_and_the_SMS_retry_does_not_save_it_over_the_desk()
    {
        var other = new OtherWriterOnPatientSave();
        using var h = new ApiHarness(f => f.WithServices(s => s.ConfigureDbContext<RemindersDbContext>((_, o) => o.AddInterceptors(other))));
        var desk = await h.Factory.SignedInClientAsync("disk-2@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA]);

        // An activated samordningsnummer holder with a number from the register and a pending reminder to it.
        var id = Fiction.NewIdentity(new LocalDate(1990, 4, 3), coordination: true);
        await ApiHarness.Ensure(await h.PutUnitAsync());
        await ApiHarness.Ensure(await h.PutPatientAsync(id, mobile: "070-174 06 50"));
        await ApiHarness.Ensure(await h.ActivateAsync(id));
        await ApiHarness.Ensure(await h.PutBookingAsync("b-concurrent-feed", id, h.Now + Duration.FromHours(30)));
        var patientId = await PatientIdAsync(h, id);
        await using (var before = h.Factory.NewDbContext())
        {
            Assert.Equal(Fiction.Mobile(50), (await before.Messages.SingleAsync(m => m.Status == SmsStatus.Pending)).To);
        }

        var page = await desk.GetPageAsync(CheckInFixture.PatientUrl(patientId));

        // The desk registers the number the patient gives between the register's read and its save; both changes
        // replan the same pending SMS, so the register's save meets a moved SMS as well as a moved patient.
        other.Run = async () =>
        {
            var response = await desk.SubmitAsync(page, "#register-mobile", new Dictionary<string, string> { ["Mobile.Number"] = "070-174 06 51" });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        };
        other.Armed = true;
        var feed = await h.PutPatientAsync(id, mobile: "070-174 06 50", protectedIdentity: true);

        Assert.True(other.Ran);
        Assert.Equal(HttpStatusCode.Conflict, feed.StatusCode);
        Assert.Equal("application/problem+json", feed.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Uppgifterna ändrades samtidigt av någon annan.", (await ApiHarness.Json(feed)).GetProperty("title").GetString());

        await using var db = h.Factory.NewDbContext();
        var stored = await db.Patients.SingleAsync(p => p.Id == patientId);
        Assert.Equal((Fiction.Mobile(51), MobileSource.StaffAtCheckIn, false), (stored.Mobile!, stored.MobileSource, stored.ProtectedIdentity));
        var messages = await db.Messages.ToListAsync();
        Assert.DoesNotContain(messages, m => m.Reasons.Any(r => r.Rule == "R14"));
        Assert.Equal(Fiction.Mobile(51), Assert.Single(messages, m => m.Status == SmsStatus.Pending).To);
        var refused = Assert.Single(await db.AuditEvents.Where(e => e.PatientId == patientId && e.Action == nameof(AuditAction.UpdatePatient)).ToListAsync(), e => !e.Succeeded);
        Assert.Contains("Concurrency", refused.Details, StringComparison.Ordinal);

        // The register's retry, on the patient as it is now, goes through.
        await ApiHarness.Ensure(await h.PutPatientAsync(id, mobile: "070-174 06 50", protectedIdentity: true));
    }

    private static async Task<long> PatientIdAsync(ApiHarness h, Domain.Identity.PersonalIdentityNumber id)
    {
        await using var db = h.Factory.NewDbContext();
        return (await db.Patients.SingleAsync(p => p.IdentityNumber == id)).Id;
    }

    /// <summary>Holds the first two changes that start with an e-service request read (tracked) until both are there.</summary>
    private sealed class BothInHand : DbTransactionInterceptor
    {
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public volatile bool Armed;

        public bool BothArrived => _both.Task.IsCompleted;

        public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
            DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            if (Armed && eventData.Context?.ChangeTracker.Entries<EServiceRequest>().Any() == true)
            {
                if (Interlocked.Increment(ref _arrived) >= 2)
                {
                    Armed = false;
                    _both.TrySetResult();
                }

                await Task.WhenAny(_both.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
            }

            return result;
        }
    }

    /// <summary>Plays another writer: at the first save that changes a patient, runs <see cref="Run"/> to its end first.</summary>
    private sealed class OtherWriterOnPatientSave : SaveChangesInterceptor
    {
        private int _armed;

        public Func<Task> Run { get; set; } = () => Task.CompletedTask;

        public bool Armed
        {
            set => Volatile.Write(ref _armed, value ? 1 : 0);
        }

        public bool Ran { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (eventData.Context?.ChangeTracker.Entries<Patient>().Any(e => e.State == EntityState.Modified) == true && Interlocked.Exchange(ref _armed, 0) == 1)
            {
                await Run();
                Ran = true;
            }

            return result;
        }
    }
}
