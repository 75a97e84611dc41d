using NodaTime;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Time;
using Reminders.Domain.Units;

namespace Reminders.Domain.Reminders;

/// <summary>
/// A patient's reminder setting: the regional status, unit blocks, guardian numbers, the mobile
/// confirmation and the comment log. Every operation either succeeds or returns the rules that refused
/// it; none throws for an expected refusal. <see cref="Version"/> is the concurrency token.
/// </summary>
public sealed class ReminderSetting
{
    /// <summary>At most this many guardian numbers (R11).</summary>
    public const int MaxGuardianNumbers = 2;

    /// <summary>The longest comment stored.</summary>
    public const int MaxCommentLength = 500;

    private readonly List<UnitBlock> _blocks = [];
    private readonly List<VasBlock> _vasBlocks = [];
    private readonly List<GuardianNumber> _guardianNumbers = [];
    private readonly List<ReminderComment> _comments = [];

    private ReminderSetting(long patientId) => PatientId = patientId;

    /// <summary>The patient's internal id.</summary>
    public long PatientId { get; private set; }

    /// <summary>The regional status (R1, R2, R5, R6).</summary>
    public ReminderStatus Status { get; private set; }

    /// <summary>Why not activated, where a rule says so (R14, R32, R33).</summary>
    public NotActivatedReason NotActivatedReason { get; private set; }

    /// <summary>When the status last changed.</summary>
    public Instant? StatusChangedAt { get; private set; }

    /// <summary>Where the status last changed.</summary>
    public HsaId? StatusChangedAtUnit { get; private set; }

    /// <summary>The local date the patient declined (R6).</summary>
    public LocalDate? DeclinedOn { get; private set; }

    /// <summary>The number the patient confirmed as their own at check-in (R12); counts while it is still the mobile.</summary>
    public PhoneNumber? ConfirmedMobile { get; private set; }

    /// <summary>When the patient confirmed <see cref="ConfirmedMobile"/>.</summary>
    public Instant? MobileConfirmedAt { get; private set; }

    /// <summary>Blocked units (R3).</summary>
    public IReadOnlyList<UnitBlock> Blocks => _blocks;

    /// <summary>
    /// R32 (rev. 2): the units the patient had blocked in VAS, kept as history, not in force; staff can register
    /// each again as a real block at check-in.
    /// </summary>
    public IReadOnlyList<VasBlock> VasBlocks => _vasBlocks;

    /// <summary>Guardian numbers (R11), at most two.</summary>
    public IReadOnlyList<GuardianNumber> GuardianNumbers => _guardianNumbers;

    /// <summary>The comment log, oldest first.</summary>
    public IReadOnlyList<ReminderComment> Comments => _comments;

    /// <summary>Concurrency token: changes with every change, so two receptionists never overwrite each other.</summary>
    public int Version { get; private set; }

    /// <summary>A new, never-activated setting (R1).</summary>
    public static ReminderSetting CreateFor(long patientId) => new(patientId);

    /// <summary>True when <paramref name="unit"/> is blocked (R3).</summary>
    public bool IsBlocked(HsaId unit)
    {
        // A loop rather than a lambda: the decision function asks this for every booking (issue #9).
        foreach (var block in _blocks)
        {
            if (block.Unit == unit)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the patient's mobile counts as their own for a contact on <paramref name="onDate"/> (R12).</summary>
    public bool MobileIsOwn(Patient patient, LocalDate onDate) =>
        patient.Mobile is not null && !Age.IsChildOn(patient.BirthDate, onDate) && WhyMobileIsNotOwn(patient, onDate) is null;

    /// <summary>
    /// R12 (rev. 2): why the patient's mobile does not count as their own for a contact on or after the 13th
    /// birthday on <paramref name="onDate"/>, or null when it counts. It counts when any of these holds:
    /// <list type="bullet">
    /// <item>the patient confirmed this very number at the desk on or after the day 30 days before the 13th
    /// birthday (a confirmation belongs to the number confirmed); a number registered at the desk under R15b
    /// counts as confirmed when registered;</item>
    /// <item>its known update date (from 1177 or VAS) is on or after the 13th birthday;</item>
    /// <item>its update date is unknown and the patient is 18 or older on <paramref name="onDate"/>.</item>
    /// </list>
    /// A known date before the 13th birthday never counts without a confirmation, at any age.
    /// </summary>
    /// <returns><see cref="Reasons.MobileRegisteredBefore13"/>, <see cref="Reasons.MobileDateUnknown"/> or null.</returns>
    public Reason? WhyMobileIsNotOwn(Patient patient, LocalDate onDate)
    {
        var firstConfirmation = Age.FirstConfirmationDate(patient.BirthDate);
        if (patient.Mobile is not null && ConfirmedMobile == patient.Mobile && MobileConfirmedAt is { } confirmed && Stockholm.DateOf(confirmed) >= firstConfirmation)
        {
            return null;
        }

        // R15b: registered at the desk is confirmed at registration (MobileUpdatedAt is the registration).
        if (patient.MobileSource == MobileSource.StaffAtCheckIn && patient.MobileUpdatedAt is { } registered && Stockholm.DateOf(registered) >= firstConfirmation)
        {
            return null;
        }

        if (patient.MobileUpdatedAt is { } updated)
        {
            return Stockholm.DateOf(updated) >= Age.ThirteenthBirthday(patient.BirthDate) ? null : Reasons.MobileRegisteredBefore13;
        }

        return Age.IsAdultOn(patient.BirthDate, onDate) ? null : Reasons.MobileDateUnknown;
    }

    /// <summary>R1, R2: activate for every unit that uses SMS. Refused for protected identity (R14).</summary>
    public Result Activate(Patient patient, ChangeContext context)
    {
        if (patient.ProtectedIdentity)
        {
            return Result.Refused(Reasons.ProtectedIdentity);
        }

        if (Status != ReminderStatus.Activated)
        {
            SetStatus(ReminderStatus.Activated, context);
        }

        return Result.Ok;
    }

    /// <summary>R5: deactivate (the patient wants no SMS at all). Idempotent.</summary>
    public Result Deactivate(ChangeContext context)
    {
        if (Status != ReminderStatus.Deactivated)
        {
            SetStatus(ReminderStatus.Deactivated, context);
        }

        return Result.Ok;
    }

    /// <summary>R6: record that the patient answered no at check-in, with date and unit.</summary>
    public Result Decline(ChangeContext context)
    {
        if (Status == ReminderStatus.Activated)
        {
            return Result.Refused(Reasons.DeclineWhileActivated);
        }

        SetStatus(ReminderStatus.Declined, context);
        DeclinedOn = Stockholm.DateOf(context.At);
        return Result.Ok;
    }

    /// <summary>R3: block a unit. Any staff member at any unit may register it. Idempotent.</summary>
    public Result Block(HsaId unit, ChangeContext context)
    {
        if (!IsBlocked(unit))
        {
            _blocks.Add(new UnitBlock(unit, context.At, context.Unit, context.Channel));
            Touch();
        }

        return Result.Ok;
    }

    /// <summary>R32 (rev. 2): keeps a unit the patient blocked in VAS as history (not a block in force). Idempotent.</summary>
    public void KeepVasBlock(HsaId unit, Instant migratedAt)
    {
        foreach (var block in _vasBlocks)
        {
            if (block.Unit == unit)
            {
                return;
            }
        }

        _vasBlocks.Add(new VasBlock(unit, migratedAt));
        MarkVasBlocks();
        Touch();
    }

    /// <summary>
    /// R32 (rev. 2), existing data: the blocks a migration without carry-blocks put in force (channel
    /// <see cref="ChangeChannel.Migration"/>, as revision 1 did) become VAS blocks. Blocks staff or the resident
    /// registered stay in force. Returns how many were converted.
    /// </summary>
    public int ConvertMigratedBlocksToVasBlocks()
    {
        var converted = 0;
        foreach (var block in _blocks)
        {
            if (block.Channel == ChangeChannel.Migration)
            {
                KeepVasBlock(block.Unit, block.BlockedAt);
                converted++;
            }
        }

        if (converted > 0)
        {
            _blocks.RemoveAll(b => b.Channel == ChangeChannel.Migration);
            Touch();
        }

        return converted;
    }

    /// <summary>R3: remove a block. Idempotent.</summary>
    public Result Unblock(HsaId unit)
    {
        if (_blocks.RemoveAll(b => b.Unit == unit) > 0)
        {
            Touch();
        }

        return Result.Ok;
    }

    /// <summary>
    /// R11, R13, R14, R16: replace the guardian numbers. Refused at 13 or older (except clearing them),
    /// for protected identity, for more than two numbers and for numbers that are not mobiles.
    /// Duplicates are kept once.
    /// </summary>
    public Result SetGuardianNumbers(Patient patient, IReadOnlyList<PhoneNumber> numbers, ChangeContext context)
    {
        var distinct = numbers.Distinct().ToList();
        var reasons = new List<Reason>();
        if (distinct.Count > 0)
        {
            if (patient.ProtectedIdentity)
            {
                reasons.Add(Reasons.ProtectedIdentity);
            }

            if (!Age.IsChildOn(patient.BirthDate, Stockholm.DateOf(context.At)))
            {
                reasons.Add(Reasons.GuardianNumbersAt13);
            }

            if (distinct.Count > MaxGuardianNumbers)
            {
                reasons.Add(Reasons.TooManyGuardianNumbers);
            }

            if (distinct.Exists(n => !n.IsMobile))
            {
                reasons.Add(Reasons.NotMobile);
            }
        }

        if (reasons.Count > 0)
        {
            return Result.Refused(reasons);
        }

        if (distinct.SequenceEqual(_guardianNumbers.Select(g => g.Number)))
        {
            return Result.Ok;
        }

        var kept = _guardianNumbers.Where(g => distinct.Contains(g.Number)).ToDictionary(g => g.Number);
        _guardianNumbers.Clear();
        _guardianNumbers.AddRange(distinct.Select(n => kept.TryGetValue(n, out var existing) ? existing : new GuardianNumber(n, context.At)));
        Touch();
        return Result.Ok;
    }

    /// <summary>
    /// R13, automatic: on or after the 13th birthday, registered guardian numbers are removed and the
    /// removal is logged in the comment log. Returns true when anything was removed.
    /// </summary>
    public bool RemoveGuardianNumbersAt13(Patient patient, Instant now)
    {
        if (_guardianNumbers.Count == 0 || Age.IsChildOn(patient.BirthDate, Stockholm.DateOf(now)))
        {
            return false;
        }

        var count = _guardianNumbers.Count;
        _guardianNumbers.Clear();
        AddComment(now, $"Vårdnadshavares nummer ({count} st) borttagna automatiskt vid 13 år.");
        return true;
    }

    /// <summary>
    /// R12: the patient confirms at check-in that the mobile is their own. Refused without a mobile, earlier
    /// than 30 days before the 13th birthday and for protected identity.
    /// </summary>
    public Result ConfirmMobileIsOwn(Patient patient, ChangeContext context)
    {
        var reasons = new List<Reason>();
        if (patient.ProtectedIdentity)
        {
            reasons.Add(Reasons.ProtectedIdentity);
        }

        if (patient.Mobile is null)
        {
            reasons.Add(Reasons.NothingToConfirm);
        }
        else if (!patient.Mobile.IsMobile)
        {
            reasons.Add(Reasons.NotMobile);
        }

        // R12 (rev. 2): from 30 days before the 13th birthday, so a booking on the birthday gets its reminder.
        if (Stockholm.DateOf(context.At) < Age.FirstConfirmationDate(patient.BirthDate))
        {
            reasons.Add(Reasons.ConfirmUnder13);
        }

        if (reasons.Count > 0)
        {
            return Result.Refused(reasons);
        }

        ConfirmedMobile = patient.Mobile;
        MobileConfirmedAt = context.At;
        Touch();
        return Result.Ok;
    }

    /// <summary>Adds an entry to the comment log.</summary>
    public void AddComment(Instant at, string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            throw new ArgumentException("A comment needs text.", nameof(text));
        }

        _comments.Add(new ReminderComment(at, text.Length > MaxCommentLength ? text[..MaxCommentLength] : text));
        Touch();
    }

    /// <summary>
    /// R32/R33/R34: the migration leaves the patient not activated, with the reason staff and managers see.
    /// Only applies to a setting nobody has changed since (an activation by staff wins over a re-run);
    /// a re-run with the same reason changes nothing (R36).
    /// </summary>
    public void MarkNotActivatedByMigration(NotActivatedReason reason, ChangeContext context)
    {
        if (Status == ReminderStatus.NotActivated && NotActivatedReason != reason)
        {
            NotActivatedReason = reason;
            StatusChangedAt = context.At;
            StatusChangedAtUnit = context.Unit;
            MarkVasBlocks();
            Touch();
        }
    }

    private void SetStatus(ReminderStatus status, ChangeContext context)
    {
        Status = status;
        NotActivatedReason = NotActivatedReason.None;
        StatusChangedAt = context.At;
        StatusChangedAtUnit = context.Unit;
        if (status != ReminderStatus.Declined)
        {
            DeclinedOn = null;
        }

        MarkVasBlocks();
        Touch();
    }

    /// <summary>R32, R60: each VAS block says whether the patient is left out by the migration because of them.</summary>
    private void MarkVasBlocks()
    {
        var leftOut = Status == ReminderStatus.NotActivated && NotActivatedReason == NotActivatedReason.MigrationUnitBlocks;
        foreach (var block in _vasBlocks)
        {
            block.PatientLeftOut = leftOut;
        }
    }

    private void Touch() => Version++;
}
