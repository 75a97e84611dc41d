using System.Globalization;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Units;
using Reminders.Application.Patients;

namespace Reminders.Application.Reports;

/// <summary>A patient as the reports list them: internal id (for the check-in link), identity number and name; never a phone number.</summary>
public sealed record ReportPatient(long Id, string IdentityNumber, string Name, bool ProtectedIdentity)
{
    public static ReportPatient From(Patient p) => new(p.Id, p.IdentityNumber.Value, p.Name, p.ProtectedIdentity);

    /// <summary>The other engineer's check-in page for the patient.</summary>
    public string CheckInUrl => "/CheckIn/Patient?id=" + Id.ToString(CultureInfo.InvariantCulture);
}

/// <summary>R60 (R32, R33): a unit's counts on the overview: patients blocking it, patients the migration left out.</summary>
public sealed record UnitCounts(int Blocked, int LeftOutByMigration);

/// <summary>R60: a patient blocking one of the manager's units.</summary>
public sealed record BlockedRow(CareUnit Unit, ReportPatient Patient, Instant BlockedAt, HsaId? RegisteredAtUnit, string? RegisteredAtName, ChangeChannel Channel, IReadOnlyList<Instant> UpcomingBookings);

/// <summary>R60 (R32, R33): a count in the region's table shape.</summary>
public sealed record MigrationCount(string Clinic, CareUnit? Unit, int UnitBlocks, int MobileBefore13)
{
    public int Total => UnitBlocks + MobileBefore13;
}

/// <summary>R60: a left-out patient with a booking in the coming days, to ask at check-in.</summary>
public sealed record MigrationUpcoming(ReportPatient Patient, NotActivatedReason Reason, CareUnit Unit, Instant Start);

/// <summary>R60 migration report.</summary>
public sealed record MigrationReport(IReadOnlyList<MigrationCount> ByClinic, IReadOnlyList<MigrationCount> ByUnit, IReadOnlyList<MigrationUpcoming> Upcoming, int Days)
{
    public int UnitBlocksTotal { get; init; }

    public int MobileBefore13Total { get; init; }
}

/// <summary>R60b: an activated patient no SMS reaches, with the decider's reasons for their next booking.</summary>
public sealed record UnreachableRow(ReportPatient Patient, CareUnit Unit, Instant Start, IReadOnlyList<Reason> Reasons);

/// <summary>R60b: one mobile number on several adults (masked: last two digits only).</summary>
public sealed record SharedNumberRow(string MaskedNumber, int Adults, IReadOnlyList<ReportPatient> Patients);

/// <summary>A number more than one unprotected adult has, and how many.</summary>
internal sealed record SharedNumberCount(PhoneNumber Mobile, int Adults);

/// <summary>R60b data quality report.</summary>
public sealed record DataQualityReport(IReadOnlyList<UnreachableRow> Unreachable, IReadOnlyList<SharedNumberRow> SharedNumbers);

/// <summary>R61: one unit and month.</summary>
public sealed record NoShowCell(CareUnit Unit, YearMonth Month, int WithReminder, int WithReminderNoShows, int WithoutReminder, int WithoutReminderNoShows)
{
    public double? RateWith => WithReminder == 0 ? null : (double)WithReminderNoShows / WithReminder;

    public double? RateWithout => WithoutReminder == 0 ? null : (double)WithoutReminderNoShows / WithoutReminder;
}

/// <summary>
/// The manager reports (R60, R60b, R61), always for a given set of units (the caller scopes them to the
/// manager's own). Reachability is the decision function's answer (R24), never a second copy of a rule.
/// </summary>
public sealed class ReportQueries(RemindersDbContext db, ISmsPolicySource policy, IClock clock, UnitDirectory unitDirectory)
{
    /// <summary>R60: patients blocking each unit, with when and where the block was registered and their upcoming bookings there.</summary>
    public async Task<IReadOnlyList<BlockedRow>> BlockedAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var names = await UnitNamesAsync(cancellationToken);
        var rows = new List<BlockedRow>();
        foreach (var unit in units)
        {
            var hsa = unit.HsaId;
            // A join from the unit's blocks (index on ReminderBlocks.Unit), not an EXISTS per setting: at a million
            // patients the EXISTS form scanned every setting (about 2 s a unit).
            var blocks = await db.ReminderSettings.AsNoTracking()
                .SelectMany(s => s.Blocks.Where(b => b.Unit == hsa), (s, b) => new { s.PatientId, b.BlockedAt, b.RegisteredAtUnit, b.Channel })
                .ToListAsync(cancellationToken);
            var ids = blocks.Select(b => b.PatientId).ToList();
            var patients = await PatientsAsync(ids, cancellationToken);
            var bookings = (await db.Bookings.AsNoTracking()
                    .Where(b => b.Unit == hsa && b.Status == BookingStatus.Booked && b.Start >= now && ids.Contains(b.PatientId))
                    .Select(b => new { b.PatientId, b.Start }).ToListAsync(cancellationToken))
                .ToLookup(b => b.PatientId, b => b.Start);
            rows.AddRange(blocks.Select(b => new BlockedRow(unit, patients[b.PatientId], b.BlockedAt, b.RegisteredAtUnit,
                b.RegisteredAtUnit is null ? null : names.GetValueOrDefault(b.RegisteredAtUnit.Value), b.Channel,
                bookings[b.PatientId].Order().ToList())));
        }

        return rows.OrderBy(r => r.Unit.Clinic, StringComparer.Ordinal).ThenBy(r => r.Unit.Name, StringComparer.Ordinal)
            .ThenBy(r => r.Patient.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// R60 (R32, R33): per unit, how many patients block it and how many the migration left out (the overview's
    /// counts of <see cref="BlockedAsync"/> and <see cref="MigrationAsync"/>), in one statement per unit: three
    /// counts as subqueries of the unit's own row, each read from its index. The left-out sets cannot overlap (a
    /// setting has one reason), so their counts add up to the migration report's.
    /// </summary>
    public async Task<IReadOnlyDictionary<HsaId, UnitCounts>> UnitCountsAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<HsaId, UnitCounts>();
        foreach (var unit in units)
        {
            counts[unit.HsaId] = await CountsOf(db, unit.HsaId).SingleOrDefaultAsync(cancellationToken) ?? new UnitCounts(0, 0);
        }

        return counts;
    }

    /// <summary>The statement of <see cref="UnitCountsAsync"/> for one unit.</summary>
    internal static IQueryable<UnitCounts> CountsOf(RemindersDbContext db, HsaId unit)
    {
        var blocking = db.ReminderSettings.AsNoTracking().SelectMany(s => s.Blocks.Where(b => b.Unit == unit));
        var byVasBlocks = LeftOutByVasBlocks(db, unit);
        var forMobile = BookedLeftOutForMobile(db, unit);
        return db.Units.AsNoTracking().Where(u => u.HsaId == unit)
            .Select(u => new UnitCounts(blocking.Count(), byVasBlocks.Count() + forMobile.Count()));
    }

    /// <summary>
    /// R60 (R32, R33): patients the migration left out. R32 patients count for the units they blocked in VAS (kept as
    /// VAS blocks, rev. 2), R33 patients for the units of their (not cancelled) bookings. A clinic's count is
    /// distinct patients, so a patient blocking two units of one clinic counts once for the clinic.
    /// </summary>
    public async Task<MigrationReport> MigrationAsync(IReadOnlyList<CareUnit> units, int days, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var until = now + Duration.FromDays(days);
        var perUnit = await LeftOutAsync(units, cancellationToken);
        var upcoming = new List<(long PatientId, NotActivatedReason Reason, CareUnit Unit, Instant Start)>();
        foreach (var unit in days > 0 ? units : [])
        {
            var hsa = unit.HsaId;
            var soon = await (from b in db.Bookings
                              join s in db.ReminderSettings on b.PatientId equals s.PatientId
                              where b.Unit == hsa && b.Status == BookingStatus.Booked && b.Start >= now && b.Start < until
                                    && s.Status == ReminderStatus.NotActivated
                                    && (s.NotActivatedReason == NotActivatedReason.MigrationUnitBlocks || s.NotActivatedReason == NotActivatedReason.MigrationMobileBefore13)
                              select new { b.PatientId, s.NotActivatedReason, b.Start }).ToListAsync(cancellationToken);
            upcoming.AddRange(soon.Select(x => (x.PatientId, x.NotActivatedReason, unit, x.Start)));
        }

        var patients = await PatientsAsync(upcoming.Select(u => u.PatientId).Distinct().ToList(), cancellationToken);
        var byUnit = perUnit.Select(u => new MigrationCount(u.Unit.Clinic, u.Unit, u.Blocks.Count, u.Mobile.Count))
            .OrderBy(c => c.Clinic, StringComparer.Ordinal).ThenBy(c => c.Unit!.Name, StringComparer.Ordinal).ToList();
        var byClinic = perUnit.GroupBy(u => u.Unit.Clinic, StringComparer.Ordinal)
            .Select(g => new MigrationCount(g.Key, null, g.SelectMany(u => u.Blocks).Distinct().Count(), g.SelectMany(u => u.Mobile).Distinct().Count()))
            .OrderByDescending(c => c.Total).ThenBy(c => c.Clinic, StringComparer.Ordinal).ToList();
        return new MigrationReport(byClinic, byUnit,
            upcoming.OrderBy(u => u.Start).Select(u => new MigrationUpcoming(patients[u.PatientId], u.Reason, u.Unit, u.Start)).ToList(), days)
        {
            UnitBlocksTotal = perUnit.SelectMany(u => u.Blocks).Distinct().Count(),
            MobileBefore13Total = perUnit.SelectMany(u => u.Mobile).Distinct().Count(),
        };
    }

    /// <summary>R32 and R33's patients of each unit, as ids (a clinic's counts are distinct over its units).</summary>
    private async Task<List<(CareUnit Unit, HashSet<long> Blocks, HashSet<long> Mobile)>> LeftOutAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken)
    {
        var perUnit = new List<(CareUnit Unit, HashSet<long> Blocks, HashSet<long> Mobile)>();
        foreach (var unit in units)
        {
            var hsa = unit.HsaId;
            var blockers = (await LeftOutByVasBlocks(db, hsa).ToListAsync(cancellationToken)).ToHashSet();
            var booked = await BookedPatients(db, hsa).ToListAsync(cancellationToken);
            var mobile = (await LeftOutForMobile(db, booked).ToListAsync(cancellationToken)).ToHashSet();
            perUnit.Add((unit, blockers, mobile));
        }

        return perUnit;
    }

    /// <summary>
    /// R32 (rev. 2): the patients of the unit's VAS blocks (history kept by the migration) whom it left out because of
    /// them, as the setting marks them (<see cref="VasBlock.PatientLeftOut"/>), from the index (Unit, PatientLeftOut,
    /// PatientId) without reading the settings.
    /// </summary>
    internal static IQueryable<long> LeftOutByVasBlocks(RemindersDbContext db, HsaId unit) =>
        db.Set<VasBlockRow>().AsNoTracking().Where(b => b.Unit == unit && b.PatientLeftOut).Select(b => b.PatientId);

    /// <summary>
    /// R33, first step: the patients of the unit's (not cancelled) bookings, from the index (Unit, Status, PatientId).
    /// Two steps rather than one join: as a join, SQLite read every booking's row, or drove from the tens of thousands
    /// of left-out settings instead.
    /// </summary>
    internal static IQueryable<long> BookedPatients(RemindersDbContext db, HsaId unit) =>
        db.Bookings.AsNoTracking().Where(b => b.Unit == unit && b.Status == BookingStatus.Booked).Select(b => b.PatientId).Distinct();

    /// <summary>
    /// R33 in one statement, for counting: the settings left out for their mobile whose patient has a (not cancelled)
    /// booking at the unit. SQLite reads the settings' index (Status, NotActivatedReason) and looks each up in the
    /// list of the unit's booked patients (<see cref="BookedPatients"/>), built once from its index.
    /// </summary>
    internal static IQueryable<long> BookedLeftOutForMobile(RemindersDbContext db, HsaId unit)
    {
        var booked = BookedPatients(db, unit);
        return LeftOutForMobile(db).Where(s => booked.Contains(s.PatientId)).Select(s => s.PatientId);
    }

    /// <summary>
    /// R33, second step: those of <paramref name="patients"/> the migration left out for their mobile (index on Status,
    /// NotActivatedReason). The ids go as one JSON parameter: expanded into one parameter each (EF's default), the
    /// statement differed with every count and was translated and prepared again on each view.
    /// </summary>
    internal static IQueryable<long> LeftOutForMobile(RemindersDbContext db, List<long> patients) =>
        LeftOutForMobile(db).Where(s => EF.Parameter(patients).Contains(s.PatientId)).Select(s => s.PatientId);

    /// <summary>R33: the settings the migration left out for their mobile (index on Status, NotActivatedReason).</summary>
    private static IQueryable<ReminderSetting> LeftOutForMobile(RemindersDbContext db) =>
        db.ReminderSettings.AsNoTracking()
            .Where(s => s.Status == ReminderStatus.NotActivated && s.NotActivatedReason == NotActivatedReason.MigrationMobileBefore13);

    /// <summary>
    /// R60b for the patients of the units: those with a booking there from now on. Unreachable = activated, not
    /// protected, and a booking there whose decision names a recipient reason (<see cref="Reasons.NoRecipient"/>: R10,
    /// R11, R12, R16), listed once per unit at the first such booking. Shared numbers = a mobile of such a patient that
    /// is also the mobile of another adult (18+) in the region; protected patients are left out (R14: their numbers are
    /// never shown, even masked).
    /// </summary>
    public async Task<DataQualityReport> DataQualityAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken) =>
        new(await UnreachableAsync(units, cancellationToken), await SharedNumbersAsync(await BookedPatientsAsync(units, cancellationToken), cancellationToken));

    /// <summary>
    /// R60b: the unreachable patients of each unit with the decision's reasons (the data-quality report). Only the
    /// candidates are read (<see cref="NotReached"/>), and each is decided again here, so the reasons shown are the
    /// decision function's own.
    /// </summary>
    public async Task<IReadOnlyList<UnreachableRow>> UnreachableAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var rows = new List<UnreachableRow>();
        foreach (var unit in units)
        {
            var candidates = await NotReached(db, unit.HsaId, now).ToListAsync(cancellationToken);
            var listed = new HashSet<long>();
            foreach (var (candidate, patient, reasons) in (await DecideAsync(unit, candidates, cancellationToken)).OrderBy(d => d.Candidate.Start))
            {
                if (listed.Add(candidate.PatientId))
                {
                    rows.Add(new UnreachableRow(ReportPatient.From(patient), unit, candidate.Start, reasons));
                }
            }
        }

        return rows.OrderBy(u => u.Unit.Name, StringComparer.Ordinal).ThenBy(u => u.Start).ToList();
    }

    /// <summary>
    /// R60b: per unit, the ids of the unreachable patients (the overview and the region view count them). The answer
    /// the planner stored with each booking is counted as it is: it is written in the same transaction as every change
    /// that can alter it (a desk change, a register update, a booking), so the count is never behind the desk, and it
    /// already leaves out patients the reports do not count (<see cref="BookingReach.NotActivated"/>), so the count reads
    /// the bookings' partial index alone. Bookings not decided yet (stored before the answer was, until the replanning
    /// job has planned them) are decided here.
    /// </summary>
    public async Task<IReadOnlyDictionary<HsaId, HashSet<long>>> UnreachablePatientsAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var result = new Dictionary<HsaId, HashSet<long>>();
        foreach (var unit in units)
        {
            var ids = (await StoredUnreachable(db, unit.HsaId, now).ToListAsync(cancellationToken)).ToHashSet();
            var undecided = (await NotDecided(db, unit.HsaId, now).ToListAsync(cancellationToken)).Where(c => !ids.Contains(c.PatientId)).ToList();
            foreach (var decided in await DecideAsync(unit, undecided, cancellationToken))
            {
                ids.Add(decided.Candidate.PatientId);
            }

            result[unit.HsaId] = ids;
        }

        return result;
    }

    /// <summary>Most patients listed per shared number (R60b); the count of adults is always complete.</summary>
    public const int SharedNumberListLimit = 20;

    /// <summary>A booking that may reach nobody (R60b): stored so, or not decided yet.</summary>
    internal sealed record Candidate(long BookingId, long PatientId, Instant Start, BookingReach Reach);

    /// <summary>
    /// R60b's candidates at a unit: booked from now on, of an activated patient without protected identity, whose stored
    /// answer is "reaches nobody" or not decided yet.
    /// </summary>
    internal static IQueryable<Candidate> NotReached(RemindersDbContext db, HsaId unit, Instant now) => Candidates(db, Open(db, unit, now));

    /// <summary>The candidates not decided yet (<see cref="BookingReach.Undecided"/>): decided in memory until planned.</summary>
    internal static IQueryable<Candidate> NotDecided(RemindersDbContext db, HsaId unit, Instant now) =>
        Candidates(db, Open(db, unit, now).Where(b => b.Reach == BookingReach.Undecided));

    /// <summary>
    /// R60b: the patients whose stored answer at the unit is "reaches nobody", from the bookings' covering partial index
    /// alone (the answer is stored only for patients the reports count, <see cref="StoredReach"/>).
    /// </summary>
    internal static IQueryable<long> StoredUnreachable(RemindersDbContext db, HsaId unit, Instant now) =>
        Open(db, unit, now).Where(b => b.Reach == BookingReach.NoRecipient).Select(b => b.PatientId).Distinct();

    /// <summary>
    /// The bookings of the partial index (Unit, Start, Status, PatientId, Reach) filtered on <c>Reach &lt;&gt; 1 AND
    /// Reach &lt;&gt; 3</c>: booked at the unit from now on, reaching nobody or not decided yet. The filter's constants
    /// are repeated here (EF inlines them), since SQLite and SQL Server use a partial index only for a query that
    /// states its filter.
    /// </summary>
    private static IQueryable<Booking> Open(RemindersDbContext db, HsaId unit, Instant now) =>
        db.Bookings.AsNoTracking().Where(b => b.Unit == unit && b.Reach != BookingReach.Reachable && b.Reach != BookingReach.NotActivated
                                              && b.Status == BookingStatus.Booked && b.Start >= now);

    private static IQueryable<Candidate> Candidates(RemindersDbContext db, IQueryable<Booking> bookings) =>
        from b in bookings
        join s in db.ReminderSettings on b.PatientId equals s.PatientId
        where s.Status == ReminderStatus.Activated
        join p in db.Patients on b.PatientId equals p.Id
        where !p.ProtectedIdentity
        select new Candidate(b.Id, b.PatientId, b.Start, b.Reach);

    /// <summary>Decides each candidate (R24) and keeps those no SMS reaches, with the decision's recipient reasons.</summary>
    private async Task<List<(Candidate Candidate, Patient Patient, IReadOnlyList<Reason> Reasons)>> DecideAsync(
        CareUnit unit, List<Candidate> candidates, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return [];
        }

        var now = clock.GetCurrentInstant();
        var bookingIds = candidates.Select(c => c.BookingId).ToList();
        var patientIds = candidates.Select(c => c.PatientId).Distinct().ToList();
        var bookings = await db.Bookings.AsNoTracking().Where(b => bookingIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, cancellationToken);
        var patients = await db.Patients.AsNoTracking().Where(p => patientIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var settings = await db.ReminderSettings.AsNoTracking().Where(s => patientIds.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId, cancellationToken);
        var unreachable = new List<(Candidate, Patient, IReadOnlyList<Reason>)>();
        foreach (var candidate in candidates)
        {
            if (bookings.GetValueOrDefault(candidate.BookingId) is not { } booking || patients.GetValueOrDefault(candidate.PatientId) is not { } patient
                || settings.GetValueOrDefault(candidate.PatientId) is not { } setting)
            {
                continue;
            }

            var decision = ReminderDecider.Decide(patient, setting, unit, booking, now, policy.Current);
            var reasons = decision.ReasonsFor(SmsKind.Reminder).Where(r => Reasons.NoRecipient.Any(r.Is)).ToList();
            if (reasons.Count > 0)
            {
                unreachable.Add((candidate, patient, reasons));
            }
        }

        return unreachable;
    }

    /// <summary>The patients with a booking at the units from now on (shared numbers are looked for among their mobiles).</summary>
    private async Task<Dictionary<long, Patient>> BookedPatientsAsync(IReadOnlyList<CareUnit> units, CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        var ids = new HashSet<long>();
        foreach (var unit in units)
        {
            var hsa = unit.HsaId;
            ids.UnionWith(await db.Bookings.AsNoTracking()
                .Where(b => b.Unit == hsa && b.Status == BookingStatus.Booked && b.Start >= now).Select(b => b.PatientId).ToListAsync(cancellationToken));
        }

        var list = ids.ToList();
        return await db.Patients.AsNoTracking().Where(p => list.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }

    /// <summary>
    /// R60b shared numbers, counted in SQL: one grouped count of the adult, unprotected patients per mobile of the
    /// units' patients, then at most <see cref="SharedNumberListLimit"/> of them per shared number, by name. Loading
    /// everyone on those numbers instead was unbounded: a care home's number, or the test series' 95 numbers on a
    /// million patients (~700 000 rows for one overview).
    /// </summary>
    private async Task<IReadOnlyList<SharedNumberRow>> SharedNumbersAsync(Dictionary<long, Patient> unitPatients, CancellationToken cancellationToken)
    {
        var mobiles = unitPatients.Values.Select(p => ShownNumbers.Of(p).Mobile).OfType<PhoneNumber>().Distinct().ToList();
        if (mobiles.Count == 0)
        {
            return [];
        }

        var today = Stockholm.DateOf(clock.GetCurrentInstant());
        var counts = await SharedNumberCounts(db, mobiles, today).ToListAsync(cancellationToken);
        var rows = new List<SharedNumberRow>();
        foreach (var number in counts)
        {
            var listed = await SharedNumberListed(db, number.Mobile, today).ToListAsync(cancellationToken);
            rows.Add(new SharedNumberRow(ShownNumbers.Masked(number.Mobile.Value), number.Adults,
                listed.OrderBy(p => p.Name, StringComparer.Ordinal).Select(ReportPatient.From).ToList()));
        }

        return rows.OrderByDescending(r => r.Adults).ThenBy(r => r.MaskedNumber, StringComparer.Ordinal).ToList();
    }

    /// <summary>The numbers among <paramref name="mobiles"/> that more than one unprotected adult has, with how many.</summary>
    internal static IQueryable<SharedNumberCount> SharedNumberCounts(RemindersDbContext db, List<PhoneNumber> mobiles, LocalDate today) =>
        AdultsOn(db, mobiles, today).GroupBy(p => p.Mobile)
            .Where(g => g.Count() > 1)
            .Select(g => new SharedNumberCount(g.Key!, g.Count()));

    /// <summary>The first <see cref="SharedNumberListLimit"/> unprotected adults on <paramref name="mobile"/>, by name.</summary>
    internal static IQueryable<Patient> SharedNumberListed(RemindersDbContext db, PhoneNumber mobile, LocalDate today) =>
        AdultsOn(db, [mobile], today).OrderBy(p => p.Name).ThenBy(p => p.Id).Take(SharedNumberListLimit);

    /// <summary>
    /// The unprotected adults on the numbers: adult by the domain's rule (<see cref="Age.LastAdultBirthDateOn"/>) on the
    /// stored birth date (index on Mobile first, then the date). Protected patients are left out in the query (R14:
    /// their numbers are never shown, not even counted on a masked number); the rows read are mapped through
    /// <see cref="ShownNumbers"/> like every other view.
    /// </summary>
    internal static IQueryable<Patient> AdultsOn(RemindersDbContext db, List<PhoneNumber> mobiles, LocalDate today)
    {
        var lastBirthDate = Age.LastAdultBirthDateOn(today);
        return db.Patients.AsNoTracking()
            .Where(p => p.Mobile != null && mobiles.Contains(p.Mobile) && !p.ProtectedIdentity && p.BirthDate <= lastBirthDate);
    }

    /// <summary>
    /// R61: per unit and local month of the start, bookings with a recorded outcome, split by whether a
    /// reminder was sent for them (an SMS of kind Reminder with status Sent or Delivered: the gateway
    /// accepted it; delivery reports may never come, so Delivered alone would undercount).
    /// </summary>
    public async Task<IReadOnlyList<NoShowCell>> NoShowsAsync(IReadOnlyList<CareUnit> units, YearMonth from, YearMonth to, CancellationToken cancellationToken)
    {
        var start = Stockholm.ToInstant(from.OnDayOfMonth(1).AtMidnight());
        var end = Stockholm.ToInstant(to.PlusMonths(1).OnDayOfMonth(1).AtMidnight());
        var cells = new List<NoShowCell>();
        foreach (var unit in units)
        {
            var hsa = unit.HsaId;
            var rows = await db.Bookings.AsNoTracking()
                .Where(b => b.Unit == hsa && b.Outcome != BookingOutcome.None && b.Start >= start && b.Start < end)
                .Select(b => new
                {
                    b.Start,
                    b.Outcome,
                    Reminded = db.Messages.Any(m => m.BookingId == b.Id && m.Kind == SmsKind.Reminder && (m.Status == SmsStatus.Sent || m.Status == SmsStatus.Delivered)),
                })
                .ToListAsync(cancellationToken);
            foreach (var month in rows.GroupBy(r => YearMonthOf(r.Start)).OrderBy(g => g.Key))
            {
                var with = month.Where(r => r.Reminded).ToList();
                var without = month.Where(r => !r.Reminded).ToList();
                cells.Add(new NoShowCell(unit, month.Key, with.Count, with.Count(r => r.Outcome == BookingOutcome.NoShow),
                    without.Count, without.Count(r => r.Outcome == BookingOutcome.NoShow)));
            }
        }

        return cells;
    }

    /// <summary>The local month of an instant.</summary>
    public static YearMonth YearMonthOf(Instant instant)
    {
        var date = Stockholm.DateOf(instant);
        return new YearMonth(date.Year, date.Month);
    }

    private async Task<Dictionary<long, ReportPatient>> PatientsAsync(List<long> ids, CancellationToken cancellationToken) =>
        (await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken)).ToDictionary(p => p.Id, ReportPatient.From);

    private async Task<Dictionary<string, string>> UnitNamesAsync(CancellationToken cancellationToken) =>
        (await unitDirectory.AllAsync(cancellationToken)).ToDictionary(u => u.HsaId.Value, u => u.Name, StringComparer.Ordinal);
}
