using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Messaging;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing;
using Reminders.Web.Tests.Managers;

namespace Reminders.Web.Tests.Pipeline;

/// <summary>
/// R22: a fast provider can report delivery while the dispatcher is still recording the provider's answer (the SMS is
/// Sending). The report's save then meets the dispatcher's: it is applied to the SMS as the dispatcher left it, not
/// answered with an error.
/// </summary>
public sealed class DeliveryReportRaceTests : IDisposable
{
    private readonly RemindersFactory _factory = new();

    [Fact]
    public async Task R22_a_delivery_report_that_meets_the_dispatchers_save_is_applied_to_what_the_dispatcher_saved()
    {
        var sms = await SendingSmsAsync();
        var dispatcher = new DispatcherSavesFirst(_factory.DatabasePath, sms.Id, times: 1);
        await using var db = Context(dispatcher);

        var outcome = await new DeliveryReports(db, SystemClock.Instance, NullLogger<DeliveryReports>.Instance)
            .ApplyAsync(sms.CallbackToken, "provider-race", "delivered", null, CancellationToken.None);

        Assert.Equal(DeliveryReportOutcome.Applied, outcome);
        Assert.Equal(1, dispatcher.Saves);
        await using var check = _factory.NewDbContext();
        var stored = await check.Messages.AsNoTracking().SingleAsync(m => m.Id == sms.Id);
        Assert.Equal(SmsStatus.Delivered, stored.Status);
        Assert.Equal("provider-race", stored.ProviderId); // the dispatcher's answer is kept
    }

    [Fact]
    public async Task R22_a_report_whose_SMS_keeps_changing_is_refused_for_the_provider_to_retry_and_changes_nothing()
    {
        var sms = await SendingSmsAsync();
        var dispatcher = new DispatcherSavesFirst(_factory.DatabasePath, sms.Id, times: DeliveryReports.MaxAttempts);
        await using var db = Context(dispatcher);

        await Assert.ThrowsAsync<InvalidOperationException>(() => new DeliveryReports(db, SystemClock.Instance, NullLogger<DeliveryReports>.Instance)
            .ApplyAsync(sms.CallbackToken, null, "delivered", null, CancellationToken.None));

        Assert.Equal(DeliveryReports.MaxAttempts, dispatcher.Saves);
        await using var check = _factory.NewDbContext();
        Assert.Equal(SmsStatus.Sent, (await check.Messages.AsNoTracking().SingleAsync(m => m.Id == sms.Id)).Status);
    }

    private async Task<OutgoingSms> SendingSmsAsync()
    {
        await _factory.EnsureUnitsAsync();
        var patient = await _factory.PatientAsync("Test Leveransrapport", mobile: Fiction.Mobile(30), arrange: ReportWorld.Activate);
        var booking = await _factory.BookingAsync(patient, Staff.UnitA, _factory.Time.Now + Duration.FromDays(5), reminder: SmsStatus.Pending);
        await using var db = _factory.NewDbContext();
        var sms = await db.Messages.SingleAsync(m => m.BookingId == booking.Id);
        sms.BeginAttempt(_factory.Time.Now);
        await db.SaveChangesAsync();
        return sms;
    }

    private RemindersDbContext Context(DispatcherSavesFirst dispatcher)
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={_factory.DatabasePath}").AddInterceptors(dispatcher);
        return new RemindersDbContext(options.Options);
    }

    /// <summary>Just before the report's save, the dispatcher (another connection) records the provider's answer again.</summary>
    private sealed class DispatcherSavesFirst(string file, long smsId, int times) : SaveChangesInterceptor
    {
        public int Saves { get; private set; }

        public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Saves < times)
            {
                Saves++;
                await using var connection = new SqliteConnection($"Data Source={file}");
                await connection.OpenAsync(cancellationToken);
                await using DbCommand command = connection.CreateCommand();
                // Sending → Sent the first time; every time the attempt count, a concurrency token, moves on.
                command.CommandText = "UPDATE Messages SET Status = 'Sent', ProviderId = 'provider-race', Attempts = Attempts + 1 WHERE Id = $id";
                command.Parameters.Add(new SqliteParameter("$id", smsId));
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return result;
        }
    }

    public void Dispose() => _factory.Dispose();
}
