using Reminders.Domain.Messages;
using Reminders.Domain.Reminders;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Decisions;

/// <summary>Whether anything is sent at all: R1–R6 (status, blocks, units), R22 (cancelled), R24 (every reason listed).</summary>
public class EligibilityTests
{
    private static readonly NodaTime.Instant Start = Local(2025, 6, 12, 14);

    private static void AssertNothingSent(Decision decision, params string[] expected)
    {
        Assert.Empty(decision.Messages);
        Assert.Equal([SmsKind.Reminder, SmsKind.SelfCheckIn], decision.NotSent.Select(n => n.Kind).Order());
        Assert.Equal(expected.Order(), Codes(decision.ReasonsFor(SmsKind.Reminder)).Order());
        Assert.Equal(expected.Order(), Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)).Order());
    }

    [Fact]
    public void R1_activated_adult_at_an_SMS_unit_gets_both_kinds()
    {
        var patient = Patient();

        var decision = Decide(patient, Setting(patient), Booking(Start), Unit(selfCheckIn: true));

        Assert.Equal([SmsKind.Reminder, SmsKind.SelfCheckIn], decision.Messages.Select(m => m.Kind));
        Assert.All(decision.Messages, m => Assert.Equal(Mobile(5), m.To));
        Assert.Empty(decision.NotSent);
    }

    [Fact]
    public void R1_never_activated_gets_nothing_with_NotActivated()
    {
        var patient = Patient();

        AssertNothingSent(Decide(patient, Setting(patient, activated: false), Booking(Start), Unit(selfCheckIn: true)), "R1 NotActivated");
    }

    [Fact]
    public void R1_consent_in_1177_does_not_activate_and_is_shown_as_a_reason_to_ask()
    {
        var patient = Patient(consentIn1177: true);
        var setting = Setting(patient, activated: false);

        AssertNothingSent(Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true)), "R1 ConsentedIn1177NotActivated");
        Assert.Equal(ReminderStatus.NotActivated, setting.Status);
    }

    [Theory]
    [InlineData(NotActivatedReason.MigrationUnitBlocks, false, "R32 MigrationUnitBlocks")]
    [InlineData(NotActivatedReason.MigrationUnitBlocks, true, "R32 MigrationUnitBlocks")]
    [InlineData(NotActivatedReason.MigrationMobileBefore13, false, "R33 MigrationMobileBefore13")]
    [InlineData(NotActivatedReason.MigrationMobileBefore13, true, "R33 MigrationMobileBefore13")]
    [InlineData(NotActivatedReason.ProtectedIdentity, false, "R1 NotActivated")]
    [InlineData(NotActivatedReason.None, true, "R1 ConsentedIn1177NotActivated")]
    public void R1_R32_R33_not_activated_by_the_migration_shows_the_migration_reason(NotActivatedReason reason, bool consentIn1177, string expected)
    {
        var patient = Patient(consentIn1177: consentIn1177);
        var setting = Setting(patient, activated: false);
        setting.MarkNotActivatedByMigration(reason, Ctx(Local(2025, 3, 29, 3), channel: ChangeChannel.Migration));

        AssertNothingSent(Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true)), expected);
    }

    [Fact]
    public void R1_activating_after_the_migration_left_the_patient_out_clears_the_migration_reason()
    {
        var patient = Patient();
        var setting = Setting(patient, activated: false);
        setting.MarkNotActivatedByMigration(NotActivatedReason.MigrationUnitBlocks, Ctx(Local(2025, 3, 29, 3), channel: ChangeChannel.Migration));

        Assert.True(setting.Activate(patient, Ctx(Local(2025, 4, 2, 9))).Succeeded);

        Assert.Equal(NotActivatedReason.None, setting.NotActivatedReason);
        Assert.Equal(2, Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true)).Messages.Count);
    }

    [Fact]
    public void R5_deactivated_gets_nothing_with_Deactivated()
    {
        var patient = Patient();
        var setting = Setting(patient);
        setting.Deactivate(Ctx(Local(2025, 5, 1, 9), channel: ChangeChannel.EService));

        AssertNothingSent(Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true)), "R5 Deactivated");
    }

    [Fact]
    public void R6_declined_gets_nothing_with_Declined()
    {
        var patient = Patient();
        var setting = Setting(patient, activated: false);
        Assert.True(setting.Decline(Ctx(Local(2025, 5, 1, 9))).Succeeded);

        AssertNothingSent(Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true)), "R6 Declined");
    }

    [Fact]
    public void R3_blocked_unit_sends_nothing_of_any_kind()
    {
        var patient = Patient();
        var setting = Setting(patient);
        setting.Block(UnitId, Ctx(Local(2025, 5, 1, 9)));

        AssertNothingSent(Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true)), "R3 UnitBlocked");
    }

    [Fact]
    public void R2_R3_a_block_of_another_unit_does_not_stop_this_units_SMS()
    {
        var patient = Patient();
        var setting = Setting(patient);
        setting.Block(OtherUnitId, Ctx(Local(2025, 5, 1, 9)));

        var decision = Decide(patient, setting, Booking(Start), Unit(selfCheckIn: true));

        Assert.Equal(2, decision.Messages.Count);
    }

    [Fact]
    public void R2_one_activation_covers_every_unit_that_uses_SMS()
    {
        var patient = Patient();
        var setting = Setting(patient);

        foreach (var id in new[] { UnitId, OtherUnitId, ReceptionUnitId })
        {
            var unit = Unit(id: id, name: "Enhet " + id.Value[^6..]);
            var decision = Decide(patient, setting, Booking(Start, unit: id), unit);

            var sms = Assert.Single(decision.Messages);
            Assert.Contains("Enhet " + id.Value[^6..], sms.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void R4_unit_without_SMS_sends_nothing()
    {
        var patient = Patient();

        AssertNothingSent(Decide(patient, Setting(patient), Booking(Start), Unit(usesSms: false, selfCheckIn: true)), "R4 UnitWithoutSms");
    }

    [Fact]
    public void R4_inactive_unit_sends_nothing()
    {
        var patient = Patient();

        AssertNothingSent(Decide(patient, Setting(patient), Booking(Start), Unit(active: false, selfCheckIn: true)), "R4 UnitInactive");
    }

    [Fact]
    public void R22_cancelled_booking_sends_nothing()
    {
        var patient = Patient();

        AssertNothingSent(Decide(patient, Setting(patient), Booking(Start, cancelled: true), Unit(selfCheckIn: true)), "R22 Cancelled");
    }

    [Fact]
    public void R24_protected_not_activated_blocked_unit_without_SMS_lists_every_rule()
    {
        var patient = Patient(consentIn1177: false);
        var setting = Setting(patient, activated: false);
        setting.Block(UnitId, Ctx(Local(2025, 5, 1, 9)));
        patient.UpdateFromRegister(patient.Name, protectedIdentity: true, patient.Mobile, patient.MobileUpdatedAt, false);

        var decision = Decide(patient, setting, Booking(Start), Unit(usesSms: false, selfCheckIn: false));

        Assert.Empty(decision.Messages);
        Assert.Equal(
            new[] { "R14 ProtectedIdentity", "R1 NotActivated", "R4 UnitWithoutSms", "R3 UnitBlocked" }.Order(),
            Codes(decision.ReasonsFor(SmsKind.Reminder)).Order());
        Assert.Equal(
            new[] { "R14 ProtectedIdentity", "R1 NotActivated", "R4 UnitWithoutSms", "R3 UnitBlocked", "R21 NoSelfCheckIn" }.Order(),
            Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)).Order());
    }

    [Fact]
    public void R24_deactivated_child_without_guardians_at_a_blocked_inactive_unit_with_a_cancelled_booking_lists_every_rule()
    {
        var patient = Child(new NodaTime.LocalDate(2015, 8, 1));
        var setting = Setting(patient);
        setting.Deactivate(Ctx(Local(2025, 5, 1, 9)));
        setting.Block(UnitId, Ctx(Local(2025, 5, 1, 9)));

        var decision = Decide(patient, setting, Booking(Start, cancelled: true), Unit(active: false, selfCheckIn: true), policy: Policy(link: ""));

        Assert.Equal(
            new[] { "R5 Deactivated", "R4 UnitInactive", "R3 UnitBlocked", "R22 Cancelled", "R11 NoGuardianNumbers" }.Order(),
            Codes(decision.ReasonsFor(SmsKind.Reminder)).Order());
        Assert.Equal(
            new[] { "R5 Deactivated", "R4 UnitInactive", "R3 UnitBlocked", "R22 Cancelled", "R11 NoGuardianNumbers", "R26 NoSelfCheckInLink" }.Order(),
            Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)).Order());
    }

    [Fact]
    public void R24_declined_adult_whose_mobile_predates_13_booked_after_start_lists_every_rule()
    {
        var patient = Patient(new NodaTime.LocalDate(1980, 5, 10), mobile: Mobile(30), mobileUpdatedAt: Local(1992, 1, 1, 12));
        var setting = Setting(patient, activated: false);
        setting.Decline(Ctx(Local(2025, 5, 1, 9)));

        var decision = Decide(patient, setting, Booking(Start, bookedAt: Start + NodaTime.Duration.FromMinutes(5)));

        Assert.Equal(
            new[] { "R6 Declined", "R20 BookedAfterStart", "R12 MobileRegisteredBefore13" }.Order(),
            Codes(decision.ReasonsFor(SmsKind.Reminder)).Order());
    }

    [Fact]
    public void R24_every_reason_carries_a_Swedish_text_for_staff()
    {
        var patient = Patient(noMobile: true);
        var setting = Setting(patient, activated: false);

        var decision = Decide(patient, setting, Booking(Start), Unit(usesSms: false));

        Assert.All(decision.NotSent.SelectMany(n => n.Reasons), r =>
        {
            Assert.Matches("^R[0-9]+b?$", r.Rule);
            Assert.False(string.IsNullOrWhiteSpace(r.Text));
        });
        Assert.Contains(decision.ReasonsFor(SmsKind.Reminder), r => r.Text.Contains("1177.se", StringComparison.Ordinal));
    }
}
