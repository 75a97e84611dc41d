using NodaTime;
using Reminders.Domain.Reminders;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Reminders;

/// <summary>
/// The reminder setting aggregate: every refusal is a <see cref="Result"/> with the rule's reason (never an
/// exception), repeated operations are idempotent, and <see cref="ReminderSetting.Version"/> changes with every
/// change and only then.
/// </summary>
public class ReminderSettingTests
{
    // Born 2012-06-15: 13th birthday 2025-06-15.
    private static readonly LocalDate Birth = new(2012, 6, 15);

    private static readonly Instant Now = Local(2025, 5, 2, 9);

    private static void AssertRefused(Result result, params string[] expected)
    {
        Assert.False(result.Succeeded);
        Assert.Equal(expected.Order(), Codes(result.Reasons).Order());
    }

    [Fact]
    public void R1_a_new_setting_is_not_activated_and_has_version_0()
    {
        var setting = ReminderSetting.CreateFor(42);

        Assert.Equal(42, setting.PatientId);
        Assert.Equal(ReminderStatus.NotActivated, setting.Status);
        Assert.Equal(NotActivatedReason.None, setting.NotActivatedReason);
        Assert.Equal(0, setting.Version);
    }

    [Fact]
    public void R1_R2_activate_records_when_and_where_and_is_idempotent()
    {
        var patient = Patient();
        var setting = ReminderSetting.CreateFor(1);

        Assert.True(setting.Activate(patient, Ctx(Now, OtherUnitId)).Succeeded);
        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Equal(Now, setting.StatusChangedAt);
        Assert.Equal(OtherUnitId, setting.StatusChangedAtUnit);
        Assert.Equal(1, setting.Version);

        Assert.True(setting.Activate(patient, Ctx(Now + Duration.FromDays(1), UnitId)).Succeeded);
        Assert.Equal(1, setting.Version);
        Assert.Equal(Now, setting.StatusChangedAt);
        Assert.Equal(OtherUnitId, setting.StatusChangedAtUnit);
    }

    [Fact]
    public void R14_activation_of_a_protected_patient_is_refused_with_R14_and_changes_nothing()
    {
        var patient = Patient(protectedIdentity: true);
        var setting = ReminderSetting.CreateFor(1);

        AssertRefused(setting.Activate(patient, Ctx(Now)), "R14 ProtectedIdentity");
        Assert.Equal(ReminderStatus.NotActivated, setting.Status);
        Assert.Equal(0, setting.Version);
    }

    [Fact]
    public void R5_deactivate_is_idempotent()
    {
        var setting = Setting(Patient());
        var before = setting.Version;

        Assert.True(setting.Deactivate(Ctx(Now, channel: ChangeChannel.EService)).Succeeded);
        Assert.True(setting.Deactivate(Ctx(Now + Duration.FromHours(1))).Succeeded);

        Assert.Equal(ReminderStatus.Deactivated, setting.Status);
        Assert.Equal(before + 1, setting.Version);
        Assert.Equal(Now, setting.StatusChangedAt);
    }

    [Fact]
    public void R5_deactivate_works_even_for_a_never_activated_patient_and_differs_from_never_asked()
    {
        var setting = ReminderSetting.CreateFor(1);

        Assert.True(setting.Deactivate(Ctx(Now)).Succeeded);

        Assert.Equal(ReminderStatus.Deactivated, setting.Status);
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R6_decline_while_activated_is_refused_and_changes_nothing()
    {
        var setting = Setting(Patient());
        var before = setting.Version;

        AssertRefused(setting.Decline(Ctx(Now)), "R6 AlreadyActivated");
        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Null(setting.DeclinedOn);
        Assert.Equal(before, setting.Version);
    }

    [Fact]
    public void R6_decline_records_the_local_date_and_the_unit()
    {
        var setting = ReminderSetting.CreateFor(1);
        var lateEvening = Instant.FromUtc(2025, 5, 1, 22, 30); // 00:30 on 2 May in Stockholm

        Assert.True(setting.Decline(Ctx(lateEvening, UnitId)).Succeeded);

        Assert.Equal(ReminderStatus.Declined, setting.Status);
        Assert.Equal(new LocalDate(2025, 5, 2), setting.DeclinedOn);
        Assert.Equal(UnitId, setting.StatusChangedAtUnit);
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R6_activation_after_declining_clears_the_decline()
    {
        var patient = Patient();
        var setting = ReminderSetting.CreateFor(1);
        setting.Decline(Ctx(Local(2025, 1, 15, 10)));

        Assert.True(setting.Activate(patient, Ctx(Local(2025, 2, 1, 10))).Succeeded);

        Assert.Null(setting.DeclinedOn);
        Assert.Equal(ReminderStatus.Activated, setting.Status);
    }

    [Fact]
    public void R6_deactivating_after_declining_clears_the_decline_date()
    {
        var setting = ReminderSetting.CreateFor(1);
        setting.Decline(Ctx(Local(2025, 1, 15, 10)));

        setting.Deactivate(Ctx(Now));

        Assert.Null(setting.DeclinedOn);
        Assert.Equal(ReminderStatus.Deactivated, setting.Status);
    }

    [Fact]
    public void R3_block_records_the_unit_where_it_was_registered_and_is_idempotent()
    {
        var setting = Setting(Patient());
        var before = setting.Version;

        // Staff at the reception unit register a block of another unit: handled where the resident turned.
        Assert.True(setting.Block(OtherUnitId, Ctx(Now, ReceptionUnitId, ChangeChannel.EService)).Succeeded);
        Assert.True(setting.Block(OtherUnitId, Ctx(Now + Duration.FromHours(1), UnitId)).Succeeded);

        var block = Assert.Single(setting.Blocks);
        Assert.Equal(new UnitBlock(OtherUnitId, Now, ReceptionUnitId, ChangeChannel.EService), block);
        Assert.True(setting.IsBlocked(OtherUnitId));
        Assert.False(setting.IsBlocked(UnitId));
        Assert.Equal(before + 1, setting.Version);
    }

    [Fact]
    public void R3_unblock_is_idempotent_and_a_no_op_when_not_blocked()
    {
        var setting = Setting(Patient());
        setting.Block(UnitId, Ctx(Now));
        var before = setting.Version;

        Assert.True(setting.Unblock(OtherUnitId).Succeeded);
        Assert.Equal(before, setting.Version);

        Assert.True(setting.Unblock(UnitId).Succeeded);
        Assert.True(setting.Unblock(UnitId).Succeeded);
        Assert.Empty(setting.Blocks);
        Assert.Equal(before + 1, setting.Version);
    }

    [Fact]
    public void R11_set_two_guardian_numbers_for_a_child()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);

        Assert.True(setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11)], Ctx(Now)).Succeeded);

        Assert.Equal([Mobile(10), Mobile(11)], setting.GuardianNumbers.Select(g => g.Number));
        Assert.All(setting.GuardianNumbers, g => Assert.Equal(Now, g.AddedAt));
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R11_more_than_two_guardian_numbers_are_refused_and_the_old_ones_stay()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);
        setting.SetGuardianNumbers(patient, [Mobile(10)], Ctx(Now));

        AssertRefused(setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11), Mobile(12)], Ctx(Now)), "R11 TooManyGuardianNumbers");

        Assert.Equal([Mobile(10)], setting.GuardianNumbers.Select(g => g.Number));
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R11_duplicates_are_kept_once_so_three_entries_of_two_numbers_are_accepted()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);

        Assert.True(setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11), Mobile(10)], Ctx(Now)).Succeeded);

        Assert.Equal([Mobile(10), Mobile(11)], setting.GuardianNumbers.Select(g => g.Number));
    }

    [Fact]
    public void R11_setting_the_same_numbers_again_is_a_no_op_and_keeps_when_each_was_added()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);
        setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11)], Ctx(Now));

        Assert.True(setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11)], Ctx(Now + Duration.FromDays(1))).Succeeded);
        Assert.Equal(1, setting.Version);

        Assert.True(setting.SetGuardianNumbers(patient, [Mobile(11), Mobile(12)], Ctx(Now + Duration.FromDays(2))).Succeeded);
        Assert.Equal(2, setting.Version);
        Assert.Equal(
            [(Mobile(11), Now), (Mobile(12), Now + Duration.FromDays(2))],
            setting.GuardianNumbers.Select(g => (g.Number, g.AddedAt)));
    }

    [Fact]
    public void R16_a_landline_as_guardian_number_is_refused()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);

        AssertRefused(setting.SetGuardianNumbers(patient, [Mobile(10), Landline()], Ctx(Now)), "R16 NotMobile");
        Assert.Empty(setting.GuardianNumbers);
        Assert.Equal(0, setting.Version);
    }

    [Theory]
    [InlineData(2025, 6, 14, true)] // the day before the 13th birthday
    [InlineData(2025, 6, 15, false)] // on it
    [InlineData(2025, 9, 1, false)]
    public void R13_guardian_numbers_are_refused_from_the_13th_birthday(int y, int m, int d, bool allowed)
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);

        var result = setting.SetGuardianNumbers(patient, [Mobile(10)], Ctx(Local(y, m, d, 0, 30)));

        if (allowed)
        {
            Assert.True(result.Succeeded);
        }
        else
        {
            AssertRefused(result, "R13 GuardianNumbersAt13");
        }
    }

    [Fact]
    public void R13_clearing_guardian_numbers_at_13_or_older_is_allowed()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);
        setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11)], Ctx(Now));

        Assert.True(setting.SetGuardianNumbers(patient, [], Ctx(Local(2025, 7, 1, 9))).Succeeded);

        Assert.Empty(setting.GuardianNumbers);
        Assert.Equal(2, setting.Version);
    }

    [Fact]
    public void R14_guardian_numbers_for_a_protected_child_are_refused_with_R14()
    {
        var patient = Child(Birth);
        patient.UpdateFromRegister(patient.Name, protectedIdentity: true, null, null, false);
        var setting = ReminderSetting.CreateFor(1);

        AssertRefused(setting.SetGuardianNumbers(patient, [Mobile(10)], Ctx(Now)), "R14 ProtectedIdentity");
        Assert.Empty(setting.GuardianNumbers);
    }

    [Fact]
    public void R11_R13_R14_R16_every_rule_that_refuses_guardian_numbers_is_listed()
    {
        var patient = Patient(protectedIdentity: true);
        var setting = ReminderSetting.CreateFor(1);

        AssertRefused(
            setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11), Landline()], Ctx(Now)),
            "R14 ProtectedIdentity", "R13 GuardianNumbersAt13", "R11 TooManyGuardianNumbers", "R16 NotMobile");
    }

    [Fact]
    public void R13_remove_guardian_numbers_does_nothing_the_day_before_the_13th_birthday()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);
        setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11)], Ctx(Now));

        Assert.False(setting.RemoveGuardianNumbersAt13(patient, Local(2025, 6, 14, 23, 59)));

        Assert.Equal(2, setting.GuardianNumbers.Count);
        Assert.Empty(setting.Comments);
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R13_remove_guardian_numbers_on_the_13th_birthday_removes_them_and_writes_a_comment()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);
        setting.SetGuardianNumbers(patient, [Mobile(10), Mobile(11)], Ctx(Now));
        var midnight = Local(2025, 6, 15); // 22:00 UTC on the 14th

        Assert.True(setting.RemoveGuardianNumbersAt13(patient, midnight));

        Assert.Empty(setting.GuardianNumbers);
        var comment = Assert.Single(setting.Comments);
        Assert.Equal(new ReminderComment(midnight, "Vårdnadshavares nummer (2 st) borttagna automatiskt vid 13 år."), comment);
        Assert.Equal(2, setting.Version);
    }

    [Fact]
    public void R13_remove_guardian_numbers_is_a_no_op_when_none_are_registered_or_already_removed()
    {
        var patient = Child(Birth);
        var setting = ReminderSetting.CreateFor(1);
        setting.SetGuardianNumbers(patient, [Mobile(10)], Ctx(Now));
        Assert.True(setting.RemoveGuardianNumbersAt13(patient, Local(2025, 7, 1, 3)));
        var version = setting.Version;

        Assert.False(setting.RemoveGuardianNumbersAt13(patient, Local(2025, 7, 2, 3)));

        Assert.Single(setting.Comments);
        Assert.Equal(version, setting.Version);
    }

    [Fact]
    public void R12_confirm_mobile_records_the_number_and_time()
    {
        var patient = Child(Birth, Mobile(20), Local(2024, 1, 1, 12));
        var setting = ReminderSetting.CreateFor(1);
        var at = Local(2025, 6, 20, 9);

        Assert.True(setting.ConfirmMobileIsOwn(patient, Ctx(at)).Succeeded);

        Assert.Equal(Mobile(20), setting.ConfirmedMobile);
        Assert.Equal(at, setting.MobileConfirmedAt);
        Assert.Equal(1, setting.Version);
        Assert.True(setting.MobileIsOwn(patient, new LocalDate(2025, 6, 21)));
    }

    [Fact]
    public void R12_confirm_mobile_refusals_name_each_rule()
    {
        var setting = ReminderSetting.CreateFor(1);

        AssertRefused(setting.ConfirmMobileIsOwn(Patient(noMobile: true), Ctx(Now)), "R12 NoMobileToConfirm");
        AssertRefused(setting.ConfirmMobileIsOwn(Patient(mobile: Landline()), Ctx(Now)), "R16 NotMobile");
        AssertRefused(setting.ConfirmMobileIsOwn(Child(Birth, Mobile(20), Local(2024, 1, 1, 12)), Ctx(Local(2025, 5, 15, 12))), "R12 ConfirmUnder13");
        AssertRefused(setting.ConfirmMobileIsOwn(Patient(protectedIdentity: true), Ctx(Now)), "R14 ProtectedIdentity");
        AssertRefused(
            setting.ConfirmMobileIsOwn(Child(Birth, birthNumber: 7), Ctx(Local(2025, 5, 1, 12))),
            "R12 NoMobileToConfirm", "R12 ConfirmUnder13");
        Assert.Null(setting.ConfirmedMobile);
        Assert.Equal(0, setting.Version);
    }

    [Fact]
    public void R32_R33_migration_marks_a_never_activated_setting_with_its_reason()
    {
        var setting = ReminderSetting.CreateFor(1);
        var at = Local(2025, 3, 29, 3);

        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, Ctx(at, channel: ChangeChannel.Migration));

        Assert.Equal(ReminderStatus.NotActivated, setting.Status);
        Assert.Equal(NotActivatedReason.MigrationMobileBefore13, setting.NotActivatedReason);
        Assert.Equal(at, setting.StatusChangedAt);
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R36_re_running_the_migration_with_the_same_reason_changes_nothing()
    {
        var setting = ReminderSetting.CreateFor(1);
        var firstRun = Local(2025, 3, 29, 3);
        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, Ctx(firstRun, channel: ChangeChannel.Migration));

        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, Ctx(firstRun + Duration.FromDays(2), OtherUnitId, ChangeChannel.Migration));

        Assert.Equal(firstRun, setting.StatusChangedAt);
        Assert.Equal(ReceptionUnitId, setting.StatusChangedAtUnit);
        Assert.Equal(1, setting.Version);
    }

    [Fact]
    public void R32_R33_a_re_run_with_another_reason_replaces_the_reason()
    {
        var setting = ReminderSetting.CreateFor(1);
        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, Ctx(Local(2025, 3, 29, 3), channel: ChangeChannel.Migration));

        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, Ctx(Local(2025, 3, 31, 3), channel: ChangeChannel.Migration));

        Assert.Equal(NotActivatedReason.MigrationMobileBefore13, setting.NotActivatedReason);
        Assert.Equal(2, setting.Version);
    }

    [Fact]
    public void R32_R60_each_VAS_block_says_whether_the_migration_left_the_patient_out_because_of_them_whatever_the_order_of_the_steps()
    {
        var patient = Patient();
        var setting = ReminderSetting.CreateFor(1);
        var migration = Ctx(Local(2025, 3, 29, 3), channel: ChangeChannel.Migration);
        setting.KeepVasBlock(UnitId, migration.At);
        Assert.False(setting.VasBlocks[0].PatientLeftOut);

        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, migration);
        setting.KeepVasBlock(OtherUnitId, migration.At);
        Assert.All(setting.VasBlocks, b => Assert.True(b.PatientLeftOut));

        // Left out for the mobile instead (R33): the blocks are history only.
        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationMobileBefore13, migration);
        Assert.All(setting.VasBlocks, b => Assert.False(b.PatientLeftOut));
        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, migration);
        Assert.All(setting.VasBlocks, b => Assert.True(b.PatientLeftOut));

        // Asked at check-in: activated, or declined, the patient is no longer left out; the blocks stay as history.
        Assert.True(setting.Activate(patient, Ctx(Now)).Succeeded);
        Assert.Equal(2, setting.VasBlocks.Count);
        Assert.All(setting.VasBlocks, b => Assert.False(b.PatientLeftOut));
        var declined = ReminderSetting.CreateFor(2);
        declined.KeepVasBlock(UnitId, migration.At);
        declined.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, migration);
        Assert.True(declined.Decline(Ctx(Now)).Succeeded);
        Assert.False(declined.VasBlocks[0].PatientLeftOut);
    }

    [Fact]
    public void R32_migration_never_overrides_an_activation_by_staff()
    {
        var setting = Setting(Patient());
        var version = setting.Version;

        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, Ctx(Now, channel: ChangeChannel.Migration));

        Assert.Equal(ReminderStatus.Activated, setting.Status);
        Assert.Equal(NotActivatedReason.None, setting.NotActivatedReason);
        Assert.Equal(version, setting.Version);
    }

    [Fact]
    public void R30_comments_are_kept_in_order_and_trimmed()
    {
        var setting = ReminderSetting.CreateFor(1);

        setting.AddComment(Local(2025, 3, 29, 3), "  RPA-migrerat 2025-03-29 ");
        setting.AddComment(Local(2025, 4, 1, 9), new string('x', ReminderSetting.MaxCommentLength + 20));

        Assert.Equal("RPA-migrerat 2025-03-29", setting.Comments[0].Text);
        Assert.Equal(ReminderSetting.MaxCommentLength, setting.Comments[1].Text.Length);
        Assert.Equal(2, setting.Version);
    }

    public static TheoryData<string> Operations => new()
    {
        "activate", "deactivate", "decline", "block", "unblock", "guardians", "clear guardians", "confirm", "remove at 13", "comment", "migration",
    };

    /// <summary>Version is the concurrency token: each operation that changes something bumps it exactly once, repeating it does not.</summary>
    [Theory]
    [MemberData(nameof(Operations))]
    public void R1_R3_R5_R6_R11_R12_R13_R30_R36_version_increments_once_on_a_change_and_not_when_the_same_operation_is_repeated(string operation)
    {
        var child = Child(Birth, Mobile(20), Local(2024, 1, 1, 12));
        var adult = Patient();
        var setting = ReminderSetting.CreateFor(1);
        var before13 = Ctx(Local(2025, 5, 1, 9));
        var after13 = Ctx(Local(2025, 7, 1, 9));
        setting.SetGuardianNumbers(child, [Mobile(10)], before13);
        if (operation is "unblock" or "deactivate")
        {
            setting.Block(UnitId, before13);
            setting.Activate(adult, before13);
        }

        var start = setting.Version;

        // Each returns whether the second call of the same operation should be a no-op.
        bool Apply() => operation switch
        {
            "activate" => Ok(setting.Activate(adult, after13)),
            "deactivate" => Ok(setting.Deactivate(after13)),
            "decline" => Ok(setting.Decline(after13)) && false,
            "block" => Ok(setting.Block(OtherUnitId, after13)),
            "unblock" => Ok(setting.Unblock(UnitId)),
            "guardians" => Ok(setting.SetGuardianNumbers(child, [Mobile(10), Mobile(11)], before13)),
            "clear guardians" => Ok(setting.SetGuardianNumbers(child, [], after13)),
            "confirm" => Ok(setting.ConfirmMobileIsOwn(child, after13)) && false,
            "remove at 13" => setting.RemoveGuardianNumbersAt13(child, after13.At) || true,
            "comment" => Comment() && false,
            "migration" => Migrate(),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        var secondIsNoOp = Apply();
        Assert.Equal(start + 1, setting.Version);
        Apply();
        Assert.Equal(secondIsNoOp ? start + 1 : start + 2, setting.Version);

        bool Comment()
        {
            setting.AddComment(after13.At, "Kommentar");
            return true;
        }

        bool Migrate()
        {
            setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, after13 with { Channel = ChangeChannel.Migration });
            return true;
        }
    }

    private static bool Ok(Result result)
    {
        Assert.True(result.Succeeded, string.Join("; ", result.Reasons));
        return true;
    }

    [Fact]
    public void R6_R11_R12_R14_refusals_never_throw_and_never_change_the_version()
    {
        var protectedAdult = Patient(protectedIdentity: true);
        var setting = Setting(Patient());
        var version = setting.Version;

        var results = new[]
        {
            setting.Decline(Ctx(Now)),
            setting.SetGuardianNumbers(protectedAdult, [Mobile(10)], Ctx(Now)),
            setting.ConfirmMobileIsOwn(protectedAdult, Ctx(Now)),
            ReminderSetting.CreateFor(2).Activate(protectedAdult, Ctx(Now)),
        };

        Assert.All(results, r => Assert.NotEmpty(r.Reasons));
        Assert.Equal(version, setting.Version);
    }
}
