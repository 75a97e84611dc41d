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
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Infrastructure.Replanning;

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
public sealed partial class ReplanningJob(IServiceScopeFactory scopes, IClock clock, ISmsPolicySource policies, ILogger<ReplanningJob> logger)
{
    /// <summary>The rule book revision this code implements.</summary>
    public const int CurrentRulesRevision = 2;

    /// <summary>The actor recorded in the audit log.</summary>
    public const string Actor = "system";

    private const int BatchSize = 500;

    private static readonly Duration ClaimFor = Duration.FromMinutes(15);

    private readonly string _instance = Environment.MachineName + "/" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// Runs once. Returns what was done, or null when nothing was due or another instance holds the claim.
    /// </summary>
    public async Task<ReplanningResult?> RunAsync(CancellationToken cancellationToken)
    {
        var policy = policies.Current;
        var state = await LoadStateAsync(cancellationToken);
        var rulesBehind = state.RulesRevision < CurrentRulesRevision;
        if (!rulesBehind && state.PolicyFingerprint == policy.Fingerprint)
        {
            return null;
        }

        if (!await ClaimAsync(cancellationToken))
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

            var units = await UnitsToReplanAsync(rulesBehind, state.PolicyFingerprint, policy, cancellationToken);
            foreach (var unit in units)
            {
                await using var scope = scopes.CreateAsyncScope();
                var planner = scope.ServiceProvider.GetRequiredService<ReminderPlanner>();
                await planner.PlanUnitAsync(unit, cancellationToken);
                await planner.SaveAsync(cancellationToken);
                await ExtendClaimAsync(cancellationToken);
            }

            await FinishAsync(policy.Fingerprint, cancellationToken);
            done = true;
            LogReplanned(logger, state.RulesRevision, CurrentRulesRevision, activated, converted, units.Count);
            return new ReplanningResult(activated, converted, units.Count);
        }
        finally
        {
            if (!done)
            {
                await ReleaseAsync();
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

    private async Task<PlanningState> LoadStateAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        if (await db.Set<PlanningState>().AsNoTracking().SingleOrDefaultAsync(cancellationToken) is { } state)
        {
            return state;
        }

        // A store from before revision 2 (or a new one): revision 1, never replanned under any policy.
        db.Add(new PlanningState());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (UniqueViolation.Is(e))
        {
            // Another instance inserted it first.
        }

        db.ChangeTracker.Clear();
        return await db.Set<PlanningState>().AsNoTracking().SingleAsync(cancellationToken);
    }

    private async Task<bool> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var now = clock.GetCurrentInstant();
        var until = now + ClaimFor;
        var claimed = await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && (s.ClaimedUntil == null || s.ClaimedUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimedBy, _instance).SetProperty(s => s.ClaimedUntil, until), cancellationToken);
        return claimed == 1;
    }

    private async Task ExtendClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var until = clock.GetCurrentInstant() + ClaimFor;
        await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && s.ClaimedBy == _instance)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimedUntil, until), cancellationToken);
    }

    private async Task FinishAsync(string fingerprint, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var now = clock.GetCurrentInstant();
        await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && s.ClaimedBy == _instance)
            .ExecuteUpdateAsync(
                u => u.SetProperty(s => s.RulesRevision, CurrentRulesRevision)
                    .SetProperty(s => s.PolicyFingerprint, fingerprint)
                    .SetProperty(s => s.ReplannedAt, now)
                    .SetProperty(s => s.ClaimedBy, (string?)null)
                    .SetProperty(s => s.ClaimedUntil, (Instant?)null),
                cancellationToken);
    }

    private async Task ReleaseAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && s.ClaimedBy == _instance)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimedBy, (string?)null).SetProperty(s => s.ClaimedUntil, (Instant?)null), CancellationToken.None);
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
        var activated = 0;
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            var patients = await db.Patients.Where(p => chunk.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
            var settings = await db.ReminderSettings.Where(s => chunk.Contains(s.PatientId)).ToListAsync(cancellationToken);
            var now = clock.GetCurrentInstant();
            foreach (var setting in settings)
            {
                var patient = patients[setting.PatientId];
                var migrationDate = MigrationDateOf(setting) ?? Stockholm.DateOf(now);
                var updated = patient.MobileUpdatedAt is { } at ? Stockholm.DateOf(at) : (LocalDate?)null;
                if (VasMigrationRules.MobileWouldNotCount(patient.BirthDate, patient.Mobile is not null, updated, migrationDate)
                    || !setting.Activate(patient, new ChangeContext(now, null, ChangeChannel.Migration)).Succeeded)
                {
                    continue;
                }

                setting.AddComment(now, "Aktiverad automatiskt: migreringens undantag för mobilnumret gäller inte längre, numret räknas som patientens eget.");
                db.AuditEvents.Add(AuditLog.Row(now, Actor, null, null, setting.PatientId, AuditActions.RulesRevision, nameof(ChangeChannel.Migration),
                    new { rule = "R33", activated = true, revision = CurrentRulesRevision }));
                activated++;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return activated;
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
        var converted = 0;
        foreach (var chunk in ids.Chunk(BatchSize))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            var settings = await db.ReminderSettings.Where(s => chunk.Contains(s.PatientId)).ToListAsync(cancellationToken);
            var now = clock.GetCurrentInstant();
            foreach (var setting in settings)
            {
                var migratedOn = setting.Blocks.Where(b => b.Channel == ChangeChannel.Migration).Select(b => Stockholm.DateOf(b.BlockedAt)).FirstOrDefault();
                if (carried.Contains(migratedOn))
                {
                    continue;
                }

                var count = setting.ConvertMigratedBlocksToVasBlocks();
                if (count == 0)
                {
                    continue;
                }

                db.AuditEvents.Add(AuditLog.Row(now, Actor, null, null, setting.PatientId, AuditActions.RulesRevision, nameof(ChangeChannel.Migration),
                    new { rule = "R32", vasBlocks = count, revision = CurrentRulesRevision }));
                converted++;
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        return converted;
    }

    /// <summary>The local dates of the import runs that carried blocks over.</summary>
    private async Task<HashSet<LocalDate>> CarryBlocksDatesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var dates = (await db.Set<VasImportRecord>().Where(r => r.CarryBlocks).Select(r => r.MigrationDate).ToListAsync(cancellationToken)).ToHashSet();
        var legacy = await db.AuditEvents.Where(e => e.Action == AuditActions.Migration && e.PatientId == null)
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

/// <summary>Wakes <see cref="ReplanningService"/> at once, e.g. after the admin saved the SMS settings.</summary>
public sealed class ReplanningSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <inheritdoc />
    public void Dispose() => _signal.Dispose();

    /// <summary>Asks for a replanning check now.</summary>
    public void Request()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already requested.
            }
        }
    }

    /// <summary>Waits for a request or <paramref name="interval"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(interval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await _signal.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed.
        }
    }
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
