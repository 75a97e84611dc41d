using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing;

namespace Reminders.Web.Tests.Security;

/// <summary>
/// Issue #16 items 4 and 6: the audit table refuses changes in the database itself; strings are measured against
/// their columns before a save on every provider; audit details cannot overflow; one bad row in a group-committed
/// batch of reads fails only its own request.
/// </summary>
public sealed class StoreIntegrityTests
{
    private static readonly Instant At = Instant.FromUtc(2025, 3, 27, 8, 0);

    [Fact]
    public async Task R55_raw_SQL_cannot_change_or_delete_an_audit_row()
    {
        using var factory = new RemindersFactory();
        await using (var db = factory.NewDbContext())
        {
            db.AuditEvents.Add(AuditLog.Row(At, new Actor("user-1", ChangeChannel.CheckIn, "Receptionist"), null, 42, AuditAction.ViewPatient, null));
            await db.SaveChangesAsync();
        }

        // Straight to the file, past the application and its interceptors.
        await using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        await connection.OpenAsync();
        var update = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, "UPDATE \"AuditEvents\" SET \"Actor\" = 'someone-else'"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, "DELETE FROM \"AuditEvents\""));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);

        await using var check = connection.CreateCommand();
        check.CommandText = "SELECT \"Actor\" FROM \"AuditEvents\" WHERE \"PatientId\" = 42";
        Assert.Equal("user-1", await check.ExecuteScalarAsync());
    }

    [Fact]
    public void Both_providers_migrations_create_the_append_only_triggers()
    {
        // The SQL Server trigger runs inside the idempotent script's IF ... BEGIN ... END, so it goes through EXEC.
        var sqlServer = MigrationSql(typeof(Reminders.Migrations.SqlServer.Migrations.AppendOnlyAuditTriggers));
        Assert.Contains("EXEC(N'CREATE TRIGGER [dbo].[AuditEvents_AppendOnly] ON [dbo].[AuditEvents] INSTEAD OF UPDATE, DELETE", sqlServer, StringComparison.Ordinal);
        var sqlite = MigrationSql(typeof(Reminders.Migrations.Sqlite.Migrations.AppendOnlyAuditTriggers));
        Assert.Contains("BEFORE UPDATE ON \"AuditEvents\"", sqlite, StringComparison.Ordinal);
        Assert.Contains("BEFORE DELETE ON \"AuditEvents\"", sqlite, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_string_longer_than_its_column_is_refused_on_SQLite_as_SQL_Server_would_naming_entity_and_property_not_the_value()
    {
        using var factory = new RemindersFactory();
        await using var db = factory.NewDbContext();
        var secret = "Testsson-" + new string('x', 300);
        db.AuditEvents.Add(AuditLog.Row(At, new Actor(secret, ChangeChannel.CheckIn, "Receptionist"), null, 42, AuditAction.ViewPatient, null));

        var error = await Assert.ThrowsAsync<ColumnLengthException>(() => db.SaveChangesAsync());

        Assert.Equal("AuditEvent.Actor is 309 characters long; its column takes at most 256. Nothing was saved.", error.Message);
        Assert.DoesNotContain("Testsson", error.Message, StringComparison.Ordinal);
        await using var fresh = factory.NewDbContext();
        Assert.False(await fresh.AuditEvents.AnyAsync(a => a.PatientId == 42));
    }

    [Fact]
    public void Audit_details_longer_than_the_column_are_stored_as_a_summary_that_fits_and_stays_JSON()
    {
        var ids = Enumerable.Range(1, 2000).Select(i => (long)i * 1_000_003).ToList();

        var row = AuditLog.Row(At, new Actor("user-1", ChangeChannel.CheckIn, "Receptionist"), null, null, AuditAction.ViewArrivals, new { patients = ids, note = "\"å\"" });

        Assert.True(row.Details!.Length <= AuditEvent.MaxDetailsLength);
        using var json = JsonDocument.Parse(row.Details);
        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.True(json.RootElement.GetProperty("length").GetInt32() > AuditEvent.MaxDetailsLength);
        Assert.StartsWith("{\"patients\":[1000003,", json.RootElement.GetProperty("start").GetString(), StringComparison.Ordinal);
        var small = AuditLog.Row(At, new Actor("user-1", ChangeChannel.CheckIn, null), null, null, AuditAction.ViewArrivals, new { count = 3 });
        Assert.Equal("{\"count\":3}", small.Details);
    }

    [Fact]
    public async Task R55_a_bad_row_in_a_group_committed_batch_fails_only_its_own_read()
    {
        using var factory = new RemindersFactory();
        var writer = factory.Services.GetRequiredService<ReadAuditWriter>();

        // Many reads at once share batches; one of them carries a row its column cannot hold.
        var reads = Enumerable.Range(1, 60)
            .Select(i => writer.AppendAsync(AuditLog.Row(At, new Actor(i == 30 ? new string('u', 300) : "user-1", ChangeChannel.CheckIn, "Receptionist"), null, i, AuditAction.ViewPatient, null)))
            .ToList();
        var bad = reads[29];
        await Assert.ThrowsAsync<ColumnLengthException>(() => bad);
        await Task.WhenAll(reads.Where(r => r != bad));

        await using var db = factory.NewDbContext();
        var stored = await db.AuditEvents.Where(a => a.Action == nameof(AuditAction.ViewPatient)).Select(a => a.PatientId!.Value).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 60).Where(i => i != 30).Select(i => (long)i), stored.Order());
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string MigrationSql(Type migrationType)
    {
        var migration = (Microsoft.EntityFrameworkCore.Migrations.Migration)Activator.CreateInstance(migrationType)!;
        return string.Join("\n", migration.UpOperations.OfType<Microsoft.EntityFrameworkCore.Migrations.Operations.SqlOperation>().Select(o => o.Sql));
    }
}
