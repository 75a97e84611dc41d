using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Audit;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Actor).HasMaxLength(256).IsRequired();
        builder.Property(a => a.Role).HasMaxLength(64);
        builder.Property(a => a.Unit).HasMaxLength(31).IsUnicode(false);
        builder.Property(a => a.Action).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.Property(a => a.Channel).HasMaxLength(32).IsUnicode(false).IsRequired();
        builder.Property(a => a.Details).HasMaxLength(AuditEvent.MaxDetailsLength);

        // A patient's log extract; searches by user and period.
        builder.HasIndex(a => new { a.PatientId, a.At });
        builder.HasIndex(a => new { a.Actor, a.At });
        builder.HasIndex(a => a.At);
    }
}
