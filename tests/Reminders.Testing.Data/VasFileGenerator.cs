using System.Globalization;
using System.Text;
using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Identity;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;

namespace Reminders.Testing.Data;

/// <summary>The case a generated row was made to exercise.</summary>
public enum VasGeneratedCase
{
    /// <summary>R31: consenting adult with a confirmed mobile (or none).</summary>
    Activated,

    /// <summary>R31: no consent (some with blocks, which are kept).</summary>
    NoConsent,

    /// <summary>R32: consent with blocked units (some unknown to the product).</summary>
    UnitBlocks,

    /// <summary>R33: 13 or older at go-live, mobile updated before the 13th birthday or undated.</summary>
    MobileBefore13,

    /// <summary>R34: protected identity.</summary>
    ProtectedIdentity,

    /// <summary>R35: child not 12 before go-live, guardian numbers migrated.</summary>
    ChildWithGuardians,

    /// <summary>R35: child 12 at go-live, guardian numbers not migrated.</summary>
    TwelveWithGuardians,

    /// <summary>R36: a bad row.</summary>
    Bad,
}

/// <summary>
/// What a valid generated row means, typed: what the benchmark's raw loop inserts and what the rules should
/// decide (Status and reason as if blocks were not carried over).
/// </summary>
/// <param name="IdentityNumber">12 digits.</param>
/// <param name="Consent">sms_consent.</param>
/// <param name="Mobile">E.164 or null (null for protected identity: not stored).</param>
/// <param name="MobileUpdatedAt">Delivery instant or null.</param>
/// <param name="ProtectedIdentity">protected_identity.</param>
/// <param name="Status">The expected status.</param>
/// <param name="Reason">The expected reason.</param>
/// <param name="Blocks">Blocked HSA-ids.</param>
/// <param name="GuardianNumbers">Guardian numbers that are migrated.</param>
public sealed record VasGeneratedPatient(
    string IdentityNumber,
    bool Consent,
    string? Mobile,
    Instant? MobileUpdatedAt,
    bool ProtectedIdentity,
    ReminderStatus Status,
    NotActivatedReason Reason,
    IReadOnlyList<string> Blocks,
    IReadOnlyList<string> GuardianNumbers);

/// <summary>One generated line of the file.</summary>
/// <param name="LineNumber">Its line number (the header is 1).</param>
/// <param name="Text">The CSV line, without line end.</param>
/// <param name="Case">The case it exercises.</param>
/// <param name="Patient">The typed meaning of a valid row; null for a bad row.</param>
/// <param name="BadRule">For a bad row, the rule ID it must be rejected with.</param>
public sealed record VasGeneratedRow(int LineNumber, string Text, VasGeneratedCase Case, VasGeneratedPatient? Patient, string? BadRule);

/// <summary>The report counts the generated file must produce, tallied while the rows were generated.</summary>
public sealed class VasGeneratedExpectation
{
    private readonly Dictionary<string, int> _byClinic = new(StringComparer.Ordinal);
    private readonly List<(int Line, string Rule)> _rejected = [];

    /// <summary>Data rows.</summary>
    public int Rows { get; internal set; }

    /// <summary>Rows by case.</summary>
    public Dictionary<VasGeneratedCase, int> Cases { get; } = Enum.GetValues<VasGeneratedCase>().ToDictionary(c => c, _ => 0);

    /// <summary>Guardian numbers that must be migrated.</summary>
    public int GuardianNumbersMigrated { get; internal set; }

    /// <summary>Blocks naming units that do not exist.</summary>
    public int UnknownUnitBlocks { get; internal set; }

    /// <summary>Rejected rows: line and rule.</summary>
    public IReadOnlyList<(int Line, string Rule)> Rejected => _rejected;

    /// <summary>R32 patients by clinic (without carry-blocks).</summary>
    public IReadOnlyDictionary<string, int> ByClinic => _byClinic;

    /// <summary>Expected activated patients.</summary>
    public int Activated(bool carryBlocks) =>
        Cases[VasGeneratedCase.Activated] + Cases[VasGeneratedCase.ChildWithGuardians] + Cases[VasGeneratedCase.TwelveWithGuardians]
        + (carryBlocks ? Cases[VasGeneratedCase.UnitBlocks] : 0);

    /// <summary>Expected R32 patients.</summary>
    public int UnitBlocks(bool carryBlocks) => carryBlocks ? 0 : Cases[VasGeneratedCase.UnitBlocks];

    internal void Reject(int line, string rule) => _rejected.Add((line, rule));

    internal void AddClinic(string clinic) => _byClinic[clinic] = _byClinic.GetValueOrDefault(clinic) + 1;
}

/// <summary>
/// Generates realistic VAS files of any size, deterministically from a seed, with the expected report.
/// Identity numbers are generated with a valid check digit (R50) and never belong to real people's records
/// here; phone numbers come from the series PTS reserves for fiction (070-174 06 05 … 99; 031-390 06 00 … 99
/// for the landline rows). Every case of R31–R35 and every kind of bad row occurs in a large enough file.
/// </summary>
public sealed class VasFileGenerator
{
    /// <summary>An HSA-id prefix no demo unit uses: blocks on it are unknown units.</summary>
    public const string UnknownUnitPrefix = "SE2321000115-X";

    private static readonly string[] BadKinds = ["Malformed", "CheckDigit", "YesNo", "Date", "Phone", "NotMobile", "ColumnCount", "Duplicate"];

    private readonly Random _random;
    private readonly LocalDate _goLive;
    private readonly LocalDate _today;
    private readonly Instant _now;
    private readonly (string HsaId, string Clinic)[] _units;
    private readonly Dictionary<(LocalDate, bool), int> _birthNumbers = [];
    private string? _lastValidId;
    private int _badIndex;

    /// <summary>Creates a generator.</summary>
    /// <param name="seed">Same seed, same file.</param>
    /// <param name="goLive">The go-live date the expectations are for.</param>
    /// <param name="today">The migration date (no date in the file is after it).</param>
    /// <param name="units">The units that exist (HSA-id and clinic).</param>
    public VasFileGenerator(int seed, LocalDate goLive, LocalDate today, IEnumerable<CareUnit> units)
    {
        _random = new Random(seed);
        _goLive = goLive;
        _today = today;
        _now = Stockholm.ToInstant(today.AtMidnight());
        _units = units.Select(u => (u.HsaId.Value, u.Clinic)).ToArray();
        if (_units.Length == 0)
        {
            throw new ArgumentException("The generator needs units.", nameof(units));
        }
    }

    /// <summary>The expectation, complete once <see cref="Rows"/> has been enumerated to the end.</summary>
    public VasGeneratedExpectation Expected { get; } = new();

    /// <summary>The header line of the VAS file contract (written here from the contract, not read from the importer).</summary>
    public const string Header = "personnummer,sms_consent,mobile,mobile_updated,blocked_units,guardian_numbers,protected_identity";

    /// <summary>Writes a whole file (UTF-8, CRLF) and returns the expectation.</summary>
    public VasGeneratedExpectation WriteTo(Stream stream, int rows)
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        writer.WriteLine(Header);
        foreach (var row in Rows(rows))
        {
            writer.WriteLine(row.Text);
        }

        return Expected;
    }

    /// <summary>Generates <paramref name="count"/> data rows lazily (lines 2 …).</summary>
    public IEnumerable<VasGeneratedRow> Rows(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var row = Next(i + 2);
            Expected.Rows++;
            Expected.Cases[row.Case]++;
            if (row.BadRule is { } rule)
            {
                Expected.Reject(row.LineNumber, rule);
            }

            yield return row;
        }
    }

    private VasGeneratedRow Next(int line)
    {
        var dice = _random.Next(1000);
        return dice switch
        {
            < 16 => Bad(line),
            < 26 => Protected(line),
            < 256 => NoConsent(line),
            < 326 => Blocks(line),
            < 366 => MobileBefore13(line),
            < 426 => Child(line, under12: true),
            < 436 => Child(line, under12: false),
            _ => Activated(line),
        };
    }

    private VasGeneratedRow Activated(int line)
    {
        var birth = BirthBetween(_goLive.PlusYears(-90), _goLive.PlusYears(-14));
        var dice = _random.Next(10);
        if (dice == 1)
        {
            // R12/R33 (rev. 2): an adult on the migration date whose mobile_updated is empty is activated.
            birth = BirthBetween(_goLive.PlusYears(-90), Min(_goLive.PlusYears(-14), _today.PlusYears(-18)));
        }

        var id = NewId(birth, coordination: _random.Next(50) == 0);
        var (mobile, updated) = dice switch
        {
            0 => (null, null),
            1 => (Phone(), (LocalDate?)null),
            _ => (Phone(), (LocalDate?)DateBetween(Max(Age.ThirteenthBirthday(birth), _today.PlusDays(-4000)), _today)),
        };
        return Valid(line, VasGeneratedCase.Activated, id, true, mobile, updated, [], [], [], false, ReminderStatus.Activated, NotActivatedReason.None);
    }

    private VasGeneratedRow NoConsent(int line)
    {
        var birth = BirthBetween(_goLive.PlusYears(-90), _goLive.PlusYears(-14));
        var id = NewId(birth);
        var blocks = _random.Next(10) == 0 ? KnownUnits(1) : [];
        var (mobile, updated) = _random.Next(5) == 0 ? (null, null) : (Phone(), (LocalDate?)DateBetween(Max(Age.ThirteenthBirthday(birth), _today.PlusDays(-4000)), _today));
        return Valid(line, VasGeneratedCase.NoConsent, id, false, mobile, updated, blocks, [], [], false, ReminderStatus.NotActivated, NotActivatedReason.None);
    }

    private VasGeneratedRow Blocks(int line)
    {
        var birth = BirthBetween(_goLive.PlusYears(-90), _goLive.PlusYears(-14));
        var id = NewId(birth);
        var blocks = KnownUnits(1 + _random.Next(3));
        foreach (var clinic in blocks.Select(ClinicOf).Distinct(StringComparer.Ordinal))
        {
            Expected.AddClinic(clinic);
        }

        if (_random.Next(10) == 0)
        {
            blocks.Add(string.Create(CultureInfo.InvariantCulture, $"{UnknownUnitPrefix}{_random.Next(1, 50):0000}"));
            Expected.UnknownUnitBlocks++;
        }

        var updated = DateBetween(Max(Age.ThirteenthBirthday(birth), _today.PlusDays(-4000)), _today);
        return Valid(line, VasGeneratedCase.UnitBlocks, id, true, Phone(), updated, blocks, [], [], false, ReminderStatus.NotActivated, NotActivatedReason.MigrationUnitBlocks);
    }

    private VasGeneratedRow MobileBefore13(int line)
    {
        // R33 (rev. 2), ages on the migration date: a known date before the 13th birthday at 13 or older, or an empty
        // date at 13–17.
        var unknown = _random.Next(5) == 0;
        var birth = unknown
            ? BirthBetween(_today.PlusYears(-18).PlusDays(1), _today.PlusYears(-13))
            : BirthBetween(_today.PlusYears(-40), _today.PlusYears(-13));
        var id = NewId(birth);
        var thirteenth = Age.ThirteenthBirthday(birth);
        LocalDate? updated = unknown ? null : DateBetween(birth.PlusYears(8), Min(thirteenth.PlusDays(-1), _today));
        return Valid(line, VasGeneratedCase.MobileBefore13, id, true, Phone(), updated, [], [], [], false, ReminderStatus.NotActivated, NotActivatedReason.MigrationMobileBefore13);
    }

    private VasGeneratedRow Protected(int line)
    {
        var birth = BirthBetween(_goLive.PlusYears(-90), _goLive.PlusYears(-1));
        var id = NewId(birth);
        var updated = DateBetween(Max(birth, _today.PlusDays(-4000)), _today);
        return Valid(line, VasGeneratedCase.ProtectedIdentity, id, _random.Next(2) == 0, Phone(), updated, [], [], [], true, ReminderStatus.NotActivated, NotActivatedReason.ProtectedIdentity);
    }

    private VasGeneratedRow Child(int line, bool under12)
    {
        // under12: the 12th birthday is on or after go-live (R35 migrates); else 12 before go-live and under 13 at it.
        var birth = under12
            ? BirthBetween(_goLive.PlusYears(-12), Min(_goLive.PlusYears(-1), _today))
            : BirthBetween(_goLive.PlusYears(-13).PlusDays(1), _goLive.PlusYears(-12).PlusDays(-1));
        var id = NewId(birth);
        var guardians = new List<string> { Phone() };
        if (_random.Next(2) == 0)
        {
            var second = Phone();
            if (E164(second) != E164(guardians[0]))
            {
                guardians.Add(second);
            }
        }

        if (under12)
        {
            Expected.GuardianNumbersMigrated += guardians.Count;
        }

        return Valid(line, under12 ? VasGeneratedCase.ChildWithGuardians : VasGeneratedCase.TwelveWithGuardians, id, true, null, null, [], guardians, under12 ? guardians : [], false, ReminderStatus.Activated, NotActivatedReason.None);
    }

    private VasGeneratedRow Bad(int line)
    {
        var kind = BadKinds[_badIndex++ % BadKinds.Length];
        if (kind == "Duplicate" && _lastValidId is null)
        {
            kind = "CheckDigit";
        }

        var birth = BirthBetween(_goLive.PlusYears(-80), _goLive.PlusYears(-20));
        var good = NewId(birth).Value;
        var mobile = Phone();
        var date = Iso(DateBetween(_today.PlusDays(-2000), _today));
        var (text, rule) = kind switch
        {
            "Malformed" => ($"{good[..6]}-{good[6..8]}X{good[9..]},J,{mobile},{date},,,N", "R50"),
            "CheckDigit" => ($"{good[..8]}-{good[8..11]}{(good[11] - '0' + 1) % 10},J,{mobile},{date},,,N", "R50"),
            "YesNo" => ($"{good},Ja,{mobile},{date},,,N", "R36"),
            "Date" => ($"{good},J,{mobile},{date.Replace('-', '/')},,,N", "R36"),
            "Phone" => ($"{good},J,070-174 06,{date},,,N", "R16"),
            "NotMobile" => ($"{good},J,031-390 06 {_random.Next(100):00},{date},,,N", "R16"),
            "ColumnCount" => ($"{good},J,{mobile},{date},,N", "R36"),
            _ => ($"{_lastValidId},N,,,,,N", "R36"),
        };
        return new VasGeneratedRow(line, text, VasGeneratedCase.Bad, null, rule);
    }

    private VasGeneratedRow Valid(
        int line,
        VasGeneratedCase @case,
        PersonalIdentityNumber id,
        bool consent,
        string? mobile,
        LocalDate? updated,
        List<string> blocks,
        List<string> guardians,
        List<string> migratedGuardians,
        bool protectedIdentity,
        ReminderStatus status,
        NotActivatedReason reason)
    {
        var mobileE164 = mobile is null ? null : E164(mobile);
        var idText = _random.Next(20) switch
        {
            < 13 => id.ToString(),
            < 19 => id.Value,
            _ => $"{id.Value[2..8]}-{id.Value[8..]}",
        };
        var text = string.Join(
            ',',
            idText,
            consent ? "J" : "N",
            mobile is null ? string.Empty : Quote(mobile),
            updated is { } u ? Iso(u) : string.Empty,
            Quote(string.Join('|', blocks)),
            Quote(string.Join('|', guardians)),
            protectedIdentity ? "J" : "N");
        _lastValidId = id.Value;
        Instant? updatedAt = mobile is not null && !protectedIdentity && updated is { } d ? Stockholm.ToInstant(d.AtMidnight()) : null;
        var patient = new VasGeneratedPatient(id.Value, consent, protectedIdentity ? null : mobileE164, updatedAt, protectedIdentity, status, reason, blocks, migratedGuardians.Select(E164).ToList());
        return new VasGeneratedRow(line, text, @case, patient, null);
    }

    private string Quote(string value) =>
        value.Length > 0 && (value.Contains('|', StringComparison.Ordinal) || value.Contains(' ', StringComparison.Ordinal)) && _random.Next(3) == 0
            ? $"\"{value}\""
            : value;

    private PersonalIdentityNumber NewId(LocalDate birth, bool coordination = false)
    {
        while (true)
        {
            var key = (birth, coordination);
            var next = _birthNumbers.GetValueOrDefault(key) + 1;
            if (next <= 999)
            {
                _birthNumbers[key] = next;
                return PersonalIdentityNumber.Create(birth, next, coordination);
            }

            birth = birth.PlusDays(-1);
        }
    }

    private List<string> KnownUnits(int count)
    {
        var picked = new List<string>(count);
        while (picked.Count < count)
        {
            var unit = _units[_random.Next(_units.Length)].HsaId;
            if (!picked.Contains(unit))
            {
                picked.Add(unit);
            }
        }

        return picked;
    }

    private string ClinicOf(string hsaId) => Array.Find(_units, u => u.HsaId == hsaId).Clinic;

    private string Phone()
    {
        var n = _random.Next(5, 100);
        return _random.Next(4) switch
        {
            0 => $"070-174 06 {n:00}",
            1 => $"+467017406{n:00}",
            2 => $"07017406{n:00}",
            _ => $"+46 70 174 06 {n:00}",
        };
    }

    private static string E164(string phone) => "+467017406" + phone[^2..];

    private LocalDate BirthBetween(LocalDate from, LocalDate to) => DateBetween(from, to);

    private LocalDate DateBetween(LocalDate from, LocalDate to)
    {
        var days = Period.Between(from, to, PeriodUnits.Days).Days;
        return days <= 0 ? from : from.PlusDays(_random.Next(days + 1));
    }

    private static LocalDate Max(LocalDate a, LocalDate b) => a > b ? a : b;

    private static LocalDate Min(LocalDate a, LocalDate b) => a < b ? a : b;

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);

    /// <summary>The instant the generator treats as now (start of <c>today</c>), for callers that need one.</summary>
    public Instant Now => _now;
}
