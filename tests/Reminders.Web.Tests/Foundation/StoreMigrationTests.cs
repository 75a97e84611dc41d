using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Tests.Foundation;

/// <summary>Both providers' migrations match the model, and each can build its schema.</summary>
public sealed class StoreMigrationTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"reminders-migrate-{Guid.NewGuid():N}.db");

    private static RemindersDbContext Context(DatabaseProvider provider, string connectionString)
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(provider, connectionString);
        return new RemindersDbContext(options.Options);
    }

    [Fact]
    public void Sqlite_model_has_no_pending_changes()
    {
        using var db = Context(DatabaseProvider.Sqlite, $"Data Source={_file}");
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQLite migration: run dotnet ef migrations add (README).");
    }

    [Fact]
    public void SqlServer_model_has_no_pending_changes()
    {
        using var db = Context(DatabaseProvider.SqlServer, "Server=localhost;Database=Reminders;Integrated Security=true;TrustServerCertificate=true");
        Assert.False(db.Database.HasPendingModelChanges(), "The model changed without a SQL Server migration: run dotnet ef migrations add (README).");
    }

    [Fact]
    public async Task Sqlite_migrates_a_fresh_file_from_zero_to_every_table()
    {
        await using (var db = Context(DatabaseProvider.Sqlite, $"Data Source={_file}"))
        {
            Assert.NotEmpty(db.Database.GetMigrations());
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }

        await using var connection = new SqliteConnection($"Data Source={_file}");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var tables = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var expected in new[] { "Units", "Patients", "ReminderSettings", "ReminderBlocks", "GuardianNumbers", "ReminderComments", "Bookings", "Messages", "AuditEvents", "EServiceRequests", "__EFMigrationsHistory" })
        {
            Assert.Contains(expected, tables);
        }
    }

    [Fact]
    public void SqlServer_idempotent_script_generates_every_table_guarded_by_the_history()
    {
        using var db = Context(DatabaseProvider.SqlServer, "Server=localhost;Database=Reminders;Integrated Security=true;TrustServerCertificate=true");
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("SELECT * FROM [__EFMigrationsHistory]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [Patients]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE [Messages]", script, StringComparison.Ordinal);
        Assert.Contains("CREATE UNIQUE INDEX [IX_Patients_IdentityNumber]", script, StringComparison.Ordinal);
        Assert.Contains("datetime2", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R60b_patients_of_a_store_from_before_the_birth_date_column_get_the_birth_date_of_their_identity_number()
    {
        await using (var db = Context(DatabaseProvider.Sqlite, $"Data Source={_file}"))
        {
            var migrations = db.Database.GetMigrations().ToList();
            var added = migrations.FindIndex(m => m.EndsWith("_PatientBirthDate", StringComparison.Ordinal));
            Assert.True(added > 0, "the migration that adds Patients.BirthDate");
            await db.GetService<IMigrator>().MigrateAsync(migrations[added - 1]);
        }

        // A personnummer born on a leap day and a samordningsnummer (day + 60), both fictional (R50).
        var leapDay = Fiction.NewIdentity(new NodaTime.LocalDate(2008, 2, 29));
        var coordination = Fiction.NewIdentity(new NodaTime.LocalDate(1990, 1, 2), coordination: true);
        await using (var connection = new SqliteConnection($"Data Source={_file}"))
        {
            await connection.OpenAsync();
            var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO Patients (IdentityNumber, Name, ProtectedIdentity, MobileSource, ConsentIn1177) VALUES
                    ($leap, 'Test Skottdag', 0, 'None', 0), ($coordination, 'Test Samordning', 0, 'None', 0);
                """;
            insert.Parameters.AddWithValue("$leap", leapDay.Value);
            insert.Parameters.AddWithValue("$coordination", coordination.Value);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var db = Context(DatabaseProvider.Sqlite, $"Data Source={_file}"))
        {
            await db.Database.MigrateAsync();
            var born = await db.Patients.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Name, p.BirthDate, p.IdentityNumber }).ToListAsync();
            Assert.Equal(["Test Samordning", "Test Skottdag"], born.Select(b => b.Name));
            Assert.Equal(new NodaTime.LocalDate(1990, 1, 2), born[0].BirthDate);
            Assert.Equal(new NodaTime.LocalDate(2008, 2, 29), born[1].BirthDate);
            Assert.All(born, b => Assert.Equal(b.IdentityNumber.BirthDate, b.BirthDate));
        }
    }

    [Fact]
    public async Task R32_R60_VAS_blocks_of_a_store_from_before_the_mark_are_marked_for_the_patients_the_migration_left_out_because_of_them()
    {
        await using (var db = Context(DatabaseProvider.Sqlite, $"Data Source={_file}"))
        {
            var migrations = db.Database.GetMigrations().ToList();
            var added = migrations.FindIndex(m => m.EndsWith("_LeftOutCounts", StringComparison.Ordinal));
            Assert.True(added > 0, "the migration that adds ReminderVasBlocks.PatientLeftOut");
            await db.GetService<IMigrator>().MigrateAsync(migrations[added - 1]);
        }

        // Three fictional patients (R50) with a VAS block each: left out for their blocks, left out for their mobile
        // (R33), and activated at the desk since the migration.
        await using (var connection = new SqliteConnection($"Data Source={_file}"))
        {
            await connection.OpenAsync();
            var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO Patients (Id, IdentityNumber, BirthDate, Name, ProtectedIdentity, MobileSource, ConsentIn1177, Version) VALUES
                    (1, $a, '1980-05-10', 'Test Blockerad', 0, 'None', 0, 0), (2, $b, '1980-05-10', 'Test Mobil', 0, 'None', 0, 0),
                    (3, $c, '1980-05-10', 'Test Aktiverad', 0, 'None', 0, 0);
                INSERT INTO ReminderSettings (PatientId, Status, NotActivatedReason, Version) VALUES
                    (1, 'NotActivated', 'MigrationUnitBlocks', 1), (2, 'NotActivated', 'MigrationMobileBefore13', 1), (3, 'Activated', 'None', 2);
                INSERT INTO ReminderVasBlocks (Unit, MigratedAt, PatientId) VALUES
                    ('SE2321000115-O39423', '2025-03-01 02:00:00', 1), ('SE2321000115-O39423', '2025-03-01 02:00:00', 2),
                    ('SE2321000115-O39423', '2025-03-01 02:00:00', 3);
                """;
            insert.Parameters.AddWithValue("$a", Fiction.NewIdentity(new NodaTime.LocalDate(1980, 5, 10)).Value);
            insert.Parameters.AddWithValue("$b", Fiction.NewIdentity(new NodaTime.LocalDate(1980, 5, 10)).Value);
            insert.Parameters.AddWithValue("$c", Fiction.NewIdentity(new NodaTime.LocalDate(1980, 5, 10)).Value);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var db = Context(DatabaseProvider.Sqlite, $"Data Source={_file}"))
        {
            await db.Database.MigrateAsync();
            var marked = await db.ReminderSettings.AsNoTracking().OrderBy(s => s.PatientId)
                .Select(s => s.VasBlocks.Single().PatientLeftOut).ToListAsync();
            Assert.Equal([true, false, false], marked);
            Assert.Equal([1L], await Reminders.Application.Reports.ReportQueries.LeftOutByVasBlocks(db, Reminders.Domain.Units.HsaId.FromTrusted("SE2321000115-O39423")).ToListAsync());
        }
    }

    [Fact]
    public void SqlServer_marks_the_VAS_blocks_inside_EXEC_so_the_idempotent_script_compiles()
    {
        using var db = Context(DatabaseProvider.SqlServer, "Server=localhost;Database=Reminders;Integrated Security=true;TrustServerCertificate=true");
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("ALTER TABLE [ReminderVasBlocks] ADD [PatientLeftOut] bit NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("EXEC(N'UPDATE [ReminderVasBlocks] SET [PatientLeftOut] = 1 WHERE [PatientId] IN (SELECT [PatientId] FROM [ReminderSettings]", script, StringComparison.Ordinal);
    }

    [Fact]
    public void SqlServer_backfills_the_birth_date_inside_EXEC_so_the_idempotent_script_compiles()
    {
        using var db = Context(DatabaseProvider.SqlServer, "Server=localhost;Database=Reminders;Integrated Security=true;TrustServerCertificate=true");
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);
        Assert.Contains("ALTER TABLE [Patients] ADD [BirthDate] date NOT NULL", script, StringComparison.Ordinal);
        Assert.Contains("EXEC(N'UPDATE [Patients] SET [BirthDate] = DATEFROMPARTS(", script, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_file + suffix);
        }
    }
}
