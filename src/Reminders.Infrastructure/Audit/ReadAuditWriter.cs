using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Audit;

/// <summary>
/// Group commit for the audit rows of reads (R55: every look at a patient's data is logged), where the row is the
/// request's only write. A request hands its row over and awaits the durable commit of the batch that carries it,
/// so nothing is shown before its row is stored; when a batch fails, its rows are written again one by one, so a row
/// that cannot be stored fails only its own request. One loop
/// writes: whatever arrived while the previous batch was committing goes in the next transaction, so at low load a
/// row is written at once and under load many rows share one commit, instead of each request taking SQLite's single
/// write lock (and its busy back-off) for an INSERT of its own. Changes keep writing their row in their own unit of
/// work (<see cref="AuditLog.Add"/>), since a change and its row must commit together.
/// </summary>
public sealed class ReadAuditWriter : IAsyncDisposable
{
    /// <summary>Most rows in one transaction.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly Task _loop;

    /// <summary>Starts the writing loop.</summary>
    public ReadAuditWriter(IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Stores <paramref name="row"/>; completes when the transaction holding it has committed, and throws what the
    /// commit threw if it failed. Cancelling stops the wait, not the write.
    /// </summary>
    public Task AppendAsync(AuditEvent row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        var pending = new Pending(row, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The audit writer has stopped: the read cannot be logged (R55).");
        }

        return pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            var failure = await CommitAsync(batch);
            if (failure is not null && batch.Count > 1)
            {
                // One bad row must not fail other users' reads: each row again on its own, so only the rows that
                // cannot be stored fail their requests (a store that is down still fails them all).
                foreach (var pending in batch)
                {
                    await CommitAsync([pending]);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Stores <paramref name="batch"/> in one transaction; completes its waiters, or returns the failure.</summary>
    private async Task<Exception?> CommitAsync(IReadOnlyList<Pending> batch)
    {
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.AuditEvents.AddRange(batch.Select(p => p.Row));
            await db.SaveChangesAsync();
            foreach (var pending in batch)
            {
                pending.Committed.TrySetResult();
            }

            return null;
        }
#pragma warning disable CA1031 // the waiters get the failure; the loop goes on for the next batch
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (batch.Count == 1)
            {
                batch[0].Committed.TrySetException(e);
            }

            return e;
        }
    }

    private sealed record Pending(AuditEvent Row, TaskCompletionSource Committed);
}
