using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Domain.Identity;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Application.Admin;

/// <summary>What the audit search filters on (all optional; the period in Stockholm days, end exclusive).</summary>
public sealed record AuditSearch(PersonalIdentityNumber? Patient, string? UserEmail, string? Unit, Instant? From, Instant? Until, int MaxRows);

/// <summary>The rows found, with display names for staff actors and identity numbers for patients.</summary>
public sealed record AuditSearchResult(IReadOnlyList<AuditEvent> Rows, IReadOnlyDictionary<string, string> UserNames, IReadOnlyDictionary<long, string> PatientNumbers, long? PatientId);

/// <summary>A patient's log extract: their identity number and the successful rows about them, oldest first.</summary>
public sealed record AuditExtract(string IdentityNumber, IReadOnlyList<AuditEvent> Rows, IReadOnlyDictionary<string, string> UnitNames);

/// <summary>The audit log's reads (R55): search and a patient's extract. Looking at patient data here is audited too.</summary>
public sealed class AuditQueries(RemindersDbContext db, AuditLog audit)
{
    /// <summary>Searches the log; a search that shows patients is itself logged (ViewAudit).</summary>
    public async Task<AuditSearchResult> SearchAsync(AuditSearch search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        var query = db.AuditEvents.AsNoTracking().AsQueryable();
        long? patientId = null;
        if (search.Patient is { } id)
        {
            patientId = await db.Patients.Where(p => p.IdentityNumber == id).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken);
            query = query.Where(a => a.PatientId == (patientId ?? -1));
        }

        if (!string.IsNullOrWhiteSpace(search.UserEmail))
        {
            var email = search.UserEmail.Trim();
            var normalized = email.ToUpperInvariant();
            var userId = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Id).FirstOrDefaultAsync(cancellationToken);
            query = query.Where(a => a.Actor == (userId ?? email));
        }

        if (!string.IsNullOrWhiteSpace(search.Unit))
        {
            var unit = search.Unit.Trim();
            query = query.Where(a => a.Unit == unit);
        }

        if (search.From is { } start)
        {
            query = query.Where(a => a.At >= start);
        }

        if (search.Until is { } end)
        {
            query = query.Where(a => a.At < end);
        }

        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(search.MaxRows).ToListAsync(cancellationToken);
        var actorIds = rows.Select(r => r.Actor).Distinct().ToList();
        var userNames = await db.Users.Where(u => actorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        var patientIds = rows.Where(r => r.PatientId is not null).Select(r => r.PatientId!.Value).Distinct().ToList();
        var numbers = (await db.Patients.Where(p => patientIds.Contains(p.Id)).Select(p => new { p.Id, p.IdentityNumber }).ToListAsync(cancellationToken))
            .ToDictionary(p => p.Id, p => p.IdentityNumber.ToString());

        if (patientId is not null || patientIds.Count > 0)
        {
            await audit.RecordNowAsync(AuditAction.ViewAudit, ChangeChannel.Admin, patientId, new { rows = rows.Count }, cancellationToken: cancellationToken);
        }

        return new AuditSearchResult(rows, userNames, numbers, patientId);
    }

    /// <summary>The patient's extract (Patientdatalagen 8 kap. 6 §), logged; null when no such patient.</summary>
    public async Task<AuditExtract?> ExtractAsync(PersonalIdentityNumber id, CancellationToken cancellationToken)
    {
        var patientId = await db.Patients.Where(p => p.IdentityNumber == id).Select(p => (long?)p.Id).FirstOrDefaultAsync(cancellationToken);
        if (patientId is null)
        {
            return null;
        }

        var rows = await db.AuditEvents.AsNoTracking().Where(a => a.PatientId == patientId && a.Succeeded).OrderBy(a => a.At).ToListAsync(cancellationToken);
        var names = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.HsaId.Value, u => u.Name, cancellationToken);
        await audit.RecordNowAsync(AuditAction.ViewAudit, ChangeChannel.Admin, patientId, new { extract = true, rows = rows.Count }, cancellationToken: cancellationToken);
        return new AuditExtract(id.ToString(), rows, names);
    }
}
