using NodaTime;
using Reminders.Domain.Reminders;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Reminders;

/// <summary>
/// R32 (rev. 2): the units a patient blocked in VAS are kept as history (blocks in VAS), not as blocks in force;
/// revision 1's migrated blocks in force are converted to that history, while blocks staff or the resident
/// registered stay in force.
/// </summary>
public class VasBlockTests
{
    private static readonly Instant MigratedAt = Local(2025, 3, 20, 3);
    private static readonly Instant Later = Local(2025, 5, 2, 9);

    [Fact]
    public void R32_a_block_in_VAS_is_kept_as_history_once_and_is_not_a_block_in_force()
    {
        var setting = ReminderSetting.CreateFor(1);

        setting.KeepVasBlock(UnitId, MigratedAt);
        setting.KeepVasBlock(OtherUnitId, MigratedAt);
        setting.KeepVasBlock(UnitId, Later);

        Assert.Equal([new VasBlock(UnitId, MigratedAt), new VasBlock(OtherUnitId, MigratedAt)], setting.VasBlocks);
        Assert.False(setting.IsBlocked(UnitId));
        Assert.Empty(setting.Blocks);
        Assert.Equal(2, setting.Version);
    }

    [Fact]
    public void R32_migrated_blocks_in_force_become_blocks_in_VAS_and_blocks_registered_by_staff_stay_in_force()
    {
        var setting = ReminderSetting.CreateFor(1);
        Assert.True(setting.Block(UnitId, Ctx(MigratedAt, channel: ChangeChannel.Migration)).Succeeded);
        Assert.True(setting.Block(ReceptionUnitId, Ctx(Later, channel: ChangeChannel.CheckIn)).Succeeded);
        Assert.True(setting.Block(OtherUnitId, Ctx(MigratedAt, channel: ChangeChannel.Migration)).Succeeded);
        var before = setting.Version;

        Assert.Equal(2, setting.ConvertMigratedBlocksToVasBlocks());

        Assert.Equal([new VasBlock(UnitId, MigratedAt), new VasBlock(OtherUnitId, MigratedAt)], setting.VasBlocks);
        var kept = Assert.Single(setting.Blocks);
        Assert.Equal(ReceptionUnitId, kept.Unit);
        Assert.Equal(ChangeChannel.CheckIn, kept.Channel);
        Assert.False(setting.IsBlocked(UnitId));
        Assert.False(setting.IsBlocked(OtherUnitId));
        Assert.True(setting.IsBlocked(ReceptionUnitId));
        Assert.True(setting.Version > before);
    }

    [Fact]
    public void R32_converting_again_or_without_migrated_blocks_changes_nothing()
    {
        var setting = ReminderSetting.CreateFor(1);
        Assert.True(setting.Block(ReceptionUnitId, Ctx(Later, channel: ChangeChannel.EService)).Succeeded);
        var before = setting.Version;

        Assert.Equal(0, setting.ConvertMigratedBlocksToVasBlocks());

        Assert.Equal(before, setting.Version);
        Assert.Single(setting.Blocks);
        Assert.Empty(setting.VasBlocks);
    }

    [Fact]
    public void R32_a_migrated_block_already_kept_in_VAS_is_still_taken_out_of_force_and_moves_the_version()
    {
        var setting = ReminderSetting.CreateFor(1);
        setting.KeepVasBlock(UnitId, MigratedAt);
        Assert.True(setting.Block(UnitId, Ctx(MigratedAt, channel: ChangeChannel.Migration)).Succeeded);
        var before = setting.Version;

        Assert.Equal(1, setting.ConvertMigratedBlocksToVasBlocks());

        Assert.Empty(setting.Blocks);
        Assert.Equal([new VasBlock(UnitId, MigratedAt)], setting.VasBlocks);
        Assert.Equal(before + 1, setting.Version);
    }

    [Fact]
    public void R30_a_comment_without_text_is_refused_and_nothing_is_written()
    {
        var setting = ReminderSetting.CreateFor(1);

        var error = Assert.Throws<ArgumentException>(() => setting.AddComment(Later, "  \t "));

        Assert.Equal("text", error.ParamName);
        Assert.Empty(setting.Comments);
        Assert.Equal(0, setting.Version);
    }

    [Fact]
    public void R10_R11_a_mobile_counts_as_the_patients_own_only_for_a_patient_13_or_older_who_has_one()
    {
        var setting = ReminderSetting.CreateFor(1);
        var onDate = new LocalDate(2025, 5, 2);

        // R10: an adult without a mobile has no own number, whatever the (stale) update date says.
        Assert.False(setting.MobileIsOwn(Patient(noMobile: true), onDate));
        Assert.True(setting.MobileIsOwn(Patient(), onDate));

        // R11: a child under 13 never receives SMS on a number of their own.
        var child = Child(new LocalDate(2015, 1, 10), Mobile(20), Local(2024, 2, 1, 12));
        Assert.False(setting.MobileIsOwn(child, onDate));
    }
}
