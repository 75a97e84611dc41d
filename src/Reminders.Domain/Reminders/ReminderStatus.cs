using NodaTime;
using Reminders.Domain.Units;

namespace Reminders.Domain.Reminders;

/// <summary>The patient's regional reminder status (R1, R2, R5, R6).</summary>
public enum ReminderStatus
{
    /// <summary>Never activated here (R1): "never asked" or left out by the migration.</summary>
    NotActivated,

    /// <summary>Activated for every unit that uses SMS (R2).</summary>
    Activated,

    /// <summary>Deactivated: the patient wants no SMS at all (R5).</summary>
    Deactivated,

    /// <summary>Answered no at check-in (R6).</summary>
    Declined,
}

/// <summary>Why a patient is not activated, where a rule says so (R14, R32, R33).</summary>
public enum NotActivatedReason
{
    /// <summary>No specific reason.</summary>
    None,

    /// <summary>R32: the VAS migration left the patient out because of unit blocks.</summary>
    MigrationUnitBlocks,

    /// <summary>R33: the VAS migration left the patient out because the mobile predates the 13th birthday.</summary>
    MigrationMobileBefore13,

    /// <summary>R14/R34: protected identity.</summary>
    ProtectedIdentity,
}

/// <summary>How a change was made (R55).</summary>
public enum ChangeChannel
{
    /// <summary>By reception staff at arrival registration or on the patient page.</summary>
    CheckIn,

    /// <summary>Applying a 1177 e-service request (R45).</summary>
    EService,

    /// <summary>The VAS migration (R30–R36).</summary>
    Migration,

    /// <summary>By the product itself (R13 at the 13th birthday).</summary>
    Automatic,

    /// <summary>Through the integration API.</summary>
    Api,

    /// <summary>By an admin on the product's admin pages (units, imports).</summary>
    Admin,

    /// <summary>Staff pages that change no reminder setting: signing in, the account, reports (audit rows only).</summary>
    Web,

    /// <summary>The product's command line (creating the first admin account).</summary>
    Command,
}

/// <summary>Who-where-when-how of a change, as the aggregate needs it.</summary>
/// <param name="At">When.</param>
/// <param name="Unit">The unit where the change was made, when there is one.</param>
/// <param name="Channel">How.</param>
public sealed record ChangeContext(Instant At, HsaId? Unit, ChangeChannel Channel);

/// <summary>A unit the patient blocks (R3).</summary>
/// <param name="Unit">The blocked unit.</param>
/// <param name="BlockedAt">When the block was registered.</param>
/// <param name="RegisteredAtUnit">Where the request was made (any unit may register it).</param>
/// <param name="Channel">How it was registered.</param>
public sealed record UnitBlock(HsaId Unit, Instant BlockedAt, HsaId? RegisteredAtUnit, ChangeChannel Channel);

/// <summary>R32 (rev. 2): a unit the patient had blocked in VAS, kept as history and not in force.</summary>
/// <param name="Unit">The unit blocked in VAS.</param>
/// <param name="MigratedAt">When the migration brought it over.</param>
public sealed record VasBlock(HsaId Unit, Instant MigratedAt)
{
    /// <summary>
    /// R32, R60: true while the patient is not activated because of their VAS blocks (the migration left them out),
    /// kept so by the setting on every status change, so a manager's count of them per unit reads these rows alone.
    /// </summary>
    public bool PatientLeftOut { get; internal set; }
}

/// <summary>A guardian's number for a child under 13 (R11).</summary>
/// <param name="Number">The number, a mobile (R16).</param>
/// <param name="AddedAt">When it was registered.</param>
public sealed record GuardianNumber(Phones.PhoneNumber Number, Instant AddedAt);

/// <summary>An entry of the reminder comment log (e.g. R30's <c>RPA-migrerat</c>).</summary>
/// <param name="At">When.</param>
/// <param name="Text">The comment.</param>
public sealed record ReminderComment(Instant At, string Text);
