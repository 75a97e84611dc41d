using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Replanning;

/// <summary>
/// The replanning job's one <see cref="PlanningState"/> row: what the pending SMS were last planned under, and the
/// claim that lets one instance of several replan while the others wait (a claim runs out, so a crashed instance's
/// work is taken over). Job state only, no patient data: it is written here, not through the write primitive.
/// </summary>
public sealed class PlanningStateStore(IServiceScopeFactory scopes, IClock clock)
{
    private static readonly Duration ClaimFor = Duration.FromMinutes(15);

    private readonly string _instance = Environment.MachineName + "/" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// The row. A store without one gets it: at revision 1 when it holds reminder settings (written before revision 2
    /// recorded its revision), else at <paramref name="currentRevision"/> (nothing was written under older rules).
    /// </summary>
    public async Task<PlanningState> LoadAsync(int currentRevision, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        if (await db.Set<PlanningState>().AsNoTracking().SingleOrDefaultAsync(cancellationToken) is { } state)
        {
            return state;
        }

        // Never replanned under any policy (empty fingerprint): the policy in force is planned once.
        db.Add(new PlanningState { RulesRevision = await db.ReminderSettings.AnyAsync(cancellationToken) ? 1 : currentRevision });
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

    /// <summary>Claims the replanning for this instance; false when another holds an unexpired claim.</summary>
    public async Task<bool> ClaimAsync(CancellationToken cancellationToken)
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

    /// <summary>Extends this instance's claim (a long run calls it between units).</summary>
    public async Task ExtendClaimAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var until = clock.GetCurrentInstant() + ClaimFor;
        await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && s.ClaimedBy == _instance)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimedUntil, until), cancellationToken);
    }

    /// <summary>Records the run done under <paramref name="rulesRevision"/> and <paramref name="fingerprint"/>, and drops the claim.</summary>
    public async Task FinishAsync(int rulesRevision, string fingerprint, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var now = clock.GetCurrentInstant();
        await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && s.ClaimedBy == _instance)
            .ExecuteUpdateAsync(
                u => u.SetProperty(s => s.RulesRevision, rulesRevision)
                    .SetProperty(s => s.PolicyFingerprint, fingerprint)
                    .SetProperty(s => s.ReplannedAt, now)
                    .SetProperty(s => s.ClaimedBy, (string?)null)
                    .SetProperty(s => s.ClaimedUntil, (Instant?)null),
                cancellationToken);
    }

    /// <summary>Drops this instance's claim without recording a run (it failed or was stopped).</summary>
    public async Task ReleaseAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        await db.Set<PlanningState>()
            .Where(s => s.Id == PlanningState.SingletonId && s.ClaimedBy == _instance)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimedBy, (string?)null).SetProperty(s => s.ClaimedUntil, (Instant?)null), CancellationToken.None);
    }
}
