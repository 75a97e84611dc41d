using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.EService;
using Reminders.Domain.Patients;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class EServiceRequestConfiguration : IEntityTypeConfiguration<EServiceRequest>
{
    public void Configure(EntityTypeBuilder<EServiceRequest> builder)
    {
        builder.ToTable("EServiceRequests");
        builder.HasKey(r => r.Id);
        builder.HasOne<Patient>().WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(r => r.Number).HasMaxLength(40);
        builder.Property(r => r.HandledBy).HasMaxLength(256);
        builder.Property(r => r.Answer).HasMaxLength(1000);

        // R45, issue #16: two staff handling the same request at once: one takes it in hand, the other's save fails.
        builder.Property(r => r.Version).IsConcurrencyToken();

        // The receiving unit's inbox.
        builder.HasIndex(r => new { r.ReceivedAtUnit, r.Status, r.ReceivedAt });
    }
}
