using NodaTime;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;

namespace Reminders.Domain.Migration;

/// <summary>Why the migration leaves a patient not activated; the report's <c>notActivated</c> buckets.</summary>
public enum VasNotActivatedCause
{
    /// <summary>The patient is activated.</summary>
    None,

    /// <summary>R31: no consent in VAS.</summary>
    NoConsent,

    /// <summary>R32: consented but had blocked units.</summary>
    MigrationUnitBlocks,

    /// <summary>R33: the mobile would not count under R12 on the migration date (date before 13, or unknown at 13–17).</summary>
    MigrationMobileBefore13,

    /// <summary>R34: protected identity.</summary>
    ProtectedIdentity,
}

/// <summary>What the migration does with one patient (R30–R35): pure data, applied by the importer.</summary>
/// <param name="Activate">True when the patient is activated (R31).</param>
/// <param name="Cause">Why not activated; <see cref="VasNotActivatedCause.None"/> when activated.</param>
/// <param name="Reasons">Every rule that shaped the outcome, the deciding one first.</param>
/// <param name="Blocks">The units the patient blocked in VAS (R32), in file order.</param>
/// <param name="BlocksInForce">True with carry-blocks: <paramref name="Blocks"/> become blocks in force; otherwise they are kept as VAS blocks, history only (R32, rev. 2).</param>
/// <param name="GuardianNumbers">The guardian numbers to migrate (R35); empty when none are.</param>
/// <param name="Mobile">The patient's own mobile to store (null for protected identity, R34).</param>
/// <param name="MobileUpdatedAt">The mobile's delivery instant (start of the local day), or null.</param>
/// <param name="Comment">The R30 comment.</param>
public sealed record VasMigrationOutcome(
    bool Activate,
    VasNotActivatedCause Cause,
    IReadOnlyList<Reason> Reasons,
    IReadOnlyList<HsaId> Blocks,
    bool BlocksInForce,
    IReadOnlyList<PhoneNumber> GuardianNumbers,
    PhoneNumber? Mobile,
    Instant? MobileUpdatedAt,
    string Comment)
{
    /// <summary>The reason stored on the reminder setting; none for activated and no-consent patients.</summary>
    public NotActivatedReason NotActivatedReason => Cause switch
    {
        VasNotActivatedCause.MigrationUnitBlocks => NotActivatedReason.MigrationUnitBlocks,
        VasNotActivatedCause.MigrationMobileBefore13 => NotActivatedReason.MigrationMobileBefore13,
        VasNotActivatedCause.ProtectedIdentity => NotActivatedReason.ProtectedIdentity,
        _ => NotActivatedReason.None,
    };
}
