using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Audit;

/// <summary>Gives the current actor (from the request's user, or the system outside a request).</summary>
public interface IActorAccessor
{
    /// <summary>The actor of the current operation.</summary>
    Actor Current { get; }
}

/// <summary>
/// The one audit entry point (R55). A change's row goes into the change's unit of work (<see cref="Add"/>; the
/// write primitive of the application layer saves it with the change, so both commit or neither); a row that is
/// the request's only write (a read, a refused access, a sign-out) goes through the group commit of
/// <see cref="ReadAuditWriter"/> and the call completes when it is stored (<see cref="AppendNowAsync"/>).
/// Details carry internal ids, units and counts: never names, numbers or identity numbers.
/// </summary>
public sealed class AuditLog(RemindersDbContext db, IClock clock, IActorAccessor actors, ReadAuditWriter reads)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The actor of the current request (or the system).</summary>
    public Actor Current => actors.Current;

    /// <summary>
    /// Details that fit their column (<see cref="AuditEvent.MaxDetailsLength"/>) are stored as they are; longer ones
    /// as a JSON summary: the full length and as much of the start as fits, so a row can never fail its save (or a
    /// group-committed batch of other users' reads) by its size.
    /// </summary>
    public static string Fit(string details)
    {
        if (details.Length <= AuditEvent.MaxDetailsLength)
        {
            return details;
        }

        var keep = AuditEvent.MaxDetailsLength - 100;
        while (true)
        {
            var summary = JsonSerializer.Serialize(new { truncated = true, length = details.Length, start = details[..keep] }, Json);
            if (summary.Length <= AuditEvent.MaxDetailsLength)
            {
                return summary;
            }

            // Escaping made it longer (quotes, non-ASCII): keep less.
            keep -= summary.Length - AuditEvent.MaxDetailsLength + 16;
        }
    }

    /// <summary>
    /// The one way an audit row is built, for every writer: the channel is the actor's; details are stored as given
    /// when a string, else as camel-case JSON.
    /// </summary>
    public static AuditEvent Row(Instant at, Actor actor, string? unit, long? patientId, AuditAction action, object? details, bool succeeded = true)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return AuditEvent.Create(at, actor.Id, actor.Role, unit, patientId, action.ToString(), actor.Channel.ToString(),
            details is null ? null : Fit(details as string ?? JsonSerializer.Serialize(details, Json)), succeeded);
    }

    /// <summary>Adds a row to the unit of work; it is stored by the save of the change it records.</summary>
    public AuditEvent Add(AuditAction action, Actor actor, string? unit, long? patientId, object? details = null, bool succeeded = true)
    {
        var row = Row(clock.GetCurrentInstant(), actor, unit, patientId, action, details, succeeded);
        db.AuditEvents.Add(row);
        return row;
    }

    /// <summary>
    /// Stores a row that is the operation's only write, through the group commit; completes when it is durable, so
    /// the caller shows nothing before it is logged. Nothing of the caller's unit of work is saved.
    /// </summary>
    public Task AppendNowAsync(AuditAction action, Actor actor, string? unit, long? patientId, object? details, CancellationToken cancellationToken, bool succeeded = true) =>
        reads.AppendAsync(Row(clock.GetCurrentInstant(), actor, unit, patientId, action, details, succeeded), cancellationToken);

    /// <summary>
    /// R55, R57 (rev. 2): every patient shown in a list is an access in that patient's log extract. Stores one row per
    /// patient listed (the same patient at the same unit once), at the unit the patient was listed for (else the one
    /// the actor works from), through the group commit of <see cref="ReadAuditWriter"/>: the rows of one list share its
    /// transactions with other users' reads. Completes when every row is stored.
    /// </summary>
    public Task RecordListedNowAsync(AuditAction action, ChangeChannel channel, IEnumerable<ListedPatient> listed, object? details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listed);
        var actor = actors.Current with { Channel = channel };
        var at = clock.GetCurrentInstant();
        var text = details is null ? null : JsonSerializer.Serialize(details, Json);
        return Task.WhenAll(listed.Distinct().Select(l => reads.AppendAsync(Row(at, actor, l.Unit ?? actor.Unit, l.PatientId, action, text), cancellationToken)));
    }

    /// <summary><see cref="AppendNowAsync"/> for the current actor through <paramref name="channel"/>, at the unit they work from.</summary>
    public Task RecordNowAsync(AuditAction action, ChangeChannel channel, long? patientId = null, object? details = null, bool succeeded = true, CancellationToken cancellationToken = default)
    {
        var actor = actors.Current with { Channel = channel };
        return AppendNowAsync(action, actor, actor.Unit, patientId, details, cancellationToken, succeeded);
    }
}

/// <summary>A patient shown in a list, and the unit the list showed them for (null: the unit the user works from).</summary>
public readonly record struct ListedPatient(long PatientId, string? Unit = null);

/// <summary>The product offers no way to edit or delete audit rows: any attempt is a broken invariant.</summary>
public sealed class AppendOnlyAuditInterceptor : SaveCheckInterceptor
{
    /// <summary>The one instance.</summary>
    public static AppendOnlyAuditInterceptor Instance { get; } = new();

    /// <summary>Throws when an audit row is about to be changed or deleted.</summary>
    protected override void CheckBeforeSave(DbContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var entry in context.ChangeTracker.Entries<AuditEvent>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit rows are append-only (R55): they cannot be changed or deleted.");
            }
        }
    }
}
