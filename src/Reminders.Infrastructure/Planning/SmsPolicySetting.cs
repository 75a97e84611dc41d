using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Domain.Messages;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Planning;

/// <summary>
/// The admin's setting of the decision's policy (R26 link, R28 quiet hours): one row. Absent until an admin
/// saves the settings page; until then configuration (<see cref="SmsPolicyOptions"/>) is the policy.
/// </summary>
public sealed class SmsPolicySetting
{
    /// <summary>The longest link stored.</summary>
    public const int MaxLinkLength = 500;

    /// <summary>The one row's key.</summary>
    public const int SingletonId = 1;

    /// <summary>Always <see cref="SingletonId"/>.</summary>
    public int Id { get; set; } = SingletonId;

    /// <summary>R28 switch.</summary>
    public bool QuietHoursEnabled { get; set; }

    /// <summary>R28 start, local.</summary>
    public LocalTime QuietHoursStart { get; set; }

    /// <summary>R28 end, local.</summary>
    public LocalTime QuietHoursEnd { get; set; }

    /// <summary>R26 link; empty means none.</summary>
    public string SelfCheckInLink { get; set; } = "";

    /// <summary>When it was last saved.</summary>
    public Instant UpdatedAt { get; set; }

    /// <summary>The user id who last saved it.</summary>
    public string UpdatedBy { get; set; } = "";

    /// <summary>The policy this row describes.</summary>
    public SmsPolicy ToPolicy() => new(new QuietHours(QuietHoursEnabled, QuietHoursStart, QuietHoursEnd), SelfCheckInLink);
}

internal sealed class SmsPolicySettingConfiguration : IEntityTypeConfiguration<SmsPolicySetting>
{
    public void Configure(EntityTypeBuilder<SmsPolicySetting> builder)
    {
        builder.ToTable("SmsPolicySettings");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.SelfCheckInLink).HasMaxLength(SmsPolicySetting.MaxLinkLength).IsRequired();
        builder.Property(s => s.UpdatedBy).HasMaxLength(450).IsRequired();
    }
}

/// <summary>
/// The policy in force: the admin's saved setting, else configuration. Cached for <see cref="CacheFor"/> so
/// the planner and dispatcher do not read it per SMS; saving the settings page calls <see cref="Invalidate"/>,
/// and other instances of the app pick the change up within the cache time.
/// </summary>
public sealed class DatabaseSmsPolicySource(IServiceScopeFactory scopes, TimeProvider time, SmsPolicy fallback) : ISmsPolicySource
{
    /// <summary>How long a read policy is used.</summary>
    public static TimeSpan CacheFor { get; } = TimeSpan.FromSeconds(30);

    private readonly TimedCache<SmsPolicy> _cache = new(time, CacheFor);

    /// <summary>Configuration's policy, used while no setting is saved.</summary>
    public SmsPolicy Fallback => fallback;

    /// <inheritdoc />
    public SmsPolicy Current => _cache.Get(() =>
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var row = db.Set<SmsPolicySetting>().AsNoTracking().SingleOrDefault(s => s.Id == SmsPolicySetting.SingletonId);
        return row?.ToPolicy() ?? fallback;
    });

    /// <summary>Forgets the cached policy (after a save).</summary>
    public void Invalidate() => _cache.Invalidate();
}
