using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Domain.Bookings;
using Reminders.Domain.EService;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Messaging;

namespace Reminders.Infrastructure.Persistence;

/// <summary>
/// The product's one store. Handlers load aggregates through it, call the domain and save: no
/// repositories over it (docs/decisions/0002). Configurations live beside it, one per aggregate.
/// </summary>
public class RemindersDbContext(DbContextOptions<RemindersDbContext> options) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public DbSet<CareUnit> Units => Set<CareUnit>();

    public DbSet<Patient> Patients => Set<Patient>();

    public DbSet<ReminderSetting> ReminderSettings => Set<ReminderSetting>();

    public DbSet<Booking> Bookings => Set<Booking>();

    public DbSet<OutgoingSms> Messages => Set<OutgoingSms>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<EServiceRequest> EServiceRequests => Set<EServiceRequest>();

    public DbSet<StandardAnswer> StandardAnswers => Set<StandardAnswer>();

    public DbSet<StaffUnit> StaffUnits => Set<StaffUnit>();

    /// <summary>The shared data-protection key ring (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<SinkMessage> SinkMessages => Set<SinkMessage>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<Instant>().HaveConversion<InstantConverter>();
        configurationBuilder.Properties<LocalDate>().HaveConversion<LocalDateConverter>();
        configurationBuilder.Properties<LocalTime>().HaveConversion<LocalTimeConverter>();
        configurationBuilder.Properties<HsaId>().HaveConversion<HsaIdConverter>().HaveMaxLength(31).AreUnicode(false);
        configurationBuilder.Properties<PhoneNumber>().HaveConversion<PhoneNumberConverter>().HaveMaxLength(16).AreUnicode(false);
        configurationBuilder.Properties<PersonalIdentityNumber>().HaveConversion<IdentityNumberConverter>().HaveMaxLength(12).AreUnicode(false);

        // Enums as strings with a max length: readable in the database, safe against reordering.
        EnumAsString<ReminderStatus>(configurationBuilder);
        EnumAsString<NotActivatedReason>(configurationBuilder);
        EnumAsString<ChangeChannel>(configurationBuilder);
        EnumAsString<MobileSource>(configurationBuilder);
        EnumAsString<BookingStatus>(configurationBuilder);
        EnumAsString<BookingOutcome>(configurationBuilder);
        EnumAsString<SmsKind>(configurationBuilder);
        EnumAsString<Recipient>(configurationBuilder);
        EnumAsString<SmsStatus>(configurationBuilder);
        EnumAsString<EServiceKind>(configurationBuilder);
        EnumAsString<EServiceStatus>(configurationBuilder);
    }

    private static void EnumAsString<TEnum>(ModelConfigurationBuilder builder)
        where TEnum : struct, Enum =>
        builder.Properties<TEnum>().HaveConversion<string>().HaveMaxLength(32).AreUnicode(false);

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(RemindersDbContext).Assembly);
    }
}
