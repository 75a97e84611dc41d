using NodaTime;
using Reminders.Domain.Audit;
using ReadAuditWriter = Reminders.Infrastructure.Audit.ReadAuditWriter;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Features;

/// <summary>
/// Audit rows written by the handlers, with the actor passed in explicitly (the API's key name, a page's
/// user); <see cref="Infrastructure.Audit.AuditLog"/> writes those of the account and admin pages from the
/// request's user. Adds R55 audit rows to the caller's unit of work, so a change and its audit row commit together. Details
/// carry internal ids, units and counts: never names, numbers or identity numbers.
/// </summary>
internal static class AuditRows
{
    public static void Add(RemindersDbContext db, Instant at, Actor actor, string? unit, long? patientId, string action, object? details = null, bool succeeded = true) =>
        db.AuditEvents.Add(Build(at, actor, unit, patientId, action, details, succeeded));

    /// <summary>
    /// A read whose row is its only write: stored through the group commit of <see cref="ReadAuditWriter"/>; completes
    /// when the row is durable, so the caller shows nothing before it is logged.
    /// </summary>
    public static Task AppendReadAsync(ReadAuditWriter reads, Instant at, Actor actor, string? unit, long? patientId, string action, object? details, CancellationToken cancellationToken) =>
        reads.AppendAsync(Build(at, actor, unit, patientId, action, details, succeeded: true), cancellationToken);

    private static AuditEvent Build(Instant at, Actor actor, string? unit, long? patientId, string action, object? details, bool succeeded) =>
        Infrastructure.Audit.AuditLog.Row(at, actor.Name, actor.Role, unit, patientId, action, actor.Channel.ToString(), details, succeeded);

    /// <summary>A refused change: nothing of it is saved, the refusal is (access is logged when nothing changes too).</summary>
    public static async Task AddRefusalAsync(RemindersDbContext db, Instant at, Actor actor, string? unit, long? patientId, string action, IEnumerable<string> rules, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        Add(db, at, actor, unit, patientId, action, new { refusedBy = rules.Distinct().ToArray() }, succeeded: false);
        await db.SaveChangesAsync(cancellationToken);
    }
}
