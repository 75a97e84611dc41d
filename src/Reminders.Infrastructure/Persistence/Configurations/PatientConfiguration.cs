using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reminders.Domain.Patients;

namespace Reminders.Infrastructure.Persistence.Configurations;

internal sealed class PatientConfiguration : IEntityTypeConfiguration<Patient>
{
    public void Configure(EntityTypeBuilder<Patient> builder)
    {
        builder.ToTable("Patients");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.IdentityNumber).IsRequired();
        builder.HasIndex(p => p.IdentityNumber).IsUnique();
        builder.Property(p => p.Name).HasMaxLength(Patient.MaxNameLength).IsRequired();
        // Stored from the identity number when the patient is created (the number never changes); R60b's adults are
        // selected by it with Age's rule.
        builder.Property(p => p.BirthDate).IsRequired();

        // Issue #16: a desk registration (R15b) and a register update (R15) at the same time: the second save fails
        // instead of overwriting (an application-managed token: SQLite has no rowversion).
        builder.Property(p => p.Version).IsConcurrencyToken();

        // R60b: the same mobile on several adult patients.
        builder.HasIndex(p => p.Mobile);
        builder.HasIndex(p => p.Name);

        builder.HasOne<Domain.Reminders.ReminderSetting>().WithOne().HasForeignKey<Domain.Reminders.ReminderSetting>(s => s.PatientId);
    }
}
