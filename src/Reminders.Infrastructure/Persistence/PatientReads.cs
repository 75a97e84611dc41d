using Microsoft.EntityFrameworkCore;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;

namespace Reminders.Infrastructure.Persistence;

/// <summary>A patient with their reminder setting, as the read paths show them (untracked).</summary>
public sealed record PatientWithSetting(Patient Patient, ReminderSetting Setting);

/// <summary>Reads shared by the read pages and the API, compiled once (EF skips the expression work per call).</summary>
public static class PatientReads
{
    private static readonly Func<RemindersDbContext, long, CancellationToken, Task<PatientWithSetting?>> WithSetting = EF.CompileAsyncQuery(
        (RemindersDbContext db, long id, CancellationToken ct) =>
            (from p in db.Patients.AsNoTracking()
             join s in db.ReminderSettings.AsNoTracking() on p.Id equals s.PatientId
             where p.Id == id
             select new PatientWithSetting(p, s)).SingleOrDefault());

    /// <summary>The patient and their setting in one query, untracked; null when the patient does not exist.</summary>
    public static Task<PatientWithSetting?> WithSettingAsync(RemindersDbContext db, long patientId, CancellationToken cancellationToken) =>
        WithSetting(db, patientId, cancellationToken);
}
