using NodaTime;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Time;

namespace Reminders.Domain.Migration;

/// <summary>
/// The VAS migration's decisions for one patient (R30–R35), as a pure function of the row, the go-live
/// date, the migration date and the carry-blocks option.
/// </summary>
/// <remarks>
/// <para>When several exceptions apply, the deciding one is, in this order: R34 protected identity, R31 no
/// consent, R32 unit blocks (unless blocks are carried over), R33 mobile before the 13th birthday. Every
/// applying rule is listed in <see cref="VasMigrationOutcome.Reasons"/>, the deciding one first.</para>
/// <para>R33 (rev. 2): ages are taken on the migration date (the run's date; only R35 uses go-live). A consenting
/// patient with a mobile is not activated when it would not count under R12: 13–17 with <c>mobile_updated</c>
/// before the 13th birthday or empty, or 18 or older with it before the 13th birthday. An adult with an empty date
/// is activated. Both cases report <c>MigrationMobileBefore13</c>.</para>
/// <para>R35: guardian numbers are migrated when the 12th birthday is on or after the go-live date (the child
/// "had not turned 12 before go-live"): a 12th birthday the day before go-live migrates none, on the day of
/// or after go-live migrates them. They are also dropped when the child is 13 on the migration date (R13),
/// and for protected identity (R34, R14), whose own mobile is not stored either.</para>
/// <para>R32 (rev. 2): blocks are kept for every patient (managers see them, R60): for consent J they decide R32.
/// Without carry-blocks they are kept as VAS blocks, history and not in force, so a patient activated later at the
/// desk gets reminders from every unit; with carry-blocks they are blocks in force and the patient is activated.</para>
/// </remarks>
public static class VasMigrationRules
{
    /// <summary>The default go-live date (the region's Cosmic go-live).</summary>
    public static LocalDate DefaultGoLive { get; } = new(2025, 3, 29);

    /// <summary>Decides what the migration does with <paramref name="row"/>.</summary>
    /// <param name="row">The parsed row.</param>
    /// <param name="goLive">The go-live date: R35's ages are taken on it.</param>
    /// <param name="migrationDate">The local date of the migration run: the R30 comment's date, R33's ages, and R13.</param>
    /// <param name="carryBlocks">True to activate consenting patients with blocks and keep the blocks (R32's option).</param>
    public static VasMigrationOutcome Decide(VasRow row, LocalDate goLive, LocalDate migrationDate, bool carryBlocks)
    {
        ArgumentNullException.ThrowIfNull(row);
        var birth = row.IdentityNumber.BirthDate;
        var reasons = new List<Reason>();
        var cause = VasNotActivatedCause.None;

        void Stop(VasNotActivatedCause c, Reason reason)
        {
            if (cause == VasNotActivatedCause.None)
            {
                cause = c;
                reasons.Insert(0, reason);
            }
            else
            {
                reasons.Add(reason);
            }
        }

        if (row.ProtectedIdentity)
        {
            Stop(VasNotActivatedCause.ProtectedIdentity, Reasons.MigrationProtectedIdentity);
        }

        if (!row.SmsConsent)
        {
            Stop(VasNotActivatedCause.NoConsent, Reasons.MigrationNoConsent);
        }

        var hasBlocks = row.BlockedUnits.Count > 0;
        if (row.SmsConsent && hasBlocks)
        {
            if (carryBlocks)
            {
                reasons.Add(Reasons.MigrationBlocksCarried);
            }
            else
            {
                Stop(VasNotActivatedCause.MigrationUnitBlocks, Reasons.MigrationUnitBlocks);
            }
        }

        if (row.SmsConsent && MobileWouldNotCount(birth, row.Mobile is not null, row.MobileUpdated, migrationDate))
        {
            Stop(VasNotActivatedCause.MigrationMobileBefore13, Reasons.MigrationMobileBefore13);
        }

        var guardianNumbers = (IReadOnlyList<PhoneNumber>)[];
        if (row.GuardianNumbers.Count > 0 && !row.ProtectedIdentity)
        {
            if (!GuardianNumbersMigrate(birth, goLive))
            {
                reasons.Add(Reasons.MigrationGuardianNumbersAfter12);
            }
            else if (!Age.IsChildOn(birth, migrationDate))
            {
                reasons.Add(Reasons.GuardianNumbersAt13);
            }
            else
            {
                guardianNumbers = row.GuardianNumbers;
            }
        }

        var activate = cause == VasNotActivatedCause.None;
        if (activate)
        {
            reasons.Insert(0, Reasons.MigrationActivated);
        }

        var mobile = row.ProtectedIdentity ? null : row.Mobile;
        Instant? mobileUpdatedAt = mobile is not null && row.MobileUpdated is { } updated
            ? Stockholm.ToInstant(updated.AtMidnight())
            : null;
        return new VasMigrationOutcome(
            activate,
            cause,
            reasons,
            row.BlockedUnits,
            carryBlocks,
            guardianNumbers,
            mobile,
            mobileUpdatedAt,
            Reasons.MigrationComment(migrationDate));
    }

    /// <summary>
    /// R35: true when the child had not turned 12 before <paramref name="goLive"/>, i.e. the 12th birthday
    /// is on or after it (29 February births turn 12 on 28 February in a non-leap year).
    /// </summary>
    public static bool GuardianNumbersMigrate(LocalDate birthDate, LocalDate goLive) => birthDate.PlusYears(12) >= goLive;

    /// <summary>
    /// R33 (rev. 2): true when a consenting patient's mobile would not count under R12 on
    /// <paramref name="migrationDate"/>, so the migration does not activate them: 13–17 with the update date
    /// before the 13th birthday or unknown, 18 or older with it before the 13th birthday. Children under 13 and
    /// patients without a mobile are not stopped by it (R11, R10 decide at each booking).
    /// </summary>
    public static bool MobileWouldNotCount(LocalDate birthDate, bool hasMobile, LocalDate? mobileUpdated, LocalDate migrationDate)
    {
        if (!hasMobile || Age.IsChildOn(birthDate, migrationDate))
        {
            return false;
        }

        return mobileUpdated is { } updated
            ? updated < Age.ThirteenthBirthday(birthDate)
            : !Age.IsAdultOn(birthDate, migrationDate);
    }
}
