using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Migration;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.VasImport;

/// <summary>One row to write: the parsed row and what the rules decided.</summary>
internal readonly record struct VasWrite(VasRow Row, VasMigrationOutcome Outcome);

/// <summary>Writes batches of migrated patients, each batch in one transaction.</summary>
internal interface IVasBatchWriter : IAsyncDisposable
{
    /// <summary>Writes the batch; returns how many patients were already migrated and left alone (R36).</summary>
    Task<int> WriteAsync(IReadOnlyList<VasWrite> batch, ChangeContext context, CancellationToken cancellationToken);
}

/// <summary>
/// Provider-neutral path (SQL Server): EF Core without automatic change detection, the change tracker cleared
/// after every batch so memory stays flat.
/// </summary>
internal sealed class EfVasBatchWriter : IVasBatchWriter
{
    private readonly RemindersDbContext _db;
    private readonly bool _autoDetect;

    public EfVasBatchWriter(RemindersDbContext db)
    {
        _db = db;
        _autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
    }

    public async Task<int> WriteAsync(IReadOnlyList<VasWrite> batch, ChangeContext context, CancellationToken cancellationToken)
    {
        var strategy = _db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            _db.ChangeTracker.Clear();
            await using var transaction = await _db.Database.BeginTransactionAsync(ct);
            var existing = await PatientsWith(_db, [.. batch.Select(w => w.Row.IdentityNumber)]).ToDictionaryAsync(p => p.IdentityNumber.Value, ct);
            var settings = await SettingsOf(_db, [.. existing.Values.Select(p => p.Id)]).ToDictionaryAsync(s => s.PatientId, ct);

            var alreadyMigrated = 0;
            var fresh = new List<(Patient Patient, VasWrite Write)>();
            foreach (var write in batch)
            {
                if (existing.TryGetValue(write.Row.IdentityNumber.Value, out var patient))
                {
                    settings.TryGetValue(patient.Id, out var setting);
                    if (VasImporter.IsMigrated(setting))
                    {
                        alreadyMigrated++;
                        continue;
                    }

                    VasAggregates.MergeExisting(_db, patient, setting, write, context);
                    continue;
                }

                var created = VasAggregates.NewPatient(write.Row, write.Outcome);
                _db.Patients.Add(created);
                fresh.Add((created, write));
            }

            _db.ChangeTracker.DetectChanges();
            await _db.SaveChangesAsync(ct);
            foreach (var (patient, write) in fresh)
            {
                _db.ReminderSettings.Add(VasAggregates.NewSetting(patient.Id, patient, write.Outcome, context));
            }

            _db.ChangeTracker.DetectChanges();
            await _db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            _db.ChangeTracker.Clear();
            return alreadyMigrated;
        }, cancellationToken);
    }

    /// <summary>The batch's patients that exist already (the SQL Server tests parse it).</summary>
    internal static IQueryable<Patient> PatientsWith(RemindersDbContext db, List<PersonalIdentityNumber> ids) =>
        db.Patients.Where(p => ids.Contains(p.IdentityNumber));

    /// <summary>Their reminder settings.</summary>
    internal static IQueryable<ReminderSetting> SettingsOf(RemindersDbContext db, List<long> patientIds) =>
        db.ReminderSettings.Where(s => patientIds.Contains(s.PatientId));

    public ValueTask DisposeAsync()
    {
        _db.ChangeTracker.Clear();
        _db.ChangeTracker.AutoDetectChangesEnabled = _autoDetect;
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// SQLite path: reused prepared commands, one transaction per batch. The values are read from aggregates
/// built by <see cref="VasAggregates"/>, and bound as EF binds them (Instants as UTC <see cref="DateTime"/>,
/// which Microsoft.Data.Sqlite writes as <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>; enums as their names), so EF
/// reads the rows back unchanged. A patient that exists but was never migrated goes through EF in the same
/// transaction (rare: the register delivered them first).
/// </summary>
internal sealed class SqliteVasBatchWriter : IVasBatchWriter
{
    private const string LookupSql =
        "SELECT p.Id, EXISTS(SELECT 1 FROM ReminderComments c WHERE c.PatientId = p.Id AND c.Text LIKE 'RPA-migrerat %') FROM Patients p WHERE p.IdentityNumber = $id";

    private readonly RemindersDbContext _db;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _lookup;
    private readonly SqliteCommand _patient;
    private readonly SqliteCommand _setting;
    private readonly SqliteCommand _block;
    private readonly SqliteCommand _vasBlock;
    private readonly SqliteCommand _guardian;
    private readonly SqliteCommand _comment;

    // On a store with no patients at the start (the usual first migration), lookups are skipped; a unique-index
    // violation (someone added a patient meanwhile) rolls the batch back and it is written again with lookups.
    private bool _skipLookups;

    private SqliteVasBatchWriter(RemindersDbContext db, SqliteConnection connection)
    {
        _db = db;
        _connection = connection;
        _lookup = Command(LookupSql, "$id");
        _patient = Command(
            "INSERT INTO Patients (IdentityNumber, BirthDate, Name, ProtectedIdentity, Mobile, MobileUpdatedAt, MobileSource, ConsentIn1177, Version) VALUES ($id, $born, $name, $protected, $mobile, $mobileAt, $source, $consent, $version) RETURNING Id",
            "$id", "$born", "$name", "$protected", "$mobile", "$mobileAt", "$source", "$consent", "$version");
        _setting = Command(
            "INSERT INTO ReminderSettings (PatientId, Status, NotActivatedReason, StatusChangedAt, StatusChangedAtUnit, DeclinedOn, ConfirmedMobile, MobileConfirmedAt, Version) VALUES ($pid, $status, $reason, $changedAt, $changedUnit, NULL, NULL, NULL, $version)",
            "$pid", "$status", "$reason", "$changedAt", "$changedUnit", "$version");
        _block = Command(
            "INSERT INTO ReminderBlocks (Unit, BlockedAt, RegisteredAtUnit, Channel, PatientId) VALUES ($unit, $at, $registeredAt, $channel, $pid)",
            "$unit", "$at", "$registeredAt", "$channel", "$pid");
        _vasBlock = Command(
            "INSERT INTO ReminderVasBlocks (Unit, MigratedAt, PatientLeftOut, PatientId) VALUES ($unit, $at, $leftOut, $pid)",
            "$unit", "$at", "$leftOut", "$pid");
        _guardian = Command("INSERT INTO GuardianNumbers (Number, AddedAt, PatientId) VALUES ($number, $at, $pid)", "$number", "$at", "$pid");
        _comment = Command("INSERT INTO ReminderComments (At, Text, PatientId) VALUES ($at, $text, $pid)", "$at", "$text", "$pid");
    }

    /// <summary>Opens the context's connection with a larger page cache for the bulk load.</summary>
    public static async Task<SqliteVasBatchWriter> OpenAsync(RemindersDbContext db, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using (var pragma = connection.CreateCommand())
        {
            // Random-order inserts into the unique identity index thrash SQLite's default 2 MB cache (performance-notes.md).
            pragma.CommandText = "PRAGMA cache_size=-65536";
            await pragma.ExecuteNonQueryAsync(cancellationToken);
            pragma.CommandText = "SELECT NOT EXISTS (SELECT 1 FROM Patients)";
            var empty = Convert.ToInt64(await pragma.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 1;
            return new SqliteVasBatchWriter(db, connection) { _skipLookups = empty };
        }
    }

    public async Task<int> WriteAsync(IReadOnlyList<VasWrite> batch, ChangeContext context, CancellationToken cancellationToken)
    {
        if (!_skipLookups)
        {
            return await WriteBatchAsync(batch, context, lookups: true, cancellationToken);
        }

        try
        {
            return await WriteBatchAsync(batch, context, lookups: false, cancellationToken);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            _skipLookups = false;
            return await WriteBatchAsync(batch, context, lookups: true, cancellationToken);
        }
    }

    private async Task<int> WriteBatchAsync(IReadOnlyList<VasWrite> batch, ChangeContext context, bool lookups, CancellationToken cancellationToken)
    {
        await using var transaction = await _db.Database.BeginTransactionAsync(cancellationToken);
        var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();
        foreach (var command in (ReadOnlySpan<SqliteCommand>)[_lookup, _patient, _setting, _block, _vasBlock, _guardian, _comment])
        {
            command.Transaction = sqliteTransaction;
        }

        var alreadyMigrated = 0;
        foreach (var write in batch)
        {
            long? existingId = null;
            var migrated = false;
            _lookup.Parameters[0].Value = write.Row.IdentityNumber.Value;
            using (var reader = lookups ? _lookup.ExecuteReader() : null)
            {
                if (reader is not null && reader.Read())
                {
                    existingId = reader.GetInt64(0);
                    migrated = reader.GetInt64(1) != 0;
                }
            }

            if (existingId is { } id)
            {
                if (migrated)
                {
                    alreadyMigrated++;
                }
                else
                {
                    await MergeExistingAsync(id, write, context, cancellationToken);
                }

                continue;
            }

            var patient = VasAggregates.NewPatient(write.Row, write.Outcome);
            var patientId = InsertPatient(patient);
            var setting = VasAggregates.NewSetting(patientId, patient, write.Outcome, context);
            InsertSetting(patientId, setting);
        }

        await transaction.CommitAsync(cancellationToken);
        return alreadyMigrated;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in (SqliteCommand[])[_lookup, _patient, _setting, _block, _vasBlock, _guardian, _comment])
        {
            await command.DisposeAsync();
        }

        await using (var pragma = _connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA cache_size=-2000";
            await pragma.ExecuteNonQueryAsync();
        }

        await _db.Database.CloseConnectionAsync();
    }

    private async Task MergeExistingAsync(long patientId, VasWrite write, ChangeContext context, CancellationToken cancellationToken)
    {
        _db.ChangeTracker.Clear();
        var patient = await _db.Patients.SingleAsync(p => p.Id == patientId, cancellationToken);
        var setting = await _db.ReminderSettings.SingleOrDefaultAsync(s => s.PatientId == patientId, cancellationToken);
        VasAggregates.MergeExisting(_db, patient, setting, write, context);
        await _db.SaveChangesAsync(cancellationToken);
        _db.ChangeTracker.Clear();
    }

    private long InsertPatient(Patient patient)
    {
        var p = _patient.Parameters;
        p[0].Value = patient.IdentityNumber.Value;
        p[1].Value = patient.BirthDate.ToDateOnly(); // stored as EF stores it: TEXT yyyy-MM-dd
        p[2].Value = patient.Name;
        p[3].Value = patient.ProtectedIdentity;
        p[4].Value = (object?)patient.Mobile?.Value ?? DBNull.Value;
        p[5].Value = Utc(patient.MobileUpdatedAt);
        p[6].Value = patient.MobileSource.ToString();
        p[7].Value = patient.ConsentIn1177;
        p[8].Value = patient.Version;
        return (long)_patient.ExecuteScalar()!;
    }

    private void InsertSetting(long patientId, ReminderSetting setting)
    {
        var p = _setting.Parameters;
        p[0].Value = patientId;
        p[1].Value = setting.Status.ToString();
        p[2].Value = setting.NotActivatedReason.ToString();
        p[3].Value = Utc(setting.StatusChangedAt);
        p[4].Value = (object?)setting.StatusChangedAtUnit?.Value ?? DBNull.Value;
        p[5].Value = setting.Version;
        _setting.ExecuteNonQuery();

        foreach (var block in setting.Blocks)
        {
            var b = _block.Parameters;
            b[0].Value = block.Unit.Value;
            b[1].Value = block.BlockedAt.ToDateTimeUtc();
            b[2].Value = (object?)block.RegisteredAtUnit?.Value ?? DBNull.Value;
            b[3].Value = block.Channel.ToString();
            b[4].Value = patientId;
            _block.ExecuteNonQuery();
        }

        foreach (var vasBlock in setting.VasBlocks)
        {
            var v = _vasBlock.Parameters;
            v[0].Value = vasBlock.Unit.Value;
            v[1].Value = vasBlock.MigratedAt.ToDateTimeUtc();
            v[2].Value = vasBlock.PatientLeftOut;
            v[3].Value = patientId;
            _vasBlock.ExecuteNonQuery();
        }

        foreach (var guardian in setting.GuardianNumbers)
        {
            var g = _guardian.Parameters;
            g[0].Value = guardian.Number.Value;
            g[1].Value = guardian.AddedAt.ToDateTimeUtc();
            g[2].Value = patientId;
            _guardian.ExecuteNonQuery();
        }

        foreach (var comment in setting.Comments)
        {
            var c = _comment.Parameters;
            c[0].Value = comment.At.ToDateTimeUtc();
            c[1].Value = comment.Text;
            c[2].Value = patientId;
            _comment.ExecuteNonQuery();
        }
    }

    private static object Utc(Instant? instant) => instant is { } i ? i.ToDateTimeUtc() : DBNull.Value;

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }
}

/// <summary>Formats used where the raw path must match EF's SQLite provider.</summary>
internal static class SqliteFormats
{
    /// <summary>How Microsoft.Data.Sqlite (and so EF) writes a <see cref="DateTime"/>.</summary>
    public static string DateTimeText(Instant instant) =>
        instant.ToDateTimeUtc().ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
