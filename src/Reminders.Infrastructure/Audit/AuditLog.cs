using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Audit;

/// <summary>Who is acting: a user (id, roles, the unit they work from), an API client, or the system.</summary>
/// <param name="Id">User id, <c>api:{name}</c>, or <c>system</c>.</param>
/// <param name="Role">The actor's role(s).</param>
/// <param name="Unit">The unit they work from.</param>
public sealed record Actor(string Id, string? Role, string? Unit)
{
    /// <summary>The product itself (nightly jobs, the dispatcher).</summary>
    public static Actor System { get; } = new("system", null, null);
}

/// <summary>Gives the current actor (from the request's user, or the system outside a request).</summary>
public interface IActorAccessor
{
    /// <summary>The actor of the current operation.</summary>
    Actor Current { get; }
}

/// <summary>Audit actions (R55). Stable strings: they are stored.</summary>
public static class AuditActions
{
#pragma warning disable CS1591 // the names say it
    public const string ViewPatient = "ViewPatient";
    public const string SearchPatients = "SearchPatients";
    public const string ViewArrivals = "ViewArrivals";
    public const string Activate = "Activate";
    public const string Deactivate = "Deactivate";
    public const string Decline = "Decline";
    public const string Block = "Block";
    public const string Unblock = "Unblock";
    public const string GuardianNumbers = "GuardianNumbers";
    public const string ConfirmMobile = "ConfirmMobile";
    public const string RegisterMobile = "RegisterMobile";
    public const string RemoveGuardianNumbersAt13 = "RemoveGuardianNumbersAt13";
    public const string EServiceHandled = "EServiceHandled";
    public const string Migration = "Migration";
    public const string RegisterUpdate = "RegisterUpdate";
    public const string Booking = "Booking";
    public const string SignIn = "SignIn";
    public const string SignInFailed = "SignInFailed";
    public const string SignOut = "SignOut";
    public const string AccessDenied = "AccessDenied";
    public const string UserAdmin = "UserAdmin";
    public const string UnitAdmin = "UnitAdmin";
    public const string ViewAudit = "ViewAudit";
    public const string ViewReport = "ViewReport";
    public const string Settings = "Settings";
    public const string RulesRevision = "RulesRevision";
#pragma warning restore CS1591
}

/// <summary>
/// Writes audit rows (R55) into the same unit of work as the change they record, so a change and its
/// audit row commit together or not at all. Details never carry names or numbers in clear.
/// </summary>
public sealed class AuditLog(RemindersDbContext db, IClock clock, IActorAccessor actors, ReadAuditWriter reads)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The one way an audit row is built, for every writer (pages, handlers, the importer, jobs): details are
    /// stored as given when a string, else as camel-case JSON.
    /// </summary>
    public static AuditEvent Row(Instant at, string actor, string? role, string? unit, long? patientId, string action, string channel, object? details, bool succeeded = true) =>
        AuditEvent.Create(at, actor, role, unit, patientId, action, channel,
            details is null ? null : Fit(details as string ?? JsonSerializer.Serialize(details, Json)), succeeded);

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

    /// <summary>Adds a row to the context (saved by the caller's SaveChanges).</summary>
    public AuditEvent Record(string action, string channel, long? patientId = null, object? details = null, bool succeeded = true, Actor? actor = null)
    {
        actor ??= actors.Current;
        var row = Row(clock.GetCurrentInstant(), actor.Id, actor.Role, actor.Unit, patientId, action, channel, details, succeeded);
        db.AuditEvents.Add(row);
        return row;
    }

    /// <summary>Saves the rows added with <see cref="Record"/>.</summary>
    public Task SaveAsync(CancellationToken cancellationToken = default) => db.SaveChangesAsync(cancellationToken);

    /// <summary>
    /// Logs a read (the request writes nothing else): the row goes through <see cref="ReadAuditWriter"/>'s group
    /// commit and this completes when it is stored. Nothing of the caller's unit of work is saved.
    /// </summary>
    public Task RecordReadAsync(string action, string channel, long? patientId = null, object? details = null, CancellationToken cancellationToken = default)
    {
        var actor = actors.Current;
        return reads.AppendAsync(Row(clock.GetCurrentInstant(), actor.Id, actor.Role, actor.Unit, patientId, action, channel, details), cancellationToken);
    }

    /// <summary>Adds a row and saves at once (for refusals and writes where nothing else is saved).</summary>
    public async Task RecordNowAsync(string action, string channel, long? patientId = null, object? details = null, bool succeeded = true, CancellationToken cancellationToken = default)
    {
        Record(action, channel, patientId, details, succeeded);
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The product offers no way to edit or delete audit rows: any attempt is a broken invariant.</summary>
public sealed class AppendOnlyAuditInterceptor : SaveChangesInterceptor
{
    /// <summary>The one instance.</summary>
    public static AppendOnlyAuditInterceptor Instance { get; } = new();

    /// <inheritdoc />
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Check(eventData.Context);
        return result;
    }

    /// <inheritdoc />
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Check(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Check(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        foreach (var entry in context.ChangeTracker.Entries<AuditEvent>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit rows are append-only (R55): they cannot be changed or deleted.");
            }
        }
    }
}
