using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.EService;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Replanning;
using Reminders.Infrastructure.Planning;

namespace Reminders.Infrastructure.Seeding;

/// <summary>
/// Demo data for Development (and <c>Seed:Demo=true</c> outside Production): the clinics of the region's
/// own table with a few units each, a few hundred patients covering every rule, and bookings over the next
/// two weeks. Identity numbers are the tax agency's published test number 201701012393 and generated
/// numbers with a valid check digit (R50); phone numbers come from the series the Swedish telecom
/// regulator (PTS) reserves for fiction, 070-174 06 05 … 070-174 06 99. No real person's data.
/// Idempotent: it does nothing when units exist.
/// </summary>
public sealed partial class DemoDataSeeder(RemindersDbContext db, IClock clock, ReminderPlanner planner, StaffAccounts accounts, ILogger<DemoDataSeeder> logger)
{
    /// <summary>The password of every demo account (Development only; demo accounts are refused in Production).</summary>
    public const string DemoPassword = "Demo-Reminders-2025";

    /// <summary>The demo central reception (R40).</summary>
    public const string CentralReceptionHsaId = "SE2321000115-C01000";

    /// <summary>The tax agency's published test personnummer used for the demo child.</summary>
    public const string TaxAgencyTestNumber = "201701012393";

    private static readonly (string Clinic, string Code, string[] Units)[] Clinics =
    [
        ("Kirurgikliniken", "K", ["Kirurgmottagning Halmstad", "Kirurgmottagning Varberg", "Dagkirurgi Kungsbacka"]),
        ("Ortopedikliniken", "O", ["Ortopedmottagning Halmstad", "Ortopedmottagning Varberg", "Handkirurgisk mottagning"]),
        ("Med.klin Kba Vbg", "M", ["Medicinmottagning Varberg", "Hjärtmottagning Varberg"]),
        ("Kungsbacka VC", "V", ["Kungsbacka vårdcentral", "Kungsbacka BVC"]),
        ("Medicinkliniken Halmstad", "H", ["Medicinmottagning Halmstad", "Diabetesmottagning Halmstad"]),
        ("Klinisk Kemi Halland", "L", ["Provtagning Halmstad", "Provtagning Varberg"]),
        ("Ögonkliniken", "E", ["Ögonmottagning Halmstad", "Ögonmottagning Varberg"]),
        ("Öron-,näs- och halsklin", "N", ["Öron-näs-hals Halmstad", "Hörselvården Varberg"]),
        ("Urologikliniken", "U", ["Urologmottagning Halmstad"]),
        ("Hudkliniken", "D", ["Hudmottagning Halmstad", "Hudmottagning Varberg"]),
        ("Rehabiliteringskliniken", "R", ["Rehabmottagning Halmstad"]),
        ("Kvinnohälsovården Halland", "W", ["Barnmorskemottagning Halmstad", "Barnmorskemottagning Kungsbacka"]),
        ("Barn-/Ungdomskliniken", "B", ["Barnmottagning Halmstad", "Ungdomsmottagning Varberg"]),
    ];

    private static readonly string[] FirstNames =
        ["Anna", "Erik", "Maria", "Lars", "Karin", "Anders", "Sara", "Johan", "Eva", "Per", "Lena", "Nils", "Elin", "Oskar", "Maja", "Hugo", "Alice", "Liam", "Ella", "Noah", "Wilma", "Elsa", "Olle", "Saga"];

    private static readonly string[] LastNames =
        ["Testsson", "Demodotter", "Provberg", "Exempelsson", "Fiktivsson", "Lindprov", "Övningsson", "Påhittad", "Låtsasberg", "Testlund"];

    /// <summary>A fictitious "first last" name from the demo lists (also used by the load test's data generator).</summary>
    public static string FictitiousName(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
    }

    /// <summary>
    /// Seeds an empty store once; returns the number of patients created. A store with any unit, account or patient
    /// is left alone: demo data never lands next to real data (a first admin made by create-admin included).
    /// </summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        if (await db.Units.AnyAsync(cancellationToken) || await db.Users.AnyAsync(cancellationToken) || await db.Patients.AnyAsync(cancellationToken))
        {
            return 0;
        }

        var now = clock.GetCurrentInstant();
        var today = Stockholm.DateOf(now);
        var random = new Random(20250329);

        var units = CreateUnits();
        db.Units.AddRange(units);

        // The demo is written under the rules of this code: the replanning job has no revision to convert it from.
        if (!await db.Set<PlanningState>().AnyAsync(cancellationToken))
        {
            db.Add(new PlanningState { RulesRevision = RuleBook.Revision });
        }

        // R40 (rev. 2): a central reception offers the check-in question without prompting it (demo account central@).
        var centralReception = CareUnit.Create(HsaId.FromTrusted(CentralReceptionHsaId), "Centralreceptionen Halmstad", "Medicinkliniken Halmstad", usesSmsReminders: true, offersSelfCheckIn: false);
        centralReception.SetCentralReception(true);
        db.Units.Add(centralReception);

        var patients = new List<(Patient Patient, ReminderSetting Setting)>();
        var phonePool = new Queue<PhoneNumber>(Enumerable.Range(5, 95).Select(n => PhoneNumber.FromTrusted($"+467017406{n:00}")));
        var usedBirthNumbers = new HashSet<string>();

        PersonalIdentityNumber NewId(LocalDate birth, bool coordination = false)
        {
            while (true)
            {
                var id = PersonalIdentityNumber.Create(birth, random.Next(1, 1000), coordination);
                if (usedBirthNumbers.Add(id.Value))
                {
                    return id;
                }
            }
        }

        string NewName() => FictitiousName(random);

        Patient Add(PersonalIdentityNumber id, PhoneNumber? mobile, Instant? mobileAt, bool consent = false, bool protectedIdentity = false)
        {
            var patient = Patient.Create(id, NewName());
            patient.UpdateFromRegister(patient.Name, protectedIdentity, mobile, mobileAt, consent);
            db.Patients.Add(patient);
            return patient;
        }

        var adults = new List<Patient>();
        var children = new List<Patient>();
        var special = new List<(Patient Patient, Action<ReminderSetting, Patient> Configure)>();
        var context = new ChangeContext(now - Duration.FromDays(30), units[0].HsaId, ChangeChannel.CheckIn);

        // Adults: most activated, with a share of every state a receptionist meets.
        for (var i = 0; i < 170; i++)
        {
            var birth = today.PlusYears(-(18 + random.Next(70))).PlusDays(-random.Next(365));
            var hasMobile = phonePool.Count > 17 && random.NextDouble() < 0.75;
            var patient = Add(NewId(birth), hasMobile ? phonePool.Dequeue() : null, hasMobile ? now - Duration.FromDays(random.Next(30, 2000)) : null, consent: random.NextDouble() < 0.5);
            adults.Add(patient);
        }

        // Children under 13, with guardian numbers (their parents' numbers, from the same fictional series).
        for (var i = 0; i < 50; i++)
        {
            var birth = today.PlusYears(-(1 + random.Next(11))).PlusDays(-random.Next(365));
            var patient = Add(NewId(birth), null, null);
            children.Add(patient);
        }

        // Children turning 13 in the coming weeks (R13, R42), one of them on the day of a booking.
        var turning13 = new List<Patient>();
        for (var i = 0; i < 8; i++)
        {
            var birth = today.PlusYears(-13).PlusDays(2 + (i * 3));
            var patient = Add(NewId(birth), null, null);
            turning13.Add(patient);
        }

        // R12 (rev. 2): adults whose register feed sent no update date; they get SMS now (revision 1 stopped them).
        var unknownDateAdults = new List<Patient>();
        for (var i = 0; i < 3; i++)
        {
            var birth = today.PlusYears(-(30 + random.Next(40))).PlusDays(-random.Next(365));
            unknownDateAdults.Add(Add(NewId(birth), phonePool.Dequeue(), null, consent: true));
        }

        // R12/R33 (rev. 2): teenagers (15–16) with an unknown update date: they need a confirmation at the desk.
        var unknownDateTeens = new List<Patient>();
        for (var i = 0; i < 2; i++)
        {
            var birth = today.PlusYears(-15 - i).PlusDays(-random.Next(300));
            unknownDateTeens.Add(Add(NewId(birth), phonePool.Dequeue(), null, consent: true));
        }

        // Teenagers whose mobile predates the 13th birthday (R12, R33) and one who confirmed it.
        var teenBefore13 = new List<Patient>();
        for (var i = 0; i < 6; i++)
        {
            var birth = today.PlusYears(-14).PlusDays(-random.Next(300));
            var deliveredAt = Stockholm.ToInstant(Age.ThirteenthBirthday(birth).PlusDays(-40).AtMidnight());
            var patient = Add(NewId(birth), phonePool.Dequeue(), deliveredAt, consent: true);
            teenBefore13.Add(patient);
        }

        // The tax agency's test number: a child born 2017-01-01.
        var testChild = Add(PersonalIdentityNumber.FromNormalised(TaxAgencyTestNumber), null, null);
        children.Add(testChild);

        // Protected identities (R14): never texted, numbers never shown.
        var protectedPatients = new List<Patient>();
        for (var i = 0; i < 4; i++)
        {
            var birth = today.PlusYears(-(25 + random.Next(40)));
            var patient = Add(NewId(birth), phonePool.Dequeue(), now - Duration.FromDays(400), consent: true, protectedIdentity: true);
            protectedPatients.Add(patient);
        }

        // Samordningsnummer holders (R15b): no 1177 account, so no number from the feed.
        var coordination = new List<Patient>();
        for (var i = 0; i < 3; i++)
        {
            var birth = today.PlusYears(-(20 + random.Next(40)));
            var patient = Add(NewId(birth, coordination: true), null, null);
            coordination.Add(patient);
        }

        // Two adults sharing one number (R60b: often a guardian's number left behind).
        var shared = phonePool.Dequeue();
        var sharedA = Add(NewId(today.PlusYears(-19)), shared, now - Duration.FromDays(900));
        var sharedB = Add(NewId(today.PlusYears(-21)), shared, now - Duration.FromDays(900));
        adults.Add(sharedA);
        adults.Add(sharedB);

        await db.SaveChangesAsync(cancellationToken);

        var settings = new Dictionary<long, ReminderSetting>();
        foreach (var patient in db.Patients.Local)
        {
            var setting = ReminderSetting.CreateFor(patient.Id);
            settings[patient.Id] = setting;
            db.ReminderSettings.Add(setting);
        }

        var migration = new ChangeContext(Stockholm.ToInstant(new LocalDate(2025, 1, 31).AtMidnight()), null, ChangeChannel.Migration);
        foreach (var patient in db.Patients.Local)
        {
            settings[patient.Id].AddComment(migration.At, "RPA-migrerat 2025-01-31");
        }

        var adultStates = adults.Select((p, i) => (p, i)).ToList();
        foreach (var (patient, i) in adultStates)
        {
            var setting = settings[patient.Id];
            switch (i % 10)
            {
                case < 6:
                    setting.Activate(patient, context);
                    if (i % 7 == 0)
                    {
                        setting.Block(units[(i / 7) % units.Count].HsaId, context);
                    }

                    break;
                case 6:
                    // R32 (rev. 2): the VAS blocks are kept as history, not in force.
                    setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, migration);
                    setting.KeepVasBlock(units[i % units.Count].HsaId, migration.At);
                    if (i % 20 == 6)
                    {
                        setting.KeepVasBlock(units[(i + 5) % units.Count].HsaId, migration.At);
                    }

                    break;
                case 7:
                    setting.Decline(context with { At = now - Duration.FromDays(random.Next(10, 500)) });
                    break;
                case 8:
                    setting.Deactivate(context);
                    break;
                default:
                    break; // never asked (some consented in 1177: a reason to ask)
            }
        }

        var guardianPool = adults.Where(a => a.Mobile is not null).Select(a => a.Mobile!).ToList();
        foreach (var (child, i) in children.Concat(turning13).Select((c, i) => (c, i)))
        {
            var setting = settings[child.Id];
            setting.Activate(child, context);
            if (i % 9 != 8)
            {
                var numbers = i % 3 == 0
                    ? new[] { guardianPool[i % guardianPool.Count], guardianPool[(i + 7) % guardianPool.Count] }
                    : new[] { guardianPool[i % guardianPool.Count] };
                setting.SetGuardianNumbers(child, numbers, context);
            }
        }

        foreach (var (teen, i) in teenBefore13.Select((t, i) => (t, i)))
        {
            var setting = settings[teen.Id];
            if (i < 4)
            {
                setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, migration);
            }
            else
            {
                setting.Activate(teen, context);
            }
        }

        foreach (var patient in unknownDateAdults)
        {
            settings[patient.Id].Activate(patient, migration);
        }

        settings[unknownDateTeens[0].Id].MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, migration);
        settings[unknownDateTeens[1].Id].Activate(unknownDateTeens[1], context);

        foreach (var patient in protectedPatients)
        {
            settings[patient.Id].MarkNotActivatedByMigration(NotActivatedReason.ProtectedIdentity, migration);
        }

        settings[coordination[0].Id].Activate(coordination[0], context);
        settings[sharedA.Id].Activate(sharedA, context);
        settings[sharedB.Id].Activate(sharedB, context);

        await db.SaveChangesAsync(cancellationToken);

        // Bookings over the next two weeks, weekdays 08:00–16:00, some today for the arrivals list.
        var allPatients = db.Patients.Local.ToList();
        var bookings = new List<Booking>();
        var number = 0;
        foreach (var patient in allPatients)
        {
            var count = 1 + random.Next(3);
            for (var k = 0; k < count; k++)
            {
                var day = today.PlusDays(k == 0 && random.NextDouble() < 0.3 ? 0 : random.Next(1, 15));
                // Weekdays only, except today: a demo started on a weekend still shows a day of arrivals.
                while (day != today && day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
                {
                    day = day.PlusDays(1);
                }

                var start = Stockholm.ToInstant(day.At(new LocalTime(8, 0).PlusMinutes(15 * random.Next(33))));
                var bookedAt = start - Duration.FromHours(random.Next(1, 24 * 30));
                if (bookedAt > now)
                {
                    bookedAt = now;
                }

                var unit = units[random.Next(units.Count)];
                var booking = Booking.Create($"DEMO-{++number:00000}", patient.Id, unit.HsaId, start, bookedAt);
                bookings.Add(booking);
            }
        }

        // Today at the demo receptionist's first unit: one patient in each state a receptionist meets, so a
        // newcomer can check in, activate, and see why someone got no SMS without looking for examples.
        var showcase = new List<Patient>
        {
            adults.First(p => settings[p.Id].Status == ReminderStatus.Activated && p.Mobile is not null && settings[p.Id].Blocks.Count == 0),
            adults.First(p => settings[p.Id].Status == ReminderStatus.NotActivated && settings[p.Id].NotActivatedReason == NotActivatedReason.None && !p.ConsentIn1177),
            adults.First(p => settings[p.Id].Status == ReminderStatus.NotActivated && settings[p.Id].NotActivatedReason == NotActivatedReason.None && p.ConsentIn1177),
            adults.First(p => settings[p.Id].Status == ReminderStatus.Declined),
            adults.First(p => settings[p.Id].NotActivatedReason == NotActivatedReason.MigrationUnitBlocks),
            teenBefore13.First(p => settings[p.Id].Status == ReminderStatus.Activated),
            teenBefore13.First(p => settings[p.Id].NotActivatedReason == NotActivatedReason.MigrationMobileBefore13),
            unknownDateAdults[0],
            unknownDateTeens[1],
            turning13[0],
            protectedPatients[0],
            coordination[0],
        };
        var blocker = adults.First(p => settings[p.Id].Status == ReminderStatus.Activated && p.Mobile is not null && settings[p.Id].Blocks.Count == 0 && p != showcase[0]);
        settings[blocker.Id].Block(units[0].HsaId, context);
        showcase.Add(blocker);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (patient, i) in showcase.Select((p, i) => (p, i)))
        {
            var start = Stockholm.ToInstant(today.At(new LocalTime(8, 0).PlusMinutes(40 * i)));
            bookings.Add(Booking.Create($"DEMO-T{i + 1:000}", patient.Id, units[0].HsaId, start, start - Duration.FromDays(5 + i)));
        }

        // Today at the central reception: a few of the same states, for the question offered without prompting (R40).
        foreach (var (patient, i) in new[] { showcase[1], showcase[4], unknownDateTeens[0] }.Select((p, i) => (p, i)))
        {
            var start = Stockholm.ToInstant(today.At(new LocalTime(9, 10).PlusMinutes(50 * i)));
            bookings.Add(Booking.Create($"DEMO-C{i + 1:000}", patient.Id, centralReception.HsaId, start, start - Duration.FromDays(3 + i)));
        }

        db.Bookings.AddRange(bookings);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var booking in bookings)
        {
            await planner.PlanBookingAsync(booking, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await new DemoOutcomeHistory(db).SeedAsync(units, allPatients, now, cancellationToken);
        await SeedEServiceAsync(units, allPatients, now, cancellationToken);
        await SeedAccountsAsync(units);
        LogSeeded(logger, units.Count, allPatients.Count, bookings.Count);
        return allPatients.Count;
    }

    /// <summary>R45: standard answers and a few open e-service requests at the demo receptionist's first unit.</summary>
    private async Task SeedEServiceAsync(List<CareUnit> units, List<Patient> patients, Instant now, CancellationToken cancellationToken)
    {
        foreach (var text in new[]
        {
            "Tack för ditt ärende. Sms-påminnelser är nu aktiverade för dig i hela regionen.",
            "Tack för ditt ärende. Du får inte längre sms från den mottagning du angav.",
            "Tack för ditt ärende. Sms-påminnelser är nu avstängda för dig i hela regionen. Du kan aktivera dem igen när du vill.",
            "Vi kan inte registrera vårdnadshavares nummer eftersom barnet har fyllt 13 år. Barnet kan själv lägga in sitt nummer på 1177.se.",
            "Vi kunde inte hantera ärendet. Kontakta mottagningen så hjälper vi dig.",
        })
        {
            db.StandardAnswers.Add(StandardAnswer.Create(text, now).Value);
        }

        var inbox = units.First(u => u.Clinic == "Kirurgikliniken").HsaId;
        var other = units.First(u => u.Clinic == "Ortopedikliniken").HsaId;
        var adults = patients.Where(p => !p.ProtectedIdentity && !Age.IsChildOn(p.BirthDate, Stockholm.DateOf(now))).ToList();
        var child = patients.First(p => Age.IsChildOn(p.BirthDate, Stockholm.DateOf(now)) && !p.ProtectedIdentity);
        var status = db.ReminderSettings.Local.ToDictionary(s => s.PatientId, s => s.Status);
        var wantsActivation = adults.First(p => status[p.Id] == ReminderStatus.NotActivated);
        var activated = adults.First(p => status[p.Id] == ReminderStatus.Activated);
        db.EServiceRequests.AddRange(
            EServiceRequest.Receive(inbox, wantsActivation.Id, EServiceKind.Activate, null, null, now - Duration.FromHours(20)),
            EServiceRequest.Receive(inbox, activated.Id, EServiceKind.Block, other, null, now - Duration.FromHours(6)),
            EServiceRequest.Receive(inbox, child.Id, EServiceKind.GuardianNumber, null, "070-174 06 90", now - Duration.FromHours(2)));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>One demo account per role (R56): a receptionist at two units, a manager of the surgery units, an admin; and a receptionist at the central reception (R40).</summary>
    private async Task SeedAccountsAsync(List<CareUnit> units)
    {
        var surgery = units.Where(u => u.Clinic == "Kirurgikliniken").Select(u => u.HsaId).ToList();
        Check(await accounts.CreateAsync("reception@demo.invalid", "Rebecka Reception (demo)", DemoPassword,
            [StaffRoles.Receptionist], [surgery[0], units.First(u => u.Clinic == "Ortopedikliniken").HsaId], mustChangePassword: false, isDemo: true));
        Check(await accounts.CreateAsync("chef@demo.invalid", "Claes Chef (demo)", DemoPassword,
            [StaffRoles.Receptionist, StaffRoles.UnitManager], surgery, mustChangePassword: false, isDemo: true));
        Check(await accounts.CreateAsync("admin@demo.invalid", "Astrid Admin (demo)", DemoPassword,
            [StaffRoles.Admin], [], mustChangePassword: false, isDemo: true));
        Check(await accounts.CreateAsync("central@demo.invalid", "Cecilia Centralreception (demo)", DemoPassword,
            [StaffRoles.Receptionist], [HsaId.FromTrusted(CentralReceptionHsaId)], mustChangePassword: false, isDemo: true));
    }

    private static void Check(Microsoft.AspNetCore.Identity.IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    /// <summary>The demo units: the clinics of the region's table with their units (also seeded by tests and benchmarks).</summary>
    public static List<CareUnit> CreateUnits()
    {
        var units = new List<CareUnit>();
        foreach (var (clinic, code, names) in Clinics)
        {
            for (var i = 0; i < names.Length; i++)
            {
                var hsaId = HsaId.FromTrusted($"SE2321000115-{code}{(i + 1) * 1000 + code[0]:00000}");
                var usesSms = clinic != "Klinisk Kemi Halland" || i == 0;
                var selfCheckIn = i == 0 && clinic is not ("Barn-/Ungdomskliniken" or "Kvinnohälsovården Halland");
                units.Add(CareUnit.Create(hsaId, names[i], clinic, usesSms, selfCheckIn));
            }
        }

        return units;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded demo data: {Units} units, {Patients} patients, {Bookings} bookings")]
    private static partial void LogSeeded(ILogger logger, int units, int patients, int bookings);
}
