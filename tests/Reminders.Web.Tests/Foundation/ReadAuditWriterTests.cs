using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Tests.Foundation;

/// <summary>
/// R55 read audit through the group commit: a row is stored before its caller goes on, a failed commit reaches
/// every caller of the batch (the read is then not served), and the writer keeps working after a failure. Also the
/// SQLite connection settings a pooled connection must keep once they are applied only on its first open.
/// </summary>
public sealed class ReadAuditWriterTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"reminders-audit-writer-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;

    public Task InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddDbContext<RemindersDbContext>(o => o.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={_file}"));
        services.AddSingleton<ReadAuditWriter>();
        _services = services.BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task R55_rows_appended_at_once_are_all_stored_when_their_appends_complete()
    {
        await MigrateAsync();
        var writer = _services.GetRequiredService<ReadAuditWriter>();

        await Task.WhenAll(Enumerable.Range(1, 300).Select(i => writer.AppendAsync(Row(i))));

        await using var db = NewContext();
        Assert.Equal(Enumerable.Range(1, 300).Select(i => (long?)i), (await db.AuditEvents.Select(a => a.PatientId).ToListAsync()).Order());
    }

    [Fact]
    public async Task R55_a_failed_commit_fails_the_append_and_the_next_batch_is_written_again()
    {
        // No schema yet: the commit fails, and so must the read that waits for it.
        var writer = _services.GetRequiredService<ReadAuditWriter>();
        await Assert.ThrowsAsync<DbUpdateException>(() => writer.AppendAsync(Row(1)));

        await MigrateAsync();
        await writer.AppendAsync(Row(2));

        await using var db = NewContext();
        Assert.Equal([2L], await db.AuditEvents.Select(a => a.PatientId!.Value).ToListAsync());
    }

    [Fact]
    public async Task A_pooled_sqlite_connection_keeps_its_settings_when_reopened()
    {
        await MigrateAsync();
        await using var db = NewContext();
        var connection = db.Database.GetDbConnection();
        for (var open = 0; open < 3; open++)
        {
            await db.Database.OpenConnectionAsync();
            Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
            Assert.Equal("1", await PragmaAsync(connection, "synchronous")); // NORMAL
            Assert.Equal("10000", await PragmaAsync(connection, "busy_timeout"));
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<string> PragmaAsync(System.Data.Common.DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    private static Domain.Audit.AuditEvent Row(long patientId) =>
        AuditLog.Row(Instant.FromUtc(2025, 3, 27, 8, 0), new Actor("user-1", Reminders.Domain.Reminders.ChangeChannel.CheckIn, "Receptionist"), "SE2321000115-O39423", patientId, AuditAction.ViewPatient, null);

    private async Task MigrateAsync()
    {
        await using var db = NewContext();
        await db.Database.MigrateAsync();
    }

    private RemindersDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={_file}");
        return new RemindersDbContext(options.Options);
    }
}
