using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Reminders;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class ReminderSettingConfiguration : IEntityTypeConfiguration<ReminderSetting>
{
    public void Configure(EntityTypeBuilder<ReminderSetting> builder)
    {
        builder.ToTable("ReminderSettings");
        builder.HasKey(s => s.PatientId);
        builder.Property(s => s.PatientId).ValueGeneratedNever();

        // Two receptionists changing the same patient: the second save fails instead of overwriting.
        builder.Property(s => s.Version).IsConcurrencyToken();

        builder.HasIndex(s => new { s.Status, s.NotActivatedReason });

        builder.OwnsMany(s => s.Blocks, b =>
        {
            b.ToTable("ReminderBlocks");
            b.WithOwner().HasForeignKey("PatientId");
            b.Property<int>("Id");
            b.HasKey("Id");
            b.HasIndex(x => x.Unit);
            b.HasIndex("PatientId", nameof(UnitBlock.Unit)).IsUnique();
        });
        builder.Navigation(s => s.Blocks).UsePropertyAccessMode(PropertyAccessMode.Field);

        // R32 (rev. 2): units blocked in VAS, history only; managers list them per unit (R60).
        builder.OwnsMany(s => s.VasBlocks, b =>
        {
            b.ToTable("ReminderVasBlocks");
            b.WithOwner().HasForeignKey("PatientId");
            b.Property<int>("Id");
            b.HasKey("Id");
            // R60's left-out count (R32) reads a unit's left-out patients from this index alone (VasBlockRows).
            b.HasIndex(nameof(VasBlock.Unit), nameof(VasBlock.PatientLeftOut), "PatientId");
            b.HasIndex("PatientId", nameof(VasBlock.Unit)).IsUnique();
        });
        builder.Navigation(s => s.VasBlocks).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(s => s.GuardianNumbers, g =>
        {
            g.ToTable("GuardianNumbers");
            g.WithOwner().HasForeignKey("PatientId");
            g.Property<int>("Id");
            g.HasKey("Id");
        });
        builder.Navigation(s => s.GuardianNumbers).UsePropertyAccessMode(PropertyAccessMode.Field);

        builder.OwnsMany(s => s.Comments, c =>
        {
            c.ToTable("ReminderComments");
            c.WithOwner().HasForeignKey("PatientId");
            c.Property<int>("Id");
            c.HasKey("Id");
            c.Property(x => x.Text).HasMaxLength(ReminderSetting.MaxCommentLength).IsRequired();
        });
        builder.Navigation(s => s.Comments).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
