using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.EService;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class StandardAnswerConfiguration : IEntityTypeConfiguration<StandardAnswer>
{
    public void Configure(EntityTypeBuilder<StandardAnswer> builder)
    {
        builder.ToTable("StandardAnswers");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Text).HasMaxLength(StandardAnswer.MaxTextLength).IsRequired();
    }
}
