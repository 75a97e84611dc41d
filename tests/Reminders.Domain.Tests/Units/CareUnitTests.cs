using Reminders.Domain.Units;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Units;

/// <summary>
/// A care unit's settings: an update reports whether anything an SMS depends on changed (the name in the text, R25;
/// whether it uses SMS, R4; whether it offers self check-in, R21), so that only such a change replans its bookings.
/// </summary>
public class CareUnitTests
{
    private static CareUnit Created() => CareUnit.Create(UnitId, "  " + UnitName + " ", " Ortopedkliniken ", true, false);

    [Fact]
    public void R4_R21_R25_a_new_unit_keeps_its_trimmed_names_and_flags_and_is_active()
    {
        var unit = Created();

        Assert.Equal(UnitId, unit.HsaId);
        Assert.Equal(UnitName, unit.Name);
        Assert.Equal("Ortopedkliniken", unit.Clinic);
        Assert.True(unit.UsesSmsReminders);
        Assert.False(unit.OffersSelfCheckIn);
        Assert.False(unit.CentralReception);
        Assert.True(unit.Active);
    }

    [Fact]
    public void R25_a_new_name_in_the_text_affects_the_SMS()
    {
        var unit = Created();

        Assert.True(unit.Update("Ortopedmottagningen Norr", "Ortopedkliniken", true, false));
        Assert.Equal("Ortopedmottagningen Norr", unit.Name);
    }

    [Fact]
    public void R4_switching_SMS_reminders_off_or_on_affects_the_SMS()
    {
        var unit = Created();

        Assert.True(unit.Update(UnitName, "Ortopedkliniken", false, false));
        Assert.False(unit.UsesSmsReminders);
        Assert.True(unit.Update(UnitName, "Ortopedkliniken", true, false));
        Assert.True(unit.UsesSmsReminders);
    }

    [Fact]
    public void R21_offering_self_check_in_affects_the_SMS()
    {
        var unit = Created();

        Assert.True(unit.Update(UnitName, "Ortopedkliniken", true, true));
        Assert.True(unit.OffersSelfCheckIn);
    }

    [Fact]
    public void R60_a_new_clinic_or_the_same_settings_typed_with_spaces_affect_no_SMS()
    {
        var unit = Created();

        Assert.False(unit.Update(UnitName, "Handkirurgiska kliniken", true, false));
        Assert.Equal("Handkirurgiska kliniken", unit.Clinic);
        Assert.False(unit.Update(" " + UnitName + "  ", " Handkirurgiska kliniken ", true, false));
        Assert.Equal(UnitName, unit.Name);
    }

    [Fact]
    public void R40_marking_a_central_reception_reports_a_change_only_when_the_mark_changes()
    {
        var unit = Created();

        Assert.False(unit.SetCentralReception(false));
        Assert.True(unit.SetCentralReception(true));
        Assert.True(unit.CentralReception);
        Assert.False(unit.SetCentralReception(true));
        Assert.True(unit.SetCentralReception(false));
        Assert.False(unit.CentralReception);
    }

    [Fact]
    public void R4_deactivating_a_unit_reports_a_change_only_when_it_was_active()
    {
        var unit = Created();

        Assert.False(unit.SetActive(true));
        Assert.True(unit.SetActive(false));
        Assert.False(unit.Active);
        Assert.False(unit.SetActive(false));
        Assert.True(unit.SetActive(true));
        Assert.True(unit.Active);
    }
}
