using NodaTime;
using Reminders.Domain.Identity;
using Reminders.Domain.Migration;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;

namespace Reminders.Domain.Tests.Migration;

public sealed class VasMigrationRulesTests
{
    private static readonly LocalDate GoLive = new(2025, 3, 29);
    private static readonly LocalDate MigrationDate = new(2025, 3, 27);
    private static readonly PhoneNumber Mobile = PhoneNumber.FromTrusted("+46701740605");
    private static readonly PhoneNumber Guardian = PhoneNumber.FromTrusted("+46701740606");
    private static readonly HsaId Unit = HsaId.FromTrusted("SE2321000115-K01075");

    private static VasRow Row(
        LocalDate birth,
        bool consent = true,
        bool withMobile = true,
        LocalDate? mobileUpdated = null,
        bool blocks = false,
        bool guardians = false,
        bool protectedIdentity = false) =>
        new(
            PersonalIdentityNumber.Create(birth, 123),
            consent,
            withMobile ? Mobile : null,
            withMobile ? mobileUpdated ?? new LocalDate(2024, 1, 10) : mobileUpdated,
            blocks ? [Unit] : [],
            guardians ? [Guardian] : [],
            protectedIdentity);

    private static VasMigrationOutcome Decide(VasRow row, bool carryBlocks = false) =>
        VasMigrationRules.Decide(row, GoLive, MigrationDate, carryBlocks);

    [Fact]
    public void R30_every_outcome_carries_the_comment_with_the_migration_date()
    {
        foreach (var row in new[] { Row(new LocalDate(1980, 5, 5)), Row(new LocalDate(1980, 5, 5), consent: false), Row(new LocalDate(1980, 5, 5), protectedIdentity: true) })
        {
            Assert.Equal("RPA-migrerat 2025-03-27", Decide(row).Comment);
        }
    }

    [Fact]
    public void R31_consent_activates()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5)));
        Assert.True(outcome.Activate);
        Assert.Equal(VasNotActivatedCause.None, outcome.Cause);
        Assert.Equal(NotActivatedReason.None, outcome.NotActivatedReason);
        Assert.Equal("R31", outcome.Reasons[0].Rule);
    }

    [Fact]
    public void R31_consent_activates_an_adult_without_a_mobile()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5), withMobile: false));
        Assert.True(outcome.Activate);
    }

    [Fact]
    public void R31_no_consent_is_not_activated_and_has_no_setting_reason()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5), consent: false, blocks: true));
        Assert.False(outcome.Activate);
        Assert.Equal(VasNotActivatedCause.NoConsent, outcome.Cause);
        Assert.Equal(NotActivatedReason.None, outcome.NotActivatedReason);
        Assert.Equal([Unit], outcome.Blocks);
    }

    [Fact]
    public void R32_consent_with_blocked_units_is_not_activated_and_keeps_the_blocks()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5), blocks: true));
        Assert.False(outcome.Activate);
        Assert.Equal(VasNotActivatedCause.MigrationUnitBlocks, outcome.Cause);
        Assert.Equal(NotActivatedReason.MigrationUnitBlocks, outcome.NotActivatedReason);
        Assert.Equal(Reasons.MigrationUnitBlocks, outcome.Reasons[0]);
        Assert.Equal([Unit], outcome.Blocks);
    }

    [Fact]
    public void R32_carry_blocks_activates_with_the_blocks()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5), blocks: true), carryBlocks: true);
        Assert.True(outcome.Activate);
        Assert.Equal([Unit], outcome.Blocks);
        Assert.Contains(Reasons.MigrationBlocksCarried, outcome.Reasons);
    }

    [Fact]
    public void R32_carry_blocks_does_not_lift_R33()
    {
        var birth = new LocalDate(2005, 6, 1);
        var outcome = Decide(Row(birth, blocks: true, mobileUpdated: new LocalDate(2017, 1, 1)), carryBlocks: true);
        Assert.Equal(VasNotActivatedCause.MigrationMobileBefore13, outcome.Cause);
    }

    [Fact]
    public void R32_comes_before_R33_when_both_apply_and_both_are_listed()
    {
        var outcome = Decide(Row(new LocalDate(2005, 6, 1), blocks: true, mobileUpdated: new LocalDate(2017, 1, 1)));
        Assert.Equal(VasNotActivatedCause.MigrationUnitBlocks, outcome.Cause);
        Assert.Equal(["R32", "R33"], outcome.Reasons.Select(r => r.Rule));
    }

    public static TheoryData<string, string?, bool> R33Cases => new()
    {
        // birth date, mobile_updated (null: empty), activated; the migration runs 2025-03-27, go-live 2025-03-29
        { "2010-01-01", "2022-12-31", false },   // 15, updated the day before the 13th birthday
        { "2010-01-01", "2023-01-01", true },    // 15, updated on the 13th birthday
        { "2010-01-01", null, false },           // 15, empty date: 13–17 needs a confirmation
        { "2012-03-27", null, false },           // 13 on the migration date, empty date
        { "2012-03-27", "2025-03-27", true },    // 13 on the migration date, updated on the birthday
        { "2012-03-28", null, true },            // 12 on the migration date (13 at go-live): R33 does not apply
        { "2012-03-28", "2020-01-01", true },    // 12 on the migration date: R12 decides at each booking
        { "2007-03-27", null, true },            // 18 on the migration date, empty date: an adult counts
        { "2007-03-28", null, false },           // 17 on the migration date (18 the next day), empty date
        { "1950-01-01", "1960-01-01", false },   // adult, known date before the 13th birthday
        { "1950-01-01", "1963-01-01", true },    // adult, updated on the 13th birthday
        { "1950-01-01", null, true },            // adult, empty date (revision 1 left this patient out)
    };

    [Theory]
    [MemberData(nameof(R33Cases))]
    public void R33_mobile_that_would_not_count_under_R12_on_the_migration_date_is_not_activated(string birth, string? updated, bool activated)
    {
        var row = Row(Date(birth), mobileUpdated: updated is null ? null : Date(updated)) with { MobileUpdated = updated is null ? null : Date(updated) };
        var outcome = Decide(row);
        Assert.Equal(activated, outcome.Activate);
        if (!activated)
        {
            Assert.Equal(NotActivatedReason.MigrationMobileBefore13, outcome.NotActivatedReason);
            Assert.Equal(Reasons.MigrationMobileBefore13, outcome.Reasons[0]);
        }
        else
        {
            Assert.Equal(Reasons.MigrationActivated, outcome.Reasons[0]);
        }
    }

    [Fact]
    public void R33_ages_are_taken_on_the_migration_date_not_on_go_live()
    {
        // 17 on the migration date, 18 on go-live, empty date: the run's date decides, so not activated.
        var row = Row(new LocalDate(2007, 3, 28)) with { MobileUpdated = null };
        Assert.False(VasMigrationRules.Decide(row, GoLive, MigrationDate, carryBlocks: false).Activate);

        // The same row migrated on the day after: 18, activated.
        Assert.True(VasMigrationRules.Decide(row, GoLive, MigrationDate.PlusDays(1), carryBlocks: false).Activate);
    }

    [Fact]
    public void R33_does_not_apply_without_a_mobile()
    {
        var outcome = Decide(Row(new LocalDate(2005, 6, 1), withMobile: false));
        Assert.True(outcome.Activate);
    }

    [Fact]
    public void R33_29_February_birth_turns_13_on_28_February()
    {
        var birth = new LocalDate(2008, 2, 29);
        Assert.True(Decide(Row(birth, mobileUpdated: new LocalDate(2021, 2, 28))).Activate);
        Assert.False(Decide(Row(birth, mobileUpdated: new LocalDate(2021, 2, 27))).Activate);
    }

    [Fact]
    public void R34_protected_identity_is_not_activated_and_no_numbers_are_kept()
    {
        var outcome = Decide(Row(new LocalDate(2016, 5, 5), guardians: true, protectedIdentity: true));
        Assert.False(outcome.Activate);
        Assert.Equal(NotActivatedReason.ProtectedIdentity, outcome.NotActivatedReason);
        Assert.Equal("R34", outcome.Reasons[0].Rule);
        Assert.Null(outcome.Mobile);
        Assert.Null(outcome.MobileUpdatedAt);
        Assert.Empty(outcome.GuardianNumbers);
    }

    [Fact]
    public void R34_protected_identity_wins_over_no_consent_and_blocks()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5), consent: false, blocks: true, protectedIdentity: true));
        Assert.Equal(VasNotActivatedCause.ProtectedIdentity, outcome.Cause);
    }

    public static TheoryData<string, bool> R35Cases => new()
    {
        // birth date (go-live 2025-03-29), guardian numbers migrated
        { "2013-03-28", false }, // 12th birthday the day before go-live: had turned 12 before go-live
        { "2013-03-29", true },  // 12th birthday on go-live day: had not turned 12 before it
        { "2013-03-30", true },  // 12th birthday the day after go-live
        { "2020-01-01", true },
        { "2012-06-01", false }, // 12 at go-live, still under 13
    };

    [Theory]
    [MemberData(nameof(R35Cases))]
    public void R35_guardian_numbers_only_for_children_not_12_before_go_live(string birth, bool migrated)
    {
        var outcome = Decide(Row(Date(birth), withMobile: false, guardians: true));
        Assert.Equal(migrated, outcome.GuardianNumbers.Count == 1);
        Assert.True(outcome.Activate);
        Assert.Equal(!migrated, outcome.Reasons.Contains(Reasons.MigrationGuardianNumbersAfter12));
    }

    [Fact]
    public void R35_leap_day_birth_turns_12_on_29_February_since_12_is_a_multiple_of_4()
    {
        Assert.True(VasMigrationRules.GuardianNumbersMigrate(new LocalDate(2012, 2, 29), new LocalDate(2024, 2, 29)));
        Assert.False(VasMigrationRules.GuardianNumbersMigrate(new LocalDate(2012, 2, 29), new LocalDate(2024, 3, 1)));
        Assert.False(VasMigrationRules.GuardianNumbersMigrate(new LocalDate(2015, 2, 28), new LocalDate(2027, 3, 1)));
    }

    [Fact]
    public void R13_guardian_numbers_are_dropped_when_13_on_the_migration_date()
    {
        // Migration run long after go-live: the child was under 12 at go-live but is 13 now.
        var outcome = VasMigrationRules.Decide(Row(new LocalDate(2013, 6, 1), withMobile: false, guardians: true), GoLive, new LocalDate(2026, 6, 1), carryBlocks: false);
        Assert.Empty(outcome.GuardianNumbers);
        Assert.Contains(Reasons.GuardianNumbersAt13, outcome.Reasons);
    }

    [Fact]
    public void R15_mobile_updated_is_the_start_of_the_local_day_as_delivery_instant()
    {
        var outcome = Decide(Row(new LocalDate(1980, 5, 5), mobileUpdated: new LocalDate(2024, 7, 1)));
        Assert.Equal(Mobile, outcome.Mobile);
        Assert.Equal(Instant.FromUtc(2024, 6, 30, 22, 0), outcome.MobileUpdatedAt);
        Assert.Equal(new LocalDate(2024, 7, 1), Stockholm.DateOf(outcome.MobileUpdatedAt!.Value));
    }

    private static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;
}
