using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Seeding;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Web.Tests.VasImport;

/// <summary>The raw SQLite path and the provider-neutral EF path write the same rows; a generated file gives the expected report.</summary>
public sealed class VasImportWritePathTests
{
    private static readonly LocalDate GoLive = new(2025, 3, 29);
    private static readonly LocalDate Today = new(2025, 3, 27);

    private static MemoryStream Generate(int seed, int rows, out VasGeneratedExpectation expected)
    {
        var stream = new MemoryStream();
        expected = new VasFileGenerator(seed, GoLive, Today, DemoDataSeeder.CreateUnits()).WriteTo(stream, rows);
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task R36_raw_SQLite_rows_are_identical_to_EF_rows_and_read_back_through_EF()
    {
        var file = Generate(7, 3000, out _).ToArray();
        await using var raw = await VasStore.CreateAsync();
        await using var ef = await VasStore.CreateAsync();

        var rawReport = await raw.ImportAsync(new MemoryStream(file), new VasImportOptions { BatchSize = 700 });
        var efReport = await ef.ImportAsync(new MemoryStream(file), new VasImportOptions { BatchSize = 700, WriteMode = VasImportWriteMode.ProviderNeutral });

        Assert.Equal(rawReport.ToJson(), efReport.ToJson());
        var rawDump = await raw.DumpAsync();
        Assert.Equal(rawDump, await ef.DumpAsync());
        Assert.Contains("MobileUpdatedAt=TEXT:20", rawDump, StringComparison.Ordinal);

        // EF reads every raw row back, Instants, enums and value types included.
        await using var db = raw.NewDbContext();
        var settings = await db.ReminderSettings.AsNoTracking().ToListAsync();
        var patients = await db.Patients.AsNoTracking().ToListAsync();
        Assert.Equal(rawReport.Rows - rawReport.RejectedTotal, settings.Count);
        Assert.All(settings, s => Assert.Equal(Instant.FromUtc(2025, 3, 27, 8, 0), Assert.Single(s.Comments).At));
        Assert.Equal(rawReport.Activated, settings.Count(s => s.Status == ReminderStatus.Activated));
        Assert.Equal(rawReport.NotActivated.MigrationUnitBlocks, settings.Count(s => s.NotActivatedReason == NotActivatedReason.MigrationUnitBlocks));
        Assert.Equal(rawReport.GuardianNumbersMigrated, settings.Sum(s => s.GuardianNumbers.Count));
        Assert.Contains(patients, p => p.MobileUpdatedAt is not null);
        Assert.All(patients.Where(p => p.ProtectedIdentity), p => Assert.Null(p.Mobile));
    }

    [Fact]
    public async Task R30_R36_fifty_thousand_generated_rows_give_the_generators_expected_report()
    {
        var file = Generate(2025, 50_000, out var expected);
        await using var store = await VasStore.CreateAsync();

        var report = await store.ImportAsync(file);

        Assert.Equal(expected.Rows, report.Rows);
        Assert.Equal(expected.Activated(carryBlocks: false), report.Activated);
        Assert.Equal(expected.UnitBlocks(carryBlocks: false), report.NotActivated.MigrationUnitBlocks);
        Assert.Equal(expected.Cases[VasGeneratedCase.MobileBefore13], report.NotActivated.MigrationMobileBefore13);
        Assert.Equal(expected.Cases[VasGeneratedCase.ProtectedIdentity], report.NotActivated.ProtectedIdentity);
        Assert.Equal(expected.Cases[VasGeneratedCase.NoConsent], report.NotActivated.NoConsent);
        Assert.Equal(expected.GuardianNumbersMigrated, report.GuardianNumbersMigrated);
        Assert.Equal(expected.UnknownUnitBlocks, report.UnknownUnitBlocks);
        Assert.Equal(expected.Rejected, report.Rejected.Select(r => (r.Line, r.Rule)));
        Assert.Equal(expected.ByClinic.OrderBy(c => c.Key, StringComparer.Ordinal), report.ByClinic.Select(c => KeyValuePair.Create(c.Clinic, c.PatientsWithBlocks)).OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.True(report.ByClinic.Zip(report.ByClinic.Skip(1)).All(p => p.First.PatientsWithBlocks >= p.Second.PatientsWithBlocks));
        foreach (var kind in new[] { "R50", "R36", "R16" })
        {
            Assert.Contains(report.Rejected, r => r.Rule == kind);
        }
    }

    [Fact]
    public async Task R32_carry_blocks_on_a_generated_file_activates_the_blocked_patients()
    {
        var file = Generate(11, 4000, out var expected);
        await using var store = await VasStore.CreateAsync();
        var report = await store.ImportAsync(file, new VasImportOptions { CarryBlocks = true });
        Assert.Equal(expected.Activated(carryBlocks: true), report.Activated);
        Assert.Equal(0, report.NotActivated.MigrationUnitBlocks);
        Assert.Empty(report.ByClinic);
    }
}
