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

        // R60 (R33): a unit's booked patients from the index alone.
        builder.HasIndex(b => new { b.Unit, b.Status, b.PatientId });

        // R60b: the bookings whose SMS reach nobody, or not decided yet, per unit and start (the managers' overview,
        // the data-quality report and the region view count these). Partial: most bookings are reachable or of
        // patients the reports do not count (BookingReach.NotActivated). Covering (status, patient, answer), so the
        // overview's count reads the index alone. The filter's constants are repeated by the queries ("<> 1 AND <> 3",
        // inlined by EF), which SQLite and SQL Server both need to use it; brackets quote the column on both.
        builder.HasIndex(b => new { b.Unit, b.Start, b.Status, b.PatientId, b.Reach }, "IX_Bookings_Unit_Start_NotReached")
            .HasFilter("[Reach] <> 1 AND [Reach] <> 3");
    }
}
