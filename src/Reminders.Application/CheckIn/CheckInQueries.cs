using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Audit;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Units;
using Reminders.Application.Patients;

namespace Reminders.Application.CheckIn;

/// <summary>A state badge: text (never colour alone) and a tone for the style.</summary>
public sealed record ReminderBadge(string Code, string Text, string Tone);

/// <summary>One row of the arrivals list or of a search.</summary>
public sealed record ArrivalRow(long PatientId, string Name, string IdentityNumber, Instant? Start, IReadOnlyList<ReminderBadge> Badges);

/// <summary>A booking with its SMS and the rules that stop the kinds not sent (R24).</summary>
public sealed record BookingExplanation(Booking Booking, string UnitName, IReadOnlyList<OutgoingSms> Messages, Decision Decision);

/// <summary>A row of the patient's change history (R55).</summary>
public sealed record HistoryRow(AuditEvent Event, string ActorName);

/// <summary>R40 (rev. 2): how a patient's "yes, I got an SMS reminder" compares with what the product knows.</summary>
public enum YesCheckKind
{
    /// <summary>Activated, and today's reminder at this unit reached Sent or Delivered.</summary>
    Consistent,

    /// <summary>Activated, with no booking today at this unit to check against.</summary>
    NoBookingToday,

    /// <summary>Not activated (never, declined, deactivated or left out by the migration): no reminder goes out.</summary>
    NotActivated,

    /// <summary>Activated, but today's reminder at this unit did not reach Sent or Delivered.</summary>
    NotSentToday,
}

/// <summary>R40 (rev. 2): the check of a "yes", with the plain Swedish statement and the reasons (R24) behind it.</summary>
/// <param name="Kind">What the check found.</param>
/// <param name="Text">What staff read.</param>
/// <param name="Reasons">The rules that stopped the reminder, from the decision and the SMS themselves.</param>
public sealed record YesCheck(YesCheckKind Kind, string Text, IReadOnlyList<Reason> Reasons)
{
    /// <summary>True when the answer contradicts what the product knows.</summary>
    public bool Contradicts => Kind is YesCheckKind.NotActivated or YesCheckKind.NotSentToday;
}

/// <summary>Everything the patient page shows.</summary>
public sealed record PatientPage(
    Patient Patient,
    ReminderSetting Setting,
    LocalDate Today,
    IReadOnlyList<ReminderBadge> Badges,
    BookingExplanation? Current,
    IReadOnlyList<BookingExplanation> Upcoming,
    IReadOnlyList<CareUnit> Units,
    IReadOnlyList<HistoryRow> History,
    bool CentralReception,
    YesCheck Yes)
{
    /// <summary>The patient's numbers as they may be shown (R14): the page reads numbers from here, never from the entity.</summary>
    public ShownNumbers Numbers { get; } = ShownNumbers.Of(Patient, Setting);
}

/// <summary>
/// The read side of arrival registration (issue #5): today's arrivals, search, and the patient page. Every
/// state shown is derived from <see cref="ReminderDecider.Decide"/> and the setting, never from a copy of a rule.
/// </summary>
public sealed class CheckInQueries(RemindersDbContext db, ISmsPolicySource policy, IClock clock, AuditLog audit, UnitDirectory unitDirectory)
{
    private const int MaxSearchResults = 25;

    /// <summary>Today's local date in Stockholm.</summary>
    public LocalDate Today => Stockholm.DateOf(clock.GetCurrentInstant());

    /// <summary>Today's bookings at <paramref name="unit"/> (local Stockholm date), by time, with each patient's state.</summary>
    public async Task<IReadOnlyList<ArrivalRow>> ArrivalsAsync(HsaId unit, CancellationToken cancellationToken)
    {
        var (from, to) = DayBounds(Today);
        var bookings = await db.Bookings.AsNoTracking()
            .Where(b => b.Unit == unit && b.Start >= from && b.Start < to && b.Status != BookingStatus.Cancelled)
            .ToListAsync(cancellationToken);
        return await RowsAsync(bookings.OrderBy(b => b.Start).ToList(), unit, cancellationToken);
    }

    /// <summary>Every unit's HSA-id (for validating a block).</summary>
    public async Task<IReadOnlyList<string>> UnitIdsAsync(CancellationToken cancellationToken) =>
        (await db.Units.Select(u => u.HsaId).ToListAsync(cancellationToken)).Select(h => h.Value).ToList();

    /// <summary>The patient with this identity number, if any.</summary>
    public async Task<long?> FindAsync(PersonalIdentityNumber number, CancellationToken cancellationToken) =>
        await db.Patients.Where(p => p.IdentityNumber == number).Select(p => (long?)p.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Patients whose name contains <paramref name="name"/>, with today's booking at the unit if any.</summary>
    public async Task<IReadOnlyList<ArrivalRow>> SearchByNameAsync(string name, HsaId unit, CancellationToken cancellationToken)
    {
        var pattern = "%" + name.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var ids = await db.Patients.Where(p => EF.Functions.Like(p.Name, pattern, "\\")).OrderBy(p => p.Name).Select(p => p.Id)
            .Take(MaxSearchResults).ToListAsync(cancellationToken);
        var (from, to) = DayBounds(Today);
        var bookings = await db.Bookings.AsNoTracking()
            .Where(b => ids.Contains(b.PatientId) && b.Unit == unit && b.Start >= from && b.Start < to && b.Status != BookingStatus.Cancelled)
            .ToListAsync(cancellationToken);
        var rows = await RowsAsync(bookings, unit, cancellationToken);
        var withoutBooking = ids.Where(id => !bookings.Exists(b => b.PatientId == id)).ToList();
        var others = await RowsWithoutBookingAsync(withoutBooking, unit, cancellationToken);
        return rows.Concat(others).OrderBy(r => r.Start is null).ThenBy(r => r.Start).ThenBy(r => r.Name, StringComparer.Create(new System.Globalization.CultureInfo("sv-SE"), false)).ToList();
    }

    /// <summary>
    /// The patient page; writes the R55 <c>ViewPatient</c> row (user, role, unit, channel) in the same call, through
    /// the group commit of <see cref="AuditLog.AppendNowAsync"/>: the page is returned only once its row is stored. Nothing is
    /// tracked (a read), so nothing else of the caller's unit of work is saved with the row.
    /// Null when the patient does not exist.
    /// </summary>
    public async Task<PatientPage?> PatientAsync(long patientId, HsaId unit, Actor actor, CancellationToken cancellationToken)
    {
        // Three queries: the patient with their setting, the bookings from today with their SMS, the history with
        // the staff's names. The unit list comes from the directory (read once per 30 s, not per view).
        var head = await PatientReads.WithSettingAsync(db, patientId, cancellationToken);
        if (head is null)
        {
            return null;
        }

        var (patient, setting) = (head.Patient, head.Setting);
        var now = clock.GetCurrentInstant();
        var today = Stockholm.DateOf(now);
        var units = await unitDirectory.AllAsync(cancellationToken);
        var (from, _) = DayBounds(today);
        var booked = await BookedQuery(db, patientId, from).ToListAsync(cancellationToken);
        var explained = new List<BookingExplanation>();
        foreach (var b in booked.OrderBy(b => b.Booking.Start).Take(10))
        {
            var bookingUnit = await unitDirectory.FindAsync(b.Booking.Unit, cancellationToken)
                ?? throw new InvalidOperationException("A booking's unit is not in the unit list.");
            explained.Add(new BookingExplanation(b.Booking, bookingUnit.Name, b.Messages.OrderBy(m => m.Kind).ThenBy(m => m.Id).ToList(),
                ReminderDecider.Decide(patient, setting, bookingUnit, b.Booking, now, policy.Current)));
        }

        // R41: the booking the patient is here for: today's at this unit, else today's anywhere, else the next one.
        var todays = explained.Where(e => Stockholm.DateOf(e.Booking.Start) == today).ToList();
        var current = todays.FirstOrDefault(e => e.Booking.Unit == unit) ?? todays.FirstOrDefault() ?? explained.FirstOrDefault();
        var myUnit = await unitDirectory.FindAsync(unit, cancellationToken);
        var state = current is not null && current.Booking.Unit == unit ? current.Decision : Probe(patient, setting, myUnit, unit, now);
        var badges = Badges(patient, setting, state);
        var todayHere = todays.FirstOrDefault(e => e.Booking.Unit == unit);

        var events = await HistoryQuery(db, patientId).ToListAsync(cancellationToken);

        var page = new PatientPage(
            patient, setting, today, badges, current, explained, units,
            events.Select(e => new HistoryRow(e.Event, e.Name ?? e.Event.Actor)).ToList(),
            myUnit?.CentralReception ?? false,
            CheckYes(setting, todayHere, state));

        await audit.AppendNowAsync(AuditAction.ViewPatient, actor, unit.Value, patientId, null, cancellationToken);
        return page;
    }

    // The patient page's other two queries, compiled once (EF skips the expression-tree work of every execution).
    private sealed record BookedRow(Booking Booking, List<OutgoingSms> Messages);

    private sealed record HistoryItem(AuditEvent Event, string? Name);

    private static readonly Func<RemindersDbContext, long, Instant, IAsyncEnumerable<BookedRow>> BookedQuery = EF.CompileAsyncQuery(
        (RemindersDbContext db, long id, Instant from) => db.Bookings.AsNoTracking()
            .Where(b => b.PatientId == id && b.Start >= from && b.Status != BookingStatus.Cancelled)
            .Select(b => new BookedRow(b, db.Messages.Where(m => m.BookingId == b.Id).ToList())));

    private static readonly Func<RemindersDbContext, long, IAsyncEnumerable<HistoryItem>> HistoryQuery = EF.CompileAsyncQuery(
        (RemindersDbContext db, long id) =>
            (from a in db.AuditEvents.AsNoTracking()
             where a.PatientId == id
             orderby a.Id descending
             select new HistoryItem(a, db.Users.Where(u => u.Id == a.Actor).Select(u => u.DisplayName).FirstOrDefault())).Take(40));

    /// <summary>The reasons staff see as a badge, recognised by rule and code (<see cref="Reason.Is"/>), with the badge's text and tone.</summary>
    private static readonly (Reason Reason, string Text, string Tone)[] BadgeTexts =
    [
        (Reasons.ProtectedIdentity, "Skyddad identitet", "bad"),
        (Reasons.Deactivated, "Avaktiverad", "bad"),
        (Reasons.Declined, "Tackat nej", "muted"),
        (Reasons.MigrationUnitBlocks, "Inte aktiverad vid migreringen (hade blockerade enheter)", "warn"),
        (Reasons.MigrationMobileBefore13, "Inte aktiverad vid migreringen (numret kunde vara vårdnadshavarens)", "warn"),
        (Reasons.ConsentedIn1177NotActivated, "Samtyckt i 1177 men inte aktiverad", "warn"),
        (Reasons.NotActivated, "Inte aktiverad", "warn"),
        (Reasons.UnitBlocked, "Blockerar denna enhet", "bad"),
        (Reasons.NoMobile, "Nummerproblem: mobilnummer saknas", "bad"),
        (Reasons.NotMobile, "Nummerproblem: inte ett mobilnummer", "bad"),
        (Reasons.MobileRegisteredBefore13, "Nummerproblem: registrerat före 13-årsdagen", "bad"),
        (Reasons.MobileDateUnknown, "Nummerproblem: okänt när numret registrerades", "bad"),
        (Reasons.NoGuardianNumbers, "Nummerproblem: vårdnadshavares nummer saknas", "bad"),
    ];

    /// <summary>
    /// The badges for a decision: the status, then each rule that stops the reminder that staff can act on
    /// (R1, R3, R5, R6, R10–R12, R14, R16, R32, R33). Timing rules (R20, R22) and unit settings (R4) are not
    /// the patient's state and are left to the booking's explanation.
    /// </summary>
    public static IReadOnlyList<ReminderBadge> Badges(Patient patient, ReminderSetting setting, Decision decision)
    {
        var reasons = decision.ReasonsFor(SmsKind.Reminder);
        var badges = new List<ReminderBadge>();
        if (setting.Status == ReminderStatus.Activated)
        {
            badges.Add(new("Activated", "Aktiverad", "ok"));
        }

        // R14 first: a protected patient's "not activated" is not something to ask about.
        var isProtected = reasons.Any(r => r.Is(Reasons.ProtectedIdentity));
        foreach (var reason in reasons)
        {
            if (BadgeTexts.FirstOrDefault(b => reason.Is(b.Reason)) is { } known
                && !(isProtected && reason.IsAnyOf(Reasons.NotActivated, Reasons.ConsentedIn1177NotActivated)))
            {
                var text = reason.Is(Reasons.Declined) && setting.DeclinedOn is { } on ? $"{known.Text} {Format(on)}" : known.Text;
                badges.Add(new ReminderBadge(reason.Code, text, known.Tone));
            }
        }

        return badges;
    }

    /// <summary>
    /// R40 (rev. 2): checks a patient's "yes, I got an SMS reminder" against what the product knows: not activated
    /// (then no reminder went out, whatever the patient remembers: often VAS's SMS), or today's reminder at this unit
    /// not Sent or Delivered (not planned, pending, cancelled, suppressed or failed). The reasons come from the
    /// decision (R24) and from the SMS themselves; nothing here decides a rule again.
    /// </summary>
    /// <param name="setting">The patient's setting.</param>
    /// <param name="todayHere">Today's booking at this unit with its SMS and decision, if any.</param>
    /// <param name="state">The decision the page's state comes from (today's booking here, else a probe).</param>
    public static YesCheck CheckYes(ReminderSetting setting, BookingExplanation? todayHere, Decision state)
    {
        if (setting.Status != ReminderStatus.Activated)
        {
            return new YesCheck(YesCheckKind.NotActivated,
                "Patienten är inte aktiverad för sms-påminnelser, så inga påminnelser skickas. Det sms patienten minns kan ha kommit från det gamla systemet (VAS): patienter som inte fördes över vid migreringen vet ofta inte om det.",
                state.ReasonsFor(SmsKind.Reminder));
        }

        if (todayHere is null)
        {
            return new YesCheck(YesCheckKind.NoBookingToday, "Patienten är aktiverad. Det finns ingen bokning här i dag att stämma av mot.", []);
        }

        var reminders = todayHere.Messages.Where(m => m.Kind == SmsKind.Reminder).ToList();
        if (reminders.Exists(m => m.Status is SmsStatus.Sent or SmsStatus.Delivered))
        {
            return new YesCheck(YesCheckKind.Consistent, "Bra – påminnelsen inför dagens besök skickades. Inget mer behöver göras.", []);
        }

        var what = reminders.Count == 0
            ? "Ingen påminnelse planerades inför dagens besök här."
            : reminders[^1].Status switch
            {
                SmsStatus.Pending or SmsStatus.Sending => "Påminnelsen inför dagens besök här är planerad men har inte skickats.",
                SmsStatus.Failed => "Påminnelsen inför dagens besök här kunde inte skickas.",
                SmsStatus.Cancelled => "Påminnelsen inför dagens besök här avbröts.",
                _ => "Påminnelsen inför dagens besök här stoppades.",
            };
        var reasons = todayHere.Decision.ReasonsFor(SmsKind.Reminder)
            .Concat(reminders.SelectMany(m => m.Reasons))
            .DistinctBy(r => (r.Rule, r.Code))
            .ToList();
        return new YesCheck(YesCheckKind.NotSentToday, what + " Det sms patienten minns gällde inte det här besöket.", reasons);
    }

    /// <summary>A local date as staff read it.</summary>
    public static string Format(LocalDate date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A local date and time as staff read it.</summary>
    public static string Format(Instant instant) => Stockholm.LocalOf(instant).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static (Instant From, Instant To) DayBounds(LocalDate day) =>
        (Stockholm.Zone.AtStartOfDay(day).ToInstant(), Stockholm.Zone.AtStartOfDay(day.PlusDays(1)).ToInstant());

    /// <summary>
    /// The state of a patient without a booking today: the decision for a hypothetical booking at this unit a week
    /// ahead, so the same function answers (nothing is stored).
    /// </summary>
    private Decision Probe(Patient patient, ReminderSetting setting, CareUnit? unit, HsaId unitId, Instant now)
    {
        var probeUnit = unit ?? CareUnit.Create(unitId, unitId.Value, "", usesSmsReminders: true, offersSelfCheckIn: false);
        var booking = Booking.Create("probe", patient.Id, unitId, now + Duration.FromDays(7), now);
        return ReminderDecider.Decide(patient, setting, probeUnit, booking, now, policy.Current);
    }

    private async Task<IReadOnlyList<ArrivalRow>> RowsAsync(List<Booking> bookings, HsaId unit, CancellationToken cancellationToken)
    {
        var ids = bookings.Select(b => b.PatientId).Distinct().ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var settings = await db.ReminderSettings.AsNoTracking().Where(s => ids.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId, cancellationToken);
        var careUnit = await unitDirectory.FindAsync(unit, cancellationToken) ?? throw new InvalidOperationException("The user's unit is not in the unit list.");
        var now = clock.GetCurrentInstant();
        return bookings.Select(b =>
        {
            var patient = patients[b.PatientId];
            var setting = settings[b.PatientId];
            var decision = ReminderDecider.Decide(patient, setting, careUnit, b, now, policy.Current);
            return new ArrivalRow(patient.Id, patient.Name, patient.IdentityNumber.ToString(), b.Start, Badges(patient, setting, decision));
        }).ToList();
    }

    private async Task<IReadOnlyList<ArrivalRow>> RowsWithoutBookingAsync(List<long> ids, HsaId unit, CancellationToken cancellationToken)
    {
        var patients = await db.Patients.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(cancellationToken);
        var settings = await db.ReminderSettings.AsNoTracking().Where(s => ids.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId, cancellationToken);
        var careUnit = await unitDirectory.FindAsync(unit, cancellationToken);
        var now = clock.GetCurrentInstant();
        return patients.Select(p => new ArrivalRow(p.Id, p.Name, p.IdentityNumber.ToString(), null,
            Badges(p, settings[p.Id], Probe(p, settings[p.Id], careUnit, unit, now)))).ToList();
    }
}
