using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Seeding;
using Reminders.Infrastructure.VasImport;
using Reminders.Testing;

namespace Reminders.Web.Tests.VasImport;

/// <summary>A migrated SQLite file with the demo units, and the importer on it (2025-03-27 09:00 Stockholm).</summary>
internal sealed class VasStore : IAsyncDisposable
{
    public const string Header = Testing.Data.VasFileGenerator.Header;

    private VasStore(string file) => File = file;

    public string File { get; }

    public FakeTimeProvider Time { get; } = new(Instant.FromUtc(2025, 3, 27, 8, 0));

    public static async Task<VasStore> CreateAsync()
    {
        var store = new VasStore(Path.Combine(Path.GetTempPath(), $"reminders-vas-{Guid.NewGuid():N}.db"));
        await using var db = store.NewDbContext();
        await db.Database.MigrateAsync();
        db.Units.AddRange(DemoDataSeeder.CreateUnits());
        await db.SaveChangesAsync();
        return store;
    }

    public RemindersDbContext NewDbContext()
    {
        var options = new DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={File}");
        return new RemindersDbContext(options.Options);
    }

    public Task<VasImportReport> ImportAsync(string csv, VasImportOptions? options = null) =>
        ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)), options);

    public async Task<VasImportReport> ImportAsync(Stream csv, VasImportOptions? options = null)
    {
        await using var db = NewDbContext();
        var importer = new VasImporter(db, Time.ToClock(), Time, NullLogger<VasImporter>.Instance);
        return await importer.ImportAsync(csv, options ?? new VasImportOptions(), null, CancellationToken.None);
    }

    /// <summary>Every migrated table as text, surrogate ids of the owned tables left out; values with their SQLite type.</summary>
    public async Task<string> DumpAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        var text = new StringBuilder();
        foreach (var sql in new[]
        {
            "SELECT * FROM Patients ORDER BY Id",
            "SELECT * FROM ReminderSettings ORDER BY PatientId",
            "SELECT PatientId, Unit, BlockedAt, RegisteredAtUnit, Channel FROM ReminderBlocks ORDER BY PatientId, Unit",
            "SELECT PatientId, Number, AddedAt FROM GuardianNumbers ORDER BY PatientId, Number",
            "SELECT PatientId, At, Text FROM ReminderComments ORDER BY PatientId, At, Text",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            text.AppendLine(sql);
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    text.Append(reader.GetName(i)).Append('=').Append(reader.GetDataTypeName(i)).Append(':').Append(reader.IsDBNull(i) ? "NULL" : reader.GetString(i)).Append(' ');
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await Task.Yield();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            try
            {
                System.IO.File.Delete(File + suffix);
            }
            catch (IOException)
            {
                // Cleaned with the temp folder.
            }
        }
    }
}
