using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain;
using Reminders.Domain.Migration;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// The VAS migration (R30–R36): reads the file row by row, rejects bad rows whole with line and reason,
/// decides each patient with <see cref="VasMigrationRules"/>, and writes in batches, one transaction each.
/// Used by the <c>import-vas</c> command, <c>POST /api/v1/imports/vas</c> and the admin page.
/// </summary>
public sealed partial class VasImporter(RemindersDbContext db, IClock clock, TimeProvider time, ILogger<VasImporter> logger, IActorAccessor? actors = null)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // This run's name on the claim row (machine and run, no person), and when the claim was last taken or extended.
    private readonly string _run = Environment.MachineName + "/" + Guid.NewGuid().ToString("N")[..12];
    private Instant _claimedAt;

    /// <summary>
    /// Runs the migration, one at a time across instances: while another import holds <see cref="VasImportClaim"/>,
    /// <see cref="VasImportBusyException"/> is thrown before the file is read or anything written. A file that cannot
    /// be read (empty, not UTF-8, a record too large to hold, wrong header) throws <see cref="VasImportFileException"/>
    /// before anything is written; bad rows are reported, not fatal.
    /// </summary>
    /// <param name="csv">The file; read twice when seekable (UTF-8 check, then import), else spooled to a temporary file.</param>
    /// <param name="options">Go-live date, carry-blocks option, batch size.</param>
    /// <param name="progress">Receives counts after each batch.</param>
    /// <param name="cancellationToken">Stops between batches; the running batch is rolled back.</param>
    public async Task<VasImportReport> ImportAsync(Stream csv, VasImportOptions options, IProgress<VasImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(csv);
        ArgumentNullException.ThrowIfNull(options);
        _claimedAt = clock.GetCurrentInstant();
        await VasImportClaim.ClaimAsync(db, _run, _claimedAt, cancellationToken);
        try
        {
            return await ImportClaimedAsync(csv, options, progress, cancellationToken);
        }
        finally
        {
            await VasImportClaim.ReleaseAsync(db, _run);
        }
    }

    private async Task<VasImportReport> ImportClaimedAsync(Stream csv, VasImportOptions options, IProgress<VasImportProgress>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var now = clock.GetCurrentInstant();
        var today = Stockholm.DateOf(now);
        var context = new ChangeContext(now, null, ChangeChannel.Migration);

        await using var spooled = await CheckFileAsync(csv, cancellationToken);
        var input = spooled ?? csv;
        using var reader = new VasCsvRecords(input);
        var fields = new List<string>(8);
        if (!reader.Read(fields))
        {
            throw new VasImportFileException("The file is empty.");
        }

        if (reader.Malformed || reader.TooLong || !fields.Select(f => f.Trim()).SequenceEqual(VasRowParser.Header, StringComparer.Ordinal))
        {
            throw new VasImportFileException($"Wrong header: the first line must be exactly '{string.Join(',', VasRowParser.Header)}'.");
        }

        var clinics = await db.Units.AsNoTracking().Select(u => new { u.HsaId, u.Clinic }).ToDictionaryAsync(u => u.HsaId.Value, u => u.Clinic, StringComparer.Ordinal, cancellationToken);
        var tally = new Tally(options.MaxRejectedListed);
        var seen = new Dictionary<long, int>();
        var batch = new List<VasWrite>(options.BatchSize);
        var alreadyMigrated = 0;

        await using (var writer = await StoreSql.For(db).OpenVasWriterAsync(db, options.WriteMode, cancellationToken))
        {
            while (reader.Read(fields))
            {
                var line = reader.Line;
                if (fields.Count == 1 && fields[0].Length == 0 && !reader.Malformed)
                {
                    continue; // a blank line, e.g. at the end of the file
                }

                tally.Rows++;
                if (reader.TooLong)
                {
                    tally.Reject(line, VasRowParser.TooLong());
                    continue;
                }

                var parsed = VasRowParser.Parse(fields, reader.Malformed, today);
                if (!parsed.Succeeded)
                {
                    tally.Reject(line, parsed.Reasons[0]);
                    continue;
                }

                var row = parsed.Value;
                var key = long.Parse(row.IdentityNumber.Value, NumberStyles.None, CultureInfo.InvariantCulture);
                if (!seen.TryAdd(key, line))
                {
                    tally.Reject(line, VasRowParser.Duplicate(seen[key]));
                    continue;
                }

                var outcome = VasMigrationRules.Decide(row, options.GoLive, today, options.CarryBlocks);
                tally.Count(row, outcome, today, clinics);
                batch.Add(new VasWrite(row, outcome));
                if (batch.Count >= options.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    alreadyMigrated += await writer.WriteAsync(batch, context, cancellationToken);
                    batch.Clear();
                    await ExtendClaimAsync(cancellationToken);
                    progress?.Report(new VasImportProgress(tally.Rows, time.GetElapsedTime(started)));
                }
            }

            if (batch.Count > 0)
            {
                alreadyMigrated += await writer.WriteAsync(batch, context, cancellationToken);
            }
        }

        var elapsed = time.GetElapsedTime(started);
        progress?.Report(new VasImportProgress(tally.Rows, elapsed, Completed: true));
        LogFinished(logger, tally.Rows, tally.Activated, tally.RejectedTotal, alreadyMigrated, elapsed.TotalSeconds);
        var report = tally.ToReport(alreadyMigrated, today, options);

        // R55: the run is audited once, with who ran it and the counts; each migrated patient carries its own
        // trace in the RPA-migrerat comment (a row per patient would double the inserts of a million-row import).
        var actor = (actors?.Current ?? Actor.System) with { Channel = ChangeChannel.Migration };
        db.ChangeTracker.Clear();

        // R32 (rev. 2): the run is recorded with its carry-blocks option; converting migrated blocks reads it.
        db.Add(VasImportRecord.Create(clock.GetCurrentInstant(), today, options.GoLive, options.CarryBlocks, report.Rows, report.Activated, actor.Id));
        db.AuditEvents.Add(AuditLog.Row(clock.GetCurrentInstant(), actor, actor.Unit, null, AuditAction.Migration,
            System.Text.Json.JsonSerializer.Serialize(new { report.Rows, report.Activated, report.RejectedTotal, report.AlreadyMigrated, goLive = options.GoLive.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), options.CarryBlocks })));
        await db.SaveChangesAsync(cancellationToken);
        return report;
    }

    /// <summary>Extends the claim once a minute at most: a write per batch would cost a million-row import a thousand commits.</summary>
    private async Task ExtendClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        if (now - _claimedAt >= VasImportClaim.ExtendEvery)
        {
            await VasImportClaim.ExtendAsync(db, _run, now, cancellationToken);
            _claimedAt = now;
        }
    }

    /// <summary>R36: a setting that already carries an <c>RPA-migrerat</c> comment was migrated before.</summary>
    internal static bool IsMigrated(ReminderSetting? setting) =>
        setting is not null && setting.Comments.Any(c => c.Text.StartsWith(Reasons.MigrationCommentPrefix, StringComparison.Ordinal));

    /// <summary>
    /// Checks the whole input before anything is written: UTF-8, not empty, and every record small enough to hold
    /// (<see cref="VasCsvRecords.MaxBufferedRecordBytes"/>). A seekable stream is rewound (returns null); any other is
    /// spooled to a temporary file deleted on close (returned).
    /// </summary>
    private static async Task<Stream?> CheckFileAsync(Stream csv, CancellationToken cancellationToken)
    {
        var start = csv.CanSeek ? csv.Position : 0;
        var spooled = await CheckUtf8Async(csv, cancellationToken);
        var input = spooled ?? csv;
        try
        {
            using (var records = new VasCsvRecords(input))
            {
                records.SkipToEnd();
            }

            input.Position = spooled is null ? start : 0;
            return spooled;
        }
        catch (VasRecordTooLargeException e)
        {
            if (spooled is not null)
            {
                await spooled.DisposeAsync();
            }

            throw new VasImportFileException(e.Message, e);
        }
    }

    /// <summary>Checks the whole input is UTF-8 and not empty; rewinds a seekable stream (null) or returns the spooled copy.</summary>
    private static async Task<Stream?> CheckUtf8Async(Stream csv, CancellationToken cancellationToken)
    {
        FileStream? spool = null;
        var start = csv.CanSeek ? csv.Position : 0;
        if (!csv.CanSeek)
        {
            spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        }

        try
        {
            var decoder = StrictUtf8.GetDecoder();
            var buffer = new byte[64 * 1024];
            var chars = new char[StrictUtf8.GetMaxCharCount(buffer.Length)];
            var content = false;
            long offset = 0;
            int read;
            while ((read = await csv.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (spool is not null)
                {
                    await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                int count;
                try
                {
                    count = decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                }
                catch (DecoderFallbackException e)
                {
                    throw new VasImportFileException(
                        string.Create(CultureInfo.InvariantCulture, $"The file is not UTF-8: an invalid byte sequence near byte {offset + Math.Max(e.Index, 0)}. Save it as UTF-8 and run again."), e);
                }

                content |= chars.AsSpan(0, count).TrimStart('\uFEFF').ContainsAnyExcept(" \t\r\n");
                offset += read;
            }

            try
            {
                decoder.GetChars([], 0, 0, chars, 0, flush: true);
            }
            catch (DecoderFallbackException e)
            {
                throw new VasImportFileException("The file is not UTF-8: it ends inside a character. Save it as UTF-8 and run again.", e);
            }

            if (!content)
            {
                throw new VasImportFileException("The file is empty.");
            }

            if (spool is not null)
            {
                spool.Position = 0;
                return spool;
            }

            csv.Position = start;
            return null;
        }
        catch
        {
            if (spool is not null)
            {
                await spool.DisposeAsync();
            }

            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VAS import finished: {Rows} rows, {Activated} activated, {Rejected} rejected, {AlreadyMigrated} already migrated, {Seconds:F1} s")]
    private static partial void LogFinished(ILogger logger, int rows, int activated, int rejected, int alreadyMigrated, double seconds);

    /// <summary>The report's counts, kept as the rows go by (nothing per patient is held).</summary>
    private sealed class Tally(int maxRejectedListed)
    {
        private const int MaxUnknownUnitsListed = 1000;
        private readonly List<VasRejectedRow> _rejected = [];
        private readonly Dictionary<string, int> _byClinic = new(StringComparer.Ordinal);
        private readonly SortedSet<string> _unknownUnits = new(StringComparer.Ordinal);
        private readonly HashSet<string> _clinicsOfRow = new(StringComparer.Ordinal);
        private int _unblocked;
        private int _mobileBefore13;
        private int _protected;
        private int _noConsent;
        private int _guardianNumbers;
        private int _unknownUnitBlocks;
        private int _adultsUnknownDate;
        private int _teensUnknownDate;
        private int _mobileUpdatedBefore13;
        private int _withVasBlocks;

        public int Rows { get; set; }

        public int Activated { get; private set; }

        public int RejectedTotal { get; private set; }

        public void Reject(int line, Reason reason)
        {
            RejectedTotal++;
            if (_rejected.Count < maxRejectedListed)
            {
                _rejected.Add(new VasRejectedRow(line, reason.ToString(), reason.Rule));
            }
        }

        public void Count(VasRow row, VasMigrationOutcome outcome, LocalDate migrationDate, Dictionary<string, string> clinics)
        {
            // Revision 2's cases, for the report: who now gets SMS, who needs a confirmation, who keeps VAS blocks.
            var unknownDate = row.Mobile is not null && row.MobileUpdated is null;
            if (outcome.Cause == VasNotActivatedCause.None && unknownDate && Domain.Patients.Age.IsAdultOn(row.IdentityNumber.BirthDate, migrationDate))
            {
                _adultsUnknownDate++;
            }
            else if (outcome.Cause == VasNotActivatedCause.MigrationMobileBefore13)
            {
                if (unknownDate)
                {
                    _teensUnknownDate++;
                }
                else
                {
                    _mobileUpdatedBefore13++;
                }
            }

            if (!outcome.BlocksInForce && outcome.Blocks.Count > 0)
            {
                _withVasBlocks++;
            }

            switch (outcome.Cause)
            {
                case VasNotActivatedCause.None: Activated++; break;
                case VasNotActivatedCause.NoConsent: _noConsent++; break;
                case VasNotActivatedCause.MigrationUnitBlocks: _unblocked++; break;
                case VasNotActivatedCause.MigrationMobileBefore13: _mobileBefore13++; break;
                case VasNotActivatedCause.ProtectedIdentity: _protected++; break;
                default: throw new InvalidOperationException($"Unknown cause {outcome.Cause}.");
            }

            _guardianNumbers += outcome.GuardianNumbers.Count;
            _clinicsOfRow.Clear();
            foreach (var unit in outcome.Blocks)
            {
                if (clinics.TryGetValue(unit.Value, out var clinic))
                {
                    _clinicsOfRow.Add(clinic);
                }
                else
                {
                    _unknownUnitBlocks++;
                    if (_unknownUnits.Count < MaxUnknownUnitsListed)
                    {
                        _unknownUnits.Add(unit.Value);
                    }
                }
            }

            if (outcome.Cause == VasNotActivatedCause.MigrationUnitBlocks)
            {
                foreach (var clinic in _clinicsOfRow)
                {
                    _byClinic[clinic] = _byClinic.GetValueOrDefault(clinic) + 1;
                }
            }
        }

        public VasImportReport ToReport(int alreadyMigrated, LocalDate today, VasImportOptions options) => new()
        {
            Rows = Rows,
            Activated = Activated,
            NotActivated = new VasNotActivatedCounts
            {
                MigrationUnitBlocks = _unblocked,
                MigrationMobileBefore13 = _mobileBefore13,
                ProtectedIdentity = _protected,
                NoConsent = _noConsent,
            },
            GuardianNumbersMigrated = _guardianNumbers,
            Rejected = _rejected,
            ByClinic = _byClinic
                .OrderByDescending(c => c.Value)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => new VasClinicCount(c.Key, c.Value))
                .ToList(),
            RejectedTotal = RejectedTotal,
            UnknownUnitBlocks = _unknownUnitBlocks,
            UnknownUnits = [.. _unknownUnits],
            AlreadyMigrated = alreadyMigrated,
            MigrationDate = LocalDatePattern.Iso.Format(today),
            GoLive = LocalDatePattern.Iso.Format(options.GoLive),
            CarryBlocks = options.CarryBlocks,
            AdultsWithUnknownDateActivated = _adultsUnknownDate,
            NeedConfirmation = new VasNeedConfirmationCounts { MobileUpdatedBefore13 = _mobileUpdatedBefore13, TeensWithUnknownDate = _teensUnknownDate },
            PatientsWithVasBlocks = _withVasBlocks,
        };
    }
}
