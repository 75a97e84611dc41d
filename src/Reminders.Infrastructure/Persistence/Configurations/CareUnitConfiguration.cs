using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class CareUnitConfiguration : IEntityTypeConfiguration<CareUnit>
{
    public void Configure(EntityTypeBuilder<CareUnit> builder)
    {
        builder.ToTable("Units");
        builder.HasKey(u => u.HsaId);
        builder.Property(u => u.Name).HasMaxLength(CareUnit.MaxNameLength).IsRequired();
        builder.Property(u => u.Clinic).HasMaxLength(CareUnit.MaxClinicLength).IsRequired();
        builder.HasIndex(u => u.Clinic);
    }
}
