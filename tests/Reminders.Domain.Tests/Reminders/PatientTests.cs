using NodaTime;
using Reminders.Domain.Patients;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Reminders;

/// <summary>The patient's mobile: read-only for staff (R15), except for samordningsnummer holders (R15b).</summary>
public class PatientTests
{
    private static readonly Instant Now = Local(2025, 5, 2, 9);

    [Fact]
    public void R15_staff_cannot_register_a_mobile_for_a_personnummer_holder()
    {
        var patient = Patient(noMobile: true);

        var result = patient.RegisterMobileAtCheckIn(Mobile(40), Now);

        Assert.Equal(["R15 MobileFrom1177Only"], Codes(result.Reasons));
        Assert.Null(patient.Mobile);
        Assert.Equal(MobileSource.None, patient.MobileSource);
    }

    [Fact]
    public void R15b_staff_register_the_mobile_of_a_samordningsnummer_holder_with_the_time()
    {
        var patient = Patient(new LocalDate(1990, 4, 2), coordination: true, noMobile: true);
        Assert.True(patient.IdentityNumber.IsCoordinationNumber);

        Assert.True(patient.RegisterMobileAtCheckIn(Mobile(40), Now).Succeeded);

        Assert.Equal(Mobile(40), patient.Mobile);
        Assert.Equal(Now, patient.MobileUpdatedAt);
        Assert.Equal(MobileSource.StaffAtCheckIn, patient.MobileSource);
    }

    [Fact]
    public void R15b_R16_R14_registration_refusals()
    {
        var patient = Patient(new LocalDate(1990, 4, 2), coordination: true, noMobile: true);
        Assert.Equal(["R16 NotMobile"], Codes(patient.RegisterMobileAtCheckIn(Landline(), Now).Reasons));

        patient.UpdateFromRegister(patient.Name, protectedIdentity: true, null, null, false);
        Assert.Equal(["R14 ProtectedIdentity"], Codes(patient.RegisterMobileAtCheckIn(Mobile(40), Now).Reasons));
        Assert.Null(patient.Mobile);
    }

    [Fact]
    public void R15b_a_feed_without_a_number_keeps_the_staff_number_and_a_feed_with_one_replaces_it()
    {
        var patient = Patient(new LocalDate(1990, 4, 2), coordination: true, noMobile: true);
        patient.RegisterMobileAtCheckIn(Mobile(40), Now);

        Assert.Equal(PatientChanges.None, patient.UpdateFromRegister(patient.Name, false, null, null, false));
        Assert.Equal(Mobile(40), patient.Mobile);

        var delivered = Now + Duration.FromDays(3);
        Assert.Equal(PatientChanges.Mobile, patient.UpdateFromRegister(patient.Name, false, Mobile(41), delivered, false));
        Assert.Equal(Mobile(41), patient.Mobile);
        Assert.Equal(delivered, patient.MobileUpdatedAt);
        Assert.Equal(MobileSource.Feed1177, patient.MobileSource);
    }

    [Fact]
    public void R1_R14_register_update_reports_what_changed()
    {
        var patient = Patient();

        var changes = patient.UpdateFromRegister(" Ny Namnsson ", protectedIdentity: true, patient.Mobile, patient.MobileUpdatedAt, consentIn1177: true);

        Assert.Equal(PatientChanges.Name | PatientChanges.ProtectedIdentity | PatientChanges.Consent, changes);
        Assert.Equal("Ny Namnsson", patient.Name);
        Assert.Equal(PatientChanges.None, patient.UpdateFromRegister("Ny Namnsson", true, patient.Mobile, patient.MobileUpdatedAt, true));
    }

    [Fact]
    public void R15_a_feed_that_takes_the_number_away_leaves_no_date_and_no_source()
    {
        var patient = Patient();
        Assert.NotNull(patient.Mobile);

        // The feed's date without a number means nothing (R12 reads the date of a number).
        Assert.Equal(PatientChanges.Mobile, patient.UpdateFromRegister(patient.Name, false, null, Now, false));

        Assert.Null(patient.Mobile);
        Assert.Null(patient.MobileUpdatedAt);
        Assert.Equal(MobileSource.None, patient.MobileSource);
    }

    [Fact]
    public void The_version_moves_on_every_change_of_the_patient_and_never_without_one()
    {
        // Two writers of one patient (the desk and the register feed) are told apart by it (a concurrency token).
        var patient = Patient(new LocalDate(1990, 4, 2), coordination: true, noMobile: true);
        var version = patient.Version;

        patient.UpdateFromRegister(patient.Name, false, null, null, false);
        Assert.Equal(version, patient.Version);

        patient.UpdateFromRegister("Annat Namn", false, null, null, false);
        Assert.Equal(version + 1, patient.Version);

        Assert.True(patient.RegisterMobileAtCheckIn(Mobile(40), Now).Succeeded);
        Assert.Equal(version + 2, patient.Version);

        Assert.False(patient.RegisterMobileAtCheckIn(Landline(), Now).Succeeded);
        Assert.Equal(version + 2, patient.Version);
    }
}
