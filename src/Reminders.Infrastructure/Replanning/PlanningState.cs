using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;

namespace Reminders.Infrastructure.Replanning;

/// <summary>
/// What the pending SMS in the store were last planned under: the rule book revision whose data steps have run
/// and the policy (R26 link, R28 quiet hours) of the last full replanning. One row. The replanning job (<c>Reminders.Application.Jobs.ReplanningJob</c>)
/// compares it with the code's revision and the policy in force, and replans when either differs; the claim
/// columns let one instance of several do it while the others wait.
/// </summary>
public sealed class PlanningState
{
    /// <summary>The one row's key.</summary>
    public const int SingletonId = 1;

    /// <summary>Always <see cref="SingletonId"/>.</summary>
    public int Id { get; set; } = SingletonId;

    /// <summary>The rule book revision whose data steps have run (1 for a store from before revision 2).</summary>
    public int RulesRevision { get; set; } = 1;

    /// <summary>The <see cref="Domain.Messages.SmsPolicy.Fingerprint"/> the pending SMS were last replanned under; empty when never.</summary>
    public string PolicyFingerprint { get; set; } = "";

    /// <summary>The instance replanning now, or null.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>Until when the claim holds; a crashed instance's claim runs out and another takes over.</summary>
    public Instant? ClaimedUntil { get; set; }

    /// <summary>When the last replanning finished.</summary>
    public Instant? ReplannedAt { get; set; }
}

internal sealed class PlanningStateConfiguration : IEntityTypeConfiguration<PlanningState>
{
    public void Configure(EntityTypeBuilder<PlanningState> builder)
    {
        builder.ToTable("PlanningStates");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.PolicyFingerprint).HasMaxLength(700).IsRequired();
        builder.Property(s => s.ClaimedBy).HasMaxLength(100);
    }
}
