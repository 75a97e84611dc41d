using NodaTime;
using Reminders.Domain.Migration;

namespace Reminders.Infrastructure.VasImport;

/// <summary>How the writes are made.</summary>
public enum VasImportWriteMode
{
    /// <summary>Raw prepared commands on SQLite, EF elsewhere.</summary>
    Auto,

    /// <summary>EF Core without per-row change detection, on any provider (SQL Server's path).</summary>
    ProviderNeutral,
}

/// <summary>Options of one VAS migration run (R30–R36).</summary>
public sealed record VasImportOptions
{
    /// <summary>
    /// The largest VAS file accepted, by the admin page's upload and by <c>POST /api/v1/imports/vas</c> alike:
    /// 200 MB (a million-row VAS file is about 80 MB).
    /// </summary>
    public const long MaxFileBytes = 200L * 1024 * 1024;

    /// <summary>The go-live date for R33 and R35 (configuration <c>Migration:GoLive</c>).</summary>
    public LocalDate GoLive { get; init; } = VasMigrationRules.DefaultGoLive;

    /// <summary>R32's option: activate consenting patients with blocks and carry the blocks over.</summary>
    public bool CarryBlocks { get; init; }

    /// <summary>Rows per transaction.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>At most this many rejected rows are listed; all are counted in <see cref="VasImportReport.RejectedTotal"/>.</summary>
    public int MaxRejectedListed { get; init; } = 10_000;

    /// <summary>The write path; tests use it to prove both paths write the same rows.</summary>
    public VasImportWriteMode WriteMode { get; init; } = VasImportWriteMode.Auto;
}
