using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// A row of <c>ReminderVasBlocks</c> read on its own (R60's left-out count per unit, R32). The blocks are owned by
/// the reminder setting, and owned rows can only be queried through their owner: that join costs a random read of
/// the owner's row for each block, ~800 reads for one unit at a million patients. Read-only: keyless, mapped as a
/// view of the table, so no migration creates or alters anything for it; the setting writes the rows.
/// </summary>
public sealed class VasBlockRow
{
    /// <summary>The patient.</summary>
    public long PatientId { get; private set; }

    /// <summary>The unit blocked in VAS.</summary>
    public HsaId Unit { get; private set; } = null!;

    /// <summary>See <see cref="Domain.Reminders.VasBlock.PatientLeftOut"/>.</summary>
    public bool PatientLeftOut { get; private set; }
}

internal sealed class VasBlockRowConfiguration : IEntityTypeConfiguration<VasBlockRow>
{
    public void Configure(EntityTypeBuilder<VasBlockRow> builder)
    {
        builder.HasNoKey();
        builder.ToView("ReminderVasBlocks");
    }
}
