using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class StaffUserConfiguration : IEntityTypeConfiguration<StaffUser>
{
    public void Configure(EntityTypeBuilder<StaffUser> builder)
    {
        builder.Property(u => u.DisplayName).HasMaxLength(200).IsRequired();
        builder.HasMany(u => u.Units).WithOne().HasForeignKey(u => u.UserId).OnDelete(DeleteBehavior.Cascade);

        // One account per HSA-id; accounts without one (local passwords only) are many. SQL Server filters the
        // unique index on NOT NULL by itself, SQLite treats NULLs as distinct.
        builder.HasIndex(u => u.HsaId).IsUnique();
    }
}

internal sealed class StaffUnitConfiguration : IEntityTypeConfiguration<StaffUnit>
{
    public void Configure(EntityTypeBuilder<StaffUnit> builder)
    {
        builder.ToTable("StaffUnits");
        builder.HasKey(u => new { u.UserId, u.Unit });
        builder.HasOne<CareUnit>().WithMany().HasForeignKey(u => u.Unit).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// The package's key entity on the table the hand-written repository used before: the same columns, so no
/// migration. The package writes a short friendly name ("key-{guid}") and always the XML.
/// </summary>
internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.Property(k => k.FriendlyName).HasMaxLength(200);
        builder.Property(k => k.Xml).IsRequired();
    }
}
