using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// One VAS import run as recorded in the store (R30–R36): when, with which go-live date and whether
/// <c>--carry-blocks</c> was used (R32). The rule book revision 2 conversion of migrated blocks reads it.
/// </summary>
public sealed class VasImportRecord
{
    private VasImportRecord()
    {
    }

    /// <summary>Internal id.</summary>
    public long Id { get; private set; }

    /// <summary>When the run finished.</summary>
    public Instant RanAt { get; private set; }

    /// <summary>The run's local date: the R30 comment's date and R33's ages.</summary>
    public LocalDate MigrationDate { get; private set; }

    /// <summary>The go-live date used for R35.</summary>
    public LocalDate GoLive { get; private set; }

    /// <summary>True when the VAS blocks were carried over as blocks in force (R32's option).</summary>
    public bool CarryBlocks { get; private set; }

    /// <summary>Rows read.</summary>
    public int Rows { get; private set; }

    /// <summary>Patients activated.</summary>
    public int Activated { get; private set; }

    /// <summary>Who ran it (user id, API key name or <c>system</c>).</summary>
    public string RunBy { get; private set; } = "";

    /// <summary>A record of a finished run.</summary>
    public static VasImportRecord Create(Instant ranAt, LocalDate migrationDate, LocalDate goLive, bool carryBlocks, int rows, int activated, string runBy) => new()
    {
        RanAt = ranAt,
        MigrationDate = migrationDate,
        GoLive = goLive,
        CarryBlocks = carryBlocks,
        Rows = rows,
        Activated = activated,
        RunBy = runBy,
    };
}

internal sealed class VasImportRecordConfiguration : IEntityTypeConfiguration<VasImportRecord>
{
    public void Configure(EntityTypeBuilder<VasImportRecord> builder)
    {
        builder.ToTable("VasImportRecords");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.RunBy).HasMaxLength(450).IsRequired();
        builder.HasIndex(r => r.MigrationDate);
    }
}
