using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain;
using Reminders.Domain.Messages;
using Reminders.Domain.Migration;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Application.Changes;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Replanning;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Application.Jobs;

/// <summary><c>Jobs:Replanning:*</c>.</summary>
public sealed class ReplanningOptions
{
    /// <summary>False stops the background service (the job stays callable, e.g. by tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the service checks whether the policy in force changed (another instance's admin save, configuration).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>What one run did.</summary>
/// <param name="Activated">R33 (rev. 2): patients the migration left out whose mobile now counts, activated.</param>
/// <param name="VasBlocksConverted">R32 (rev. 2): patients whose migrated blocks became VAS blocks.</param>
/// <param name="UnitsReplanned">Units whose future bookings were replanned.</param>
public sealed record ReplanningResult(int Activated, int VasBlocksConverted, int UnitsReplanned);

/// <summary>
/// Keeps the pending SMS true to the rules and the policy in force (docs/decisions/0015): when the store's
/// <see cref="PlanningState"/> is behind the code's rule book revision, it runs that revision's data steps once
/// (R33: activate the patients the migration left out whose mobile now counts; R32: migrated blocks become VAS
/// blocks unless the run carried them) and replans every future booking; when the policy in force (R26 link,
/// R28 quiet hours) differs from the one last planned under, it replans the units the difference can affect.
/// One instance of several does it (a claim with a time limit in the one row); replanning is idempotent, so a
/// run cut short is simply run again.
/// </summary>
public sealed partial class ReplanningJob(IServiceScopeFactory scopes, IClock clock, ISmsPolicySource policies, PlanningStateStore state, ILogger<ReplanningJob> logger)
{
    /// <summary>The rule book revision this code implements.</summary>
    public const int CurrentRulesRevision = 2;

    /// <summary>The actor of the data steps: the product, converting what the migration wrote.</summary>
    private static readonly Actor Conversion = Actor.System with { Channel = ChangeChannel.Migration };

    private const int BatchSize = 500;

    /// <summary>
    /// Runs once. Returns what was done, or null when nothing was due or another instance holds the claim.
    /// </summary>
    public async Task<ReplanningResult?> RunAsync(CancellationToken cancellationToken)
    {
        var policy = policies.Current;
        var planned = await state.LoadAsync(cancellationToken);
        var rulesBehind = planned.RulesRevision < CurrentRulesRevision;
        if (!rulesBehind && planned.PolicyFingerprint == policy.Fingerprint)
        {
            return null;
        }

        if (!await state.ClaimAsync(cancellationToken))
        {
            return null;
        }

        var done = false;
        try
        {
            var activated = 0;
            var converted = 0;
            if (rulesBehind)
            {
                activated = await ActivateWhereMobileNowCountsAsync(cancellationToken);
                converted = await ConvertMigratedBlocksAsync(cancellationToken);
            }

            var units = await UnitsToReplanAsync(rulesBehind, planned.PolicyFingerprint, policy, cancellationToken);
            foreach (var unit in units)
            {
                // Each unit is one change through the write primitive (the bulk path), audited for the unit.
                await using var scope = scopes.CreateAsyncScope();
                var writer = scope.ServiceProvider.GetRequiredService<ChangeWriter>();
                var change = new Change(Actor.System, AuditAction.ReplanUnit, unit.Value, null, Replan.Unit(unit),
                    new { reason = rulesBehind ? "rulesRevision" : "smsPolicy", revision = CurrentRulesRevision });
                var outcome = await writer.SaveAsync(change, () => Outcome.Ok(true), cancellationToken);
                if (!outcome.Succeeded)
                {
                    // Another writer won every retry: the run is not recorded done, so the next one replans again.
                    throw new InvalidOperationException($"Replanning unit {unit.Value} did not save ({outcome.Kind}).");
                }

                await state.ExtendClaimAsync(cancellationToken);
            }

            await state.FinishAsync(CurrentRulesRevision, policy.Fingerprint, cancellationToken);
            done = true;
            LogReplanned(logger, planned.RulesRevision, CurrentRulesRevision, activated, converted, units.Count);
            return new ReplanningResult(activated, converted, units.Count);
        }
        finally
        {
            if (!done)
            {
                await state.ReleaseAsync();
            }
        }
    }

    /// <summary>The local date of the patient's migration: the R30 comment's date, else the status change's.</summary>
    public static LocalDate? MigrationDateOf(ReminderSetting setting)
    {
        foreach (var comment in setting.Comments)
        {
            if (comment.Text.StartsWith(Reasons.MigrationCommentPrefix, StringComparison.Ordinal)
                && LocalDatePattern.Iso.Parse(comment.Text[Reasons.MigrationCommentPrefix.Length..].Trim()) is { Success: true } parsed)
            {
                return parsed.Value;
            }
        }

        return setting.StatusChangedAt is { } at ? Stockholm.DateOf(at) : null;
    }

    /// <summary>
    /// After a rules revision every unit with future bookings; after a policy change, the units the change can
    /// affect: a changed link those offering self check-in (R21, R26), changed quiet hours every unit (R28).
    /// </summary>
    private async Task<List<HsaId>> UnitsToReplanAsync(bool rulesBehind, string previous, SmsPolicy policy, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var now = clock.GetCurrentInstant();
        var withBookings = db.Units.Where(u => db.Bookings.Any(b => b.Unit == u.HsaId && b.Start > now));
        var quietHoursChanged = rulesBehind || !previous.StartsWith(QuietHoursPart(policy.Fingerprint), StringComparison.Ordinal);
        if (!quietHoursChanged)
        {
            withBookings = withBookings.Where(u => u.OffersSelfCheckIn);
        }

        return await withBookings.Select(u => u.HsaId).ToListAsync(cancellationToken);
    }

    private static string QuietHoursPart(string fingerprint) => fingerprint[..(fingerprint.IndexOf(";link=", StringComparison.Ordinal) + 1)];

    /// <summary>
    /// R33 (rev. 2), existing data: a patient the migration left out with <c>MigrationMobileBefore13</c> whose mobile
    /// would count now (an adult on the migration date with an unknown date, a 12-year-old on the run's date…) is
    /// activated, as the migration would have done under revision 2. Only settings nobody changed since.
    /// </summary>
    private async Task<int> ActivateWhereMobileNowCountsAsync(CancellationToken cancellationToken)
    {
        var ids = await IdsAsync(db => db.ReminderSettings
            .Where(s => s.Status == ReminderStatus.NotActivated && s.NotActivatedReason == NotActivatedReason.MigrationMobileBefore13)
            .Select(s => s.PatientId), cancellationToken);
        return await ConvertEachAsync(ids, async (db, patientId) =>
        {
            var patient = await db.Patients.SingleAsync(p => p.Id == patientId, cancellationToken);
            var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patientId, cancellationToken);
            var now = clock.GetCurrentInstant();
            var migrationDate = MigrationDateOf(setting) ?? Stockholm.DateOf(now);
            var updated = patient.MobileUpdatedAt is { } at ? Stockholm.DateOf(at) : (LocalDate?)null;
            if (setting.Status != ReminderStatus.NotActivated || setting.NotActivatedReason != NotActivatedReason.MigrationMobileBefore13
                || VasMigrationRules.MobileWouldNotCount(patient.BirthDate, patient.Mobile is not null, updated, migrationDate)
                || !setting.Activate(patient, new ChangeContext(now, null, ChangeChannel.Migration)).Succeeded)
            {
                return null;
            }

            setting.AddComment(now, "Aktiverad automatiskt: migreringens undantag för mobilnumret gäller inte längre, numret räknas som patientens eget.");
            return new { rule = "R33", activated = true, revision = CurrentRulesRevision };
        }, cancellationToken);
    }

    /// <summary>
    /// R32 (rev. 2), existing data: blocks a migration put in force become VAS blocks (history), unless the run
    /// that migrated them used carry-blocks. The runs are the recorded ones (<see cref="VasImportRecord"/>) and, for
    /// runs from before they were recorded, the migration audit rows, which carry the option.
    /// </summary>
    private async Task<int> ConvertMigratedBlocksAsync(CancellationToken cancellationToken)
    {
        var carried = await CarryBlocksDatesAsync(cancellationToken);
        var ids = await IdsAsync(db => db.ReminderSettings
            .Where(s => s.Blocks.Any(b => b.Channel == ChangeChannel.Migration))
            .Select(s => s.PatientId), cancellationToken);
        return await ConvertEachAsync(ids, async (db, patientId) =>
        {
            var setting = await db.ReminderSettings.SingleAsync(s => s.PatientId == patientId, cancellationToken);
            var migratedOn = setting.Blocks.Where(b => b.Channel == ChangeChannel.Migration).Select(b => Stockholm.DateOf(b.BlockedAt)).FirstOrDefault();
            var count = carried.Contains(migratedOn) ? 0 : setting.ConvertMigratedBlocksToVasBlocks();
            return count == 0 ? null : new { rule = "R32", vasBlocks = count, revision = CurrentRulesRevision };
        }, cancellationToken);
    }

    /// <summary>
    /// Runs a data step for each patient, in batches of <see cref="BatchSize"/> with a fresh context: <paramref name="convert"/>
    /// loads and changes what it needs and returns the audit details, or null when the patient needs nothing; each
    /// conversion is one change through the write primitive (audited <c>RulesRevision</c>). Returns how many were saved.
    /// </summary>
    private async Task<int> ConvertEachAsync(List<long> ids, Func<RemindersDbContext, long, Task<object?>> convert, CancellationToken cancellationToken)
    {
        var saved = 0;
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            var writer = scope.ServiceProvider.GetRequiredService<ChangeWriter>();
            foreach (var patientId in chunk)
            {
                db.ChangeTracker.Clear();
                if (await convert(db, patientId) is not { } details)
                {
                    continue;
                }

                var change = new Change(Conversion, AuditAction.RulesRevision, null, patientId, Replan.None, details);
                if ((await writer.SaveAsync(change, () => Outcome.Ok(true), cancellationToken)).Succeeded)
                {
                    saved++;
                }
            }
        }

        return saved;
    }

    /// <summary>The local dates of the import runs that carried blocks over.</summary>
    private async Task<HashSet<LocalDate>> CarryBlocksDatesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var dates = (await db.Set<VasImportRecord>().Where(r => r.CarryBlocks).Select(r => r.MigrationDate).ToListAsync(cancellationToken)).ToHashSet();
        var legacy = await db.AuditEvents.Where(e => e.Action == nameof(AuditAction.Migration) && e.PatientId == null)
            .Select(e => new { e.At, e.Details }).ToListAsync(cancellationToken);
        foreach (var run in legacy)
        {
            if (run.Details is { } details && CarriedBlocks(details))
            {
                dates.Add(Stockholm.DateOf(run.At));
            }
        }

        return dates;
    }

    private static bool CarriedBlocks(string details)
    {
        try
        {
            using var json = JsonDocument.Parse(details);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, "carryBlocks", StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind == JsonValueKind.True;
                }
            }
        }
        catch (JsonException)
        {
            // Not a run's counts: not a carry-blocks run.
        }

        return false;
    }

    private async Task<List<long>> IdsAsync(Func<RemindersDbContext, IQueryable<long>> query, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        return await query(db).OrderBy(id => id).ToListAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "Replanned: rules revision {From} -> {To}, {Activated} activated (R33), {Converted} with VAS blocks (R32), {Units} unit(s) replanned")]
    private static partial void LogReplanned(ILogger logger, int from, int to, int activated, int converted, int units);
}

/// <summary>Runs <see cref="ReplanningJob"/> at start and whenever asked or the poll interval passes.</summary>
public sealed partial class ReplanningService(ReplanningJob job, ReplanningSignal signal, IOptions<ReplanningOptions> options, TimeProvider time, ILogger<ReplanningService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await job.RunAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogFailed(logger, e);
            }

            try
            {
                await signal.WaitAsync(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "Replanning failed; it is tried again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
