using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Infrastructure.Messaging;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class SinkMessageConfiguration : IEntityTypeConfiguration<SinkMessage>
{
    public void Configure(EntityTypeBuilder<SinkMessage> builder)
    {
        builder.ToTable("SinkMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.From).HasMaxLength(32).IsRequired();
        builder.Property(m => m.Text).HasMaxLength(1000).IsRequired();
        builder.Property(m => m.ProviderId).HasMaxLength(100).IsUnicode(false).IsRequired();
        builder.HasIndex(m => m.SmsId);
        builder.HasIndex(m => m.At);
    }
}
