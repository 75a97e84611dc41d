using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Bookings;
using Reminders.Domain.Patients;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> builder)
    {
        builder.ToTable("Bookings");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.ExternalId).HasMaxLength(Booking.MaxExternalIdLength).IsUnicode(false).IsRequired();
        builder.HasIndex(b => b.ExternalId).IsUnique();
        builder.HasOne<Patient>().WithMany().HasForeignKey(b => b.PatientId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CareUnit>().WithMany().HasForeignKey(b => b.Unit).OnDelete(DeleteBehavior.Restrict);

        // A patient's upcoming bookings; a unit's day of arrivals.
        builder.HasIndex(b => new { b.PatientId, b.Start });
        builder.HasIndex(b => new { b.Unit, b.Start });
    }
}
