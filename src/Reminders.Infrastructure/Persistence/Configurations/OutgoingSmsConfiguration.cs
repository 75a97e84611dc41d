using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class OutgoingSmsConfiguration : IEntityTypeConfiguration<OutgoingSms>
{
    public void Configure(EntityTypeBuilder<OutgoingSms> builder)
    {
        builder.ToTable("Messages");
        builder.HasKey(m => m.Id);
        builder.HasOne<Booking>().WithMany().HasForeignKey(m => m.BookingId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(m => m.Text).HasMaxLength(1000).IsRequired();
        builder.Property(m => m.CallbackToken).HasMaxLength(64).IsUnicode(false).IsRequired();
        builder.HasIndex(m => m.CallbackToken).IsUnique();
        builder.Property(m => m.ProviderId).HasMaxLength(100).IsUnicode(false);
        builder.HasIndex(m => m.ProviderId);
        builder.Property(m => m.LastError).HasMaxLength(500);
        builder.Property(m => m.LeaseOwner).HasMaxLength(100).IsUnicode(false);

        // Every save of an SMS is conditional on the lease it was loaded with: two dispatcher instances, or the
        // dispatcher and a replanning request, never both move the same SMS on (docs/decisions/0005).
        builder.Property(m => m.LeaseOwner).IsConcurrencyToken();

        // Every save of an SMS checks its state too: a request that loaded it while Pending can never overwrite
        // Sending (the dispatcher started it), so a sent SMS is never relabelled and then revived (R22).
        builder.Property(m => m.Status).IsConcurrencyToken();

        // And its attempts: every attempt goes through Sending (attempts + 1), so a request that loaded it Pending
        // cannot overwrite a retry that went Pending → Sending → Pending meanwhile, lease released, and take back
        // the retry's backoff (R22, R23, docs/decisions/0005).
        builder.Property(m => m.Attempts).IsConcurrencyToken();

        builder.Ignore(m => m.Reasons);
        builder.Ignore(m => m.IsPending);
        builder.Ignore(m => m.WasAttempted);
        builder.Property<List<Reason>>("_reasons")
            .HasColumnName("Reasons")
            .HasConversion<ReasonsConverter, ReasonsComparer>()
            .IsRequired();

        // The dispatcher's claim: due SMS by status and time.
        builder.HasIndex(m => new { m.Status, m.NotBefore });
        builder.HasIndex(m => m.BookingId);
    }
}
