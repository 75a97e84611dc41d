using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// The migration report, serialised exactly as the integration contract's
/// <c>{ rows, activated, notActivated, guardianNumbersMigrated, rejected, byClinic }</c>, plus added fields.
/// Counts follow the rules' outcome for the file, so a re-run reports the same figures (R36);
/// <c>alreadyMigrated</c> says how many patients the run left alone because they were migrated before.
/// </summary>
public sealed class VasImportReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };

    /// <summary>Data rows read (the header not counted), rejected rows included.</summary>
    [JsonPropertyName("rows")]
    public int Rows { get; init; }

    /// <summary>Patients activated by the rules (R31).</summary>
    [JsonPropertyName("activated")]
    public int Activated { get; init; }

    /// <summary>Patients not activated, by cause.</summary>
    [JsonPropertyName("notActivated")]
    public VasNotActivatedCounts NotActivated { get; init; } = new();

    /// <summary>Guardian numbers migrated (numbers, not patients; R35).</summary>
    [JsonPropertyName("guardianNumbersMigrated")]
    public int GuardianNumbersMigrated { get; init; }

    /// <summary>Rejected rows with line number and reason (R36); at most <c>VasImportOptions.MaxRejectedListed</c> (10 000).</summary>
    [JsonPropertyName("rejected")]
    public IReadOnlyList<VasRejectedRow> Rejected { get; init; } = [];

    /// <summary>Patients left unactivated because of blocks (R32), by the clinic of their blocked units (R60).</summary>
    [JsonPropertyName("byClinic")]
    public IReadOnlyList<VasClinicCount> ByClinic { get; init; } = [];

    /// <summary>Added: every rejected row, also those beyond the listed ones.</summary>
    [JsonPropertyName("rejectedTotal")]
    public int RejectedTotal { get; init; }

    /// <summary>Added: blocks naming a well-formed HSA-id that is not a known unit; kept as blocks.</summary>
    [JsonPropertyName("unknownUnitBlocks")]
    public int UnknownUnitBlocks { get; init; }

    /// <summary>Added: the distinct unknown HSA-ids, sorted.</summary>
    [JsonPropertyName("unknownUnits")]
    public IReadOnlyList<string> UnknownUnits { get; init; } = [];

    /// <summary>Added: patients already migrated by an earlier run and left unchanged (R36).</summary>
    [JsonPropertyName("alreadyMigrated")]
    public int AlreadyMigrated { get; init; }

    /// <summary>Added: the migration date (the R30 comment's date).</summary>
    [JsonPropertyName("migrationDate")]
    public string MigrationDate { get; init; } = string.Empty;

    /// <summary>Added: the go-live date used for R33 and R35.</summary>
    [JsonPropertyName("goLive")]
    public string GoLive { get; init; } = string.Empty;

    /// <summary>Added: whether blocks were carried over (R32's option).</summary>
    [JsonPropertyName("carryBlocks")]
    public bool CarryBlocks { get; init; }

    /// <summary>Added (rev. 2): adults (18+ on the run's date) with an empty <c>mobile_updated</c>, activated (R12, R33).</summary>
    [JsonPropertyName("adultsWithUnknownDateActivated")]
    public int AdultsWithUnknownDateActivated { get; init; }

    /// <summary>Added (rev. 2): R33's two cases, which staff fix by a confirmation at the desk or a 1177 update.</summary>
    [JsonPropertyName("needConfirmation")]
    public VasNeedConfirmationCounts NeedConfirmation { get; init; } = new();

    /// <summary>Added (rev. 2): patients whose VAS blocks were kept as history, not in force (R32 without carry-blocks).</summary>
    [JsonPropertyName("patientsWithVasBlocks")]
    public int PatientsWithVasBlocks { get; init; }

    /// <summary>The report as the contract's JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>The contract's <c>notActivated</c> object; its keys are the reason names.</summary>
public sealed class VasNotActivatedCounts
{
    /// <summary>R32.</summary>
    [JsonPropertyName("MigrationUnitBlocks")]
    public int MigrationUnitBlocks { get; init; }

    /// <summary>R33.</summary>
    [JsonPropertyName("MigrationMobileBefore13")]
    public int MigrationMobileBefore13 { get; init; }

    /// <summary>R34.</summary>
    [JsonPropertyName("ProtectedIdentity")]
    public int ProtectedIdentity { get; init; }

    /// <summary>R31: no consent in VAS.</summary>
    [JsonPropertyName("NoConsent")]
    public int NoConsent { get; init; }
}

/// <summary>R33 (rev. 2): consenting patients not activated because their number would not count under R12.</summary>
public sealed class VasNeedConfirmationCounts
{
    /// <summary><c>mobile_updated</c> before the 13th birthday (any age 13+).</summary>
    [JsonPropertyName("mobileUpdatedBefore13")]
    public int MobileUpdatedBefore13 { get; init; }

    /// <summary>13–17 with an empty <c>mobile_updated</c>.</summary>
    [JsonPropertyName("teensWithUnknownDate")]
    public int TeensWithUnknownDate { get; init; }
}

/// <summary>A rejected row.</summary>
/// <param name="Line">The file line the row starts on (the header is line 1).</param>
/// <param name="Reason">Rule ID, code and Swedish text, e.g. <c>R50 CheckDigit: Kontrollsiffran stämmer inte.</c></param>
/// <param name="Rule">Added: the rule ID alone.</param>
public sealed record VasRejectedRow(
    [property: JsonPropertyName("line")] int Line,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("rule")] string Rule);

/// <summary>A clinic's count of patients left unactivated because of blocks (each patient once per clinic).</summary>
/// <param name="Clinic">The clinic.</param>
/// <param name="PatientsWithBlocks">The number of patients.</param>
public sealed record VasClinicCount(
    [property: JsonPropertyName("clinic")] string Clinic,
    [property: JsonPropertyName("patientsWithBlocks")] int PatientsWithBlocks);

/// <summary>Progress of a running import: counts only, never personal data.</summary>
/// <param name="RowsDone">Data rows read and handled so far.</param>
/// <param name="Elapsed">Time since the import started.</param>
/// <param name="Completed">True for the last report, after every row was written.</param>
public sealed record VasImportProgress(int RowsDone, TimeSpan Elapsed, bool Completed = false)
{
    /// <summary>Rows per second so far.</summary>
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? RowsDone / Elapsed.TotalSeconds : 0;
}

/// <summary>The file could not be read (missing, empty, not UTF-8, wrong header): nothing was written.</summary>
public sealed class VasImportFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VasImportFileException()
    {
    }

    /// <summary>Creates the exception with a message for the operator.</summary>
    public VasImportFileException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public VasImportFileException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
