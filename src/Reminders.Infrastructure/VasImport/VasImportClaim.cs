using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NodaTime;
using NodaTime.Text;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.VasImport;

/// <summary>
/// Issue #16 item 9: the one row that lets one VAS import run at a time across every instance on the store
/// (production runs two or more on one SQL Server: an in-process lock is not enough). An import claims it before it
/// reads its file, extends the claim between batches and drops it when it ends; a claim that is not extended runs
/// out after <see cref="ClaimFor"/>, so a crashed import blocks the next one for at most that long. Job state only,
/// no patient data: written with plain statements, not through the write primitive. The row is created by the
/// migrations (seed data), so claiming is one conditional update.
/// </summary>
public sealed class VasImportClaim
{
    /// <summary>The one row's key.</summary>
    public const int SingletonId = 1;

    /// <summary>How long a claim holds without being extended (a batch takes well under a second).</summary>
    public static readonly Duration ClaimFor = Duration.FromMinutes(10);

    /// <summary>How often a running import extends its claim (well inside <see cref="ClaimFor"/>).</summary>
    public static readonly Duration ExtendEvery = Duration.FromMinutes(1);

    /// <summary>Always <see cref="SingletonId"/>.</summary>
    public int Id { get; set; } = SingletonId;

    /// <summary>The running import (machine and a run id), or null.</summary>
    public string? ClaimedBy { get; set; }

    /// <summary>When the running import started.</summary>
    public Instant? ClaimedAt { get; set; }

    /// <summary>Until when the claim holds unless extended.</summary>
    public Instant? ClaimedUntil { get; set; }

    /// <summary>
    /// Claims the row for <paramref name="run"/>; throws <see cref="VasImportBusyException"/> when another import
    /// holds an unexpired claim (then nothing was changed).
    /// </summary>
    internal static async Task ClaimAsync(RemindersDbContext db, string run, Instant now, CancellationToken cancellationToken)
    {
        var until = now + ClaimFor;
        var claimed = await db.Set<VasImportClaim>()
            .Where(c => c.Id == SingletonId && (c.ClaimedUntil == null || c.ClaimedUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedBy, run).SetProperty(c => c.ClaimedAt, now).SetProperty(c => c.ClaimedUntil, until), cancellationToken);
        if (claimed == 1)
        {
            return;
        }

        var holder = await db.Set<VasImportClaim>().AsNoTracking().SingleAsync(c => c.Id == SingletonId, cancellationToken);
        throw new VasImportBusyException(holder.ClaimedAt ?? now, holder.ClaimedUntil ?? until);
    }

    /// <summary>Extends <paramref name="run"/>'s claim (between batches, every <see cref="ExtendEvery"/>).</summary>
    internal static Task ExtendAsync(RemindersDbContext db, string run, Instant now, CancellationToken cancellationToken) =>
        db.Set<VasImportClaim>()
            .Where(c => c.Id == SingletonId && c.ClaimedBy == run)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedUntil, now + ClaimFor), cancellationToken);

    /// <summary>Drops <paramref name="run"/>'s claim, however the import ended.</summary>
    internal static Task ReleaseAsync(RemindersDbContext db, string run) =>
        db.Set<VasImportClaim>()
            .Where(c => c.Id == SingletonId && c.ClaimedBy == run)
            .ExecuteUpdateAsync(u => u.SetProperty(c => c.ClaimedBy, (string?)null).SetProperty(c => c.ClaimedAt, (Instant?)null).SetProperty(c => c.ClaimedUntil, (Instant?)null), CancellationToken.None);
}

/// <summary>Another VAS import holds the claim (<see cref="VasImportClaim"/>): this one read and wrote nothing.</summary>
public sealed class VasImportBusyException : Exception
{
    /// <summary>Creates the exception.</summary>
    public VasImportBusyException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public VasImportBusyException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public VasImportBusyException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The running import's start and the end of its claim.</summary>
    public VasImportBusyException(Instant startedAt, Instant claimedUntil)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Another VAS import is running (started {InstantPattern.General.Format(startedAt)}; if it stopped without finishing, its claim runs out at {InstantPattern.General.Format(claimedUntil)}). Nothing was imported: run it again when the other one has finished."))
    {
        StartedAt = startedAt;
        ClaimedUntil = claimedUntil;
    }

    /// <summary>When the running import started.</summary>
    public Instant StartedAt { get; }

    /// <summary>When its claim runs out unless it is extended.</summary>
    public Instant ClaimedUntil { get; }
}

internal sealed class VasImportClaimConfiguration : IEntityTypeConfiguration<VasImportClaim>
{
    public void Configure(EntityTypeBuilder<VasImportClaim> builder)
    {
        builder.ToTable("VasImportClaims");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ClaimedBy).HasMaxLength(100);
        builder.HasData(new VasImportClaim());
    }
}
