using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Migration;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// Applies a migration outcome to the aggregates through their own methods, so that both write paths (raw
/// SQLite and EF) store exactly what the domain would: the same statuses, blocks, numbers, comment and Version.
/// </summary>
internal static class VasAggregates
{
    /// <summary>A new patient as the migration (a register source, R15) delivers them. The name comes from the register later.</summary>
    public static Patient NewPatient(VasRow row, VasMigrationOutcome outcome)
    {
        var patient = Patient.Create(row.IdentityNumber, string.Empty);
        patient.UpdateFromRegister(string.Empty, row.ProtectedIdentity, outcome.Mobile, outcome.MobileUpdatedAt, row.SmsConsent);
        return patient;
    }

    /// <summary>
    /// R36: a patient who exists but was never migrated (the register delivered them first), on either write path: the
    /// row is merged into the patient (<see cref="MergeRegister"/>), and their setting is created or changed by the
    /// outcome; a new setting is added to <paramref name="db"/>.
    /// </summary>
    public static void MergeExisting(RemindersDbContext db, Patient patient, ReminderSetting? setting, VasWrite write, ChangeContext context)
    {
        MergeRegister(patient, write.Row, write.Outcome);
        if (setting is null)
        {
            db.ReminderSettings.Add(NewSetting(patient.Id, patient, write.Outcome, context));
        }
        else
        {
            Apply(setting, patient, write.Outcome, context);
        }
    }

    /// <summary>
    /// A patient the register delivered before the migration: the mobile is replaced only by a newer delivery,
    /// protected identity and the 1177 consent flag are only ever set, never cleared.
    /// </summary>
    public static void MergeRegister(Patient patient, VasRow row, VasMigrationOutcome outcome)
    {
        var mobile = patient.Mobile;
        var mobileUpdatedAt = patient.MobileUpdatedAt;
        if (outcome.Mobile is not null
            && (patient.Mobile is null || (outcome.MobileUpdatedAt ?? Instant.MinValue) > (patient.MobileUpdatedAt ?? Instant.MinValue)))
        {
            mobile = outcome.Mobile;
            mobileUpdatedAt = outcome.MobileUpdatedAt;
        }

        patient.UpdateFromRegister(patient.Name, patient.ProtectedIdentity || row.ProtectedIdentity, mobile, mobileUpdatedAt, patient.ConsentIn1177 || row.SmsConsent);
    }

    /// <summary>A new setting for a patient never migrated, with the outcome applied.</summary>
    public static ReminderSetting NewSetting(long patientId, Patient patient, VasMigrationOutcome outcome, ChangeContext context)
    {
        var setting = ReminderSetting.CreateFor(patientId);
        Apply(setting, patient, outcome, context);
        return setting;
    }

    /// <summary>
    /// Applies the outcome to a setting not yet migrated. Staff's changes win: only a never-activated setting
    /// is activated or given a migration reason; guardian numbers already registered are kept.
    /// </summary>
    public static void Apply(ReminderSetting setting, Patient patient, VasMigrationOutcome outcome, ChangeContext context)
    {
        if (setting.Status == ReminderStatus.NotActivated)
        {
            if (patient.ProtectedIdentity)
            {
                setting.MarkNotActivatedByMigration(NotActivatedReason.ProtectedIdentity, context);
            }
            else if (outcome.Activate)
            {
                Require(setting.Activate(patient, context));
            }
            else if (outcome.NotActivatedReason != NotActivatedReason.None)
            {
                setting.MarkNotActivatedByMigration(outcome.NotActivatedReason, context);
            }
        }

        // R32 (rev. 2): blocks in force only with carry-blocks; otherwise kept as VAS blocks (history).
        foreach (var unit in outcome.Blocks)
        {
            if (outcome.BlocksInForce)
            {
                setting.Block(unit, context);
            }
            else
            {
                setting.KeepVasBlock(unit, context.At);
            }
        }

        if (outcome.GuardianNumbers.Count > 0 && setting.GuardianNumbers.Count == 0 && !patient.ProtectedIdentity)
        {
            Require(setting.SetGuardianNumbers(patient, outcome.GuardianNumbers, context));
        }

        setting.AddComment(context.At, outcome.Comment);
    }

    private static void Require(Result result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"The migration rules and the aggregate disagree: {string.Join("; ", result.Reasons)}.");
        }
    }
}
