using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Decisions;

/// <summary>Who receives the SMS: R10–R16 around the 13th birthday, guardian numbers and the patient's own mobile.</summary>
public class RecipientTests
{
    // Born 2012-06-15: 13th birthday 2025-06-15.
    private static readonly LocalDate Birth = new(2012, 6, 15);
    private static readonly LocalDate Thirteenth = new(2025, 6, 15);

    private static string[] Recipients(Decision decision, SmsKind kind = SmsKind.Reminder) =>
        [.. decision.Messages.Where(m => m.Kind == kind).Select(m => $"{m.Recipient} {m.To}")];

    /// <summary>A youth with two guardian numbers still registered and an own mobile delivered on the 13th birthday.</summary>
    private static (Patient Patient, ReminderSetting Setting) YouthWithGuardians(LocalDate birth, Instant ownMobileDeliveredAt)
    {
        var patient = Child(birth, Mobile(20), ownMobileDeliveredAt);
        return (patient, Setting(patient, activated: true, Mobile(10), Mobile(11)));
    }

    [Fact]
    public void R10_R11_booking_the_day_before_the_13th_birthday_goes_to_both_guardians_not_the_own_mobile()
    {
        var (patient, setting) = YouthWithGuardians(Birth, Local(2025, 6, 15, 8));

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 14, 10)), Unit(selfCheckIn: true));

        Assert.Equal(["Guardian +46701740610", "Guardian +46701740611"], Recipients(decision));
        Assert.Equal(["Guardian +46701740610", "Guardian +46701740611"], Recipients(decision, SmsKind.SelfCheckIn));
        Assert.Empty(decision.NotSent);
    }

    [Fact]
    public void R10_R13_booking_on_the_13th_birthday_goes_to_the_own_mobile_only_although_guardian_numbers_are_still_registered()
    {
        var (patient, setting) = YouthWithGuardians(Birth, Local(2025, 6, 15, 8));
        Assert.Equal(2, setting.GuardianNumbers.Count);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 15, 10)), Unit(selfCheckIn: true));

        Assert.Equal(["Patient +46701740620"], Recipients(decision));
        Assert.Equal(["Patient +46701740620"], Recipients(decision, SmsKind.SelfCheckIn));
    }

    [Fact]
    public void R10_R13_no_guardian_SMS_on_the_13th_birthday_even_when_the_own_mobile_does_not_count()
    {
        // The own mobile predates the birthday (R12): nobody gets an SMS, the guardians least of all.
        var (patient, setting) = YouthWithGuardians(Birth, Local(2024, 1, 10, 8));

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 15, 10)));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R12 MobileRegisteredBefore13"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
    }

    [Theory]
    // The contact's local date decides, not its UTC date (Stockholm is UTC+2 in June).
    [InlineData(2025, 6, 14, 23, 30, "Guardian")] // 21:30 UTC on the 14th
    [InlineData(2025, 6, 15, 0, 15, "Patient")] // 22:15 UTC on the 14th, local date the 15th
    [InlineData(2025, 6, 15, 23, 59, "Patient")]
    [InlineData(2026, 1, 10, 10, 0, "Patient")]
    [InlineData(2020, 1, 10, 10, 0, "Guardian")]
    public void R10_R11_age_is_taken_on_the_local_date_of_the_booked_start(int y, int m, int d, int h, int min, string expected)
    {
        var (patient, setting) = YouthWithGuardians(Birth, Local(2025, 6, 15, 0, 5));
        var start = Local(y, m, d, h, min);

        var decision = Decide(patient, setting, Booking(start, start - Duration.FromDays(5)), policy: Policy(QuietHours.Off));

        Assert.All(decision.Messages, sms => Assert.Equal(expected, sms.Recipient.ToString()));
        Assert.Equal(expected == "Guardian" ? 2 : 1, decision.Messages.Count(sms => sms.Kind == SmsKind.Reminder));
    }

    [Fact]
    public void R13_leap_day_birth_has_its_13th_birthday_on_28_February_in_a_non_leap_year()
    {
        Assert.Equal(new LocalDate(2025, 2, 28), Age.ThirteenthBirthday(new LocalDate(2012, 2, 29)));
        Assert.True(Age.IsChildOn(new LocalDate(2012, 2, 29), new LocalDate(2025, 2, 27)));
        Assert.False(Age.IsChildOn(new LocalDate(2012, 2, 29), new LocalDate(2025, 2, 28)));
        Assert.Equal(Thirteenth, Age.ThirteenthBirthday(Birth));
    }

    [Theory]
    [InlineData(27, "Guardian +46701740610", "Guardian +46701740611")]
    [InlineData(28, "Patient +46701740620", null)]
    public void R10_R11_born_29_February_booking_on_28_February_of_a_non_leap_year_goes_to_the_own_number(int day, string first, string? second)
    {
        var (patient, setting) = YouthWithGuardians(new LocalDate(2012, 2, 29), Local(2025, 2, 28, 8));

        var decision = Decide(patient, setting, Booking(Local(2025, 2, day, 10)));

        Assert.Equal(second is null ? [first] : [first, second], Recipients(decision));
    }

    [Theory]
    [InlineData(2025, 2, 27, 23, 59, false)]
    [InlineData(2025, 2, 28, 0, 0, true)]
    public void R12_born_29_February_mobile_delivered_on_28_February_counts(int y, int m, int d, int h, int min, bool counts)
    {
        var patient = Child(new LocalDate(2012, 2, 29), Mobile(20), Local(y, m, d, h, min));

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 3, 10, 10)));

        Assert.Equal(counts ? ["Patient +46701740620"] : [], Recipients(decision));
    }

    [Fact]
    public void R11_the_tax_agency_test_child_gets_SMS_via_the_guardian_number()
    {
        var patient = PatientWith(TaxAgencyTestNumber, protectedIdentity: false, mobile: null, mobileUpdatedAt: null);
        var setting = Setting(patient, activated: true, Mobile(12));

        var decision = Decide(patient, setting, Booking(Local(2025, 9, 1, 10)));

        Assert.Equal(["Guardian +46701740612"], Recipients(decision));
    }

    [Fact]
    public void R11_a_child_with_one_guardian_number_gets_exactly_one_SMS_per_kind()
    {
        var patient = Child(Birth);
        var setting = Setting(patient, activated: true, Mobile(10));

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)), Unit(selfCheckIn: true));

        Assert.Equal(["Guardian +46701740610"], Recipients(decision));
        Assert.Equal(["Guardian +46701740610"], Recipients(decision, SmsKind.SelfCheckIn));
    }

    [Fact]
    public void R11_the_same_guardian_number_given_twice_gets_one_SMS()
    {
        var patient = Child(Birth);
        var setting = Setting(patient, activated: true, Mobile(10), Mobile(10));

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)));

        Assert.Equal(["Guardian +46701740610"], Recipients(decision));
    }

    [Fact]
    public void R11_child_without_guardian_numbers_gets_nothing_and_the_own_mobile_is_not_used()
    {
        var patient = Child(Birth, Mobile(20), Local(2024, 1, 1, 12));
        var setting = Setting(patient);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)), Unit(selfCheckIn: true));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R11 NoGuardianNumbers"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(["R11 NoGuardianNumbers"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Theory]
    // MobileUpdatedAt as UTC; the Stockholm local date counts (UTC+1 in March).
    [InlineData("2023-03-18T12:00:00Z", false)] // two days before
    [InlineData("2023-03-19T22:59:00Z", false)] // 23:59 local on the day before
    [InlineData("2023-03-19T23:00:00Z", true)] // 00:00 local on the birthday, still the 19th in UTC
    [InlineData("2023-03-20T12:00:00Z", true)]
    [InlineData("2024-11-02T08:00:00Z", true)]
    public void R12_mobile_delivered_the_day_before_the_13th_birthday_is_not_used_and_on_the_birthday_it_is(string deliveredUtc, bool counts)
    {
        var patient = Child(new LocalDate(2010, 3, 20), Mobile(20), NodaTime.Text.InstantPattern.General.Parse(deliveredUtc).Value);
        var setting = Setting(patient);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)));

        Assert.Equal(counts ? ["Patient +46701740620"] : [], Recipients(decision));
        Assert.Equal(counts ? [] : ["R12 MobileRegisteredBefore13"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(counts, setting.MobileIsOwn(patient, new LocalDate(2025, 6, 10)));
    }

    [Theory]
    // birth, mobile updated (local date; "-" unknown), confirmed at the desk on ("-" never), contact date, expected
    [InlineData("1980-05-10", "-", "-", "2025-06-10", "own")]                          // adult, unknown date: counts (revision 1 stopped it)
    [InlineData("2007-06-11", "-", "-", "2025-06-10", "MobileDateUnknown")]            // 17 on the contact date, unknown date
    [InlineData("2007-06-10", "-", "-", "2025-06-10", "own")]                          // 18 on the contact date itself
    [InlineData("2010-03-20", "-", "-", "2025-06-10", "MobileDateUnknown")]            // 15, unknown date
    [InlineData("2010-03-20", "-", "2025-01-10", "2025-06-10", "own")]                 // 15, unknown date, confirmed
    [InlineData("1980-05-10", "1992-01-01", "-", "2025-06-10", "MobileRegisteredBefore13")] // adult, known date before 13: never without a confirmation
    [InlineData("1980-05-10", "1992-01-01", "2025-01-10", "2025-06-10", "own")]        // adult, known early date, confirmed
    [InlineData("2010-03-20", "2022-05-01", "2023-02-18", "2025-06-10", "own")]        // confirmed 30 days before the 13th birthday: counts
    [InlineData("2010-03-20", "2022-05-01", "2023-03-01", "2023-03-20", "own")]        // a booking on the birthday itself, confirmed before it
    [InlineData("2010-03-20", "2023-03-20", "-", "2025-06-10", "own")]                 // updated on the 13th birthday
    [InlineData("2010-03-20", "2023-03-19", "-", "2025-06-10", "MobileRegisteredBefore13")] // updated the day before
    public void R12_rev2_the_own_mobile_counts_by_a_date_after_13_a_confirmation_from_30_days_before_or_an_unknown_date_at_18(
        string birth, string updated, string confirmedOn, string contact, string expected)
    {
        var patient = PatientWith(
            PersonalIdentityNumber.Create(Date(birth), 239), protectedIdentity: false, Mobile(20),
            updated == "-" ? null : Local(Date(updated).Year, Date(updated).Month, Date(updated).Day, 12));
        var setting = Setting(patient);
        if (confirmedOn != "-")
        {
            var on = Date(confirmedOn);
            Assert.True(setting.ConfirmMobileIsOwn(patient, Ctx(Local(on.Year, on.Month, on.Day, 9))).Succeeded);
        }

        var start = Date(contact);
        var decision = Decide(patient, setting, Booking(Local(start.Year, start.Month, start.Day, 10)));

        if (expected == "own")
        {
            Assert.Equal(["Patient +46701740620"], Recipients(decision));
            Assert.Empty(decision.ReasonsFor(SmsKind.Reminder));
        }
        else
        {
            Assert.Empty(decision.Messages);
            Assert.Equal(["R12 " + expected], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        }
    }

    [Fact]
    public void R12_staff_texts_name_the_actual_case_and_the_fix_without_rule_ids()
    {
        Assert.Contains("registrerades före 13-årsdagen", Reasons.MobileRegisteredBefore13.Text, StringComparison.Ordinal);
        Assert.Contains("Okänt när numret registrerades", Reasons.MobileDateUnknown.Text, StringComparison.Ordinal);
        foreach (var reason in new[] { Reasons.MobileRegisteredBefore13, Reasons.MobileDateUnknown })
        {
            Assert.Contains("1177.se", reason.Text, StringComparison.Ordinal);
            Assert.Contains("bekräftar", reason.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("R12", reason.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("sedan 13", reason.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void R12_a_confirmation_31_days_before_the_13th_birthday_is_refused_and_on_the_30th_day_it_counts()
    {
        var patient = Child(new LocalDate(2010, 3, 20), Mobile(20), Local(2022, 5, 1, 12));
        var setting = Setting(patient);

        var early = setting.ConfirmMobileIsOwn(patient, Ctx(Local(2023, 2, 17, 23, 59)));
        Assert.Equal(["R12 ConfirmUnder13"], Codes(early.Reasons));
        Assert.Equal(["R12 MobileRegisteredBefore13"], Codes(Decide(patient, setting, Booking(Local(2023, 3, 20, 10))).ReasonsFor(SmsKind.Reminder)));

        Assert.True(setting.ConfirmMobileIsOwn(patient, Ctx(Local(2023, 2, 18, 0, 1))).Succeeded);
        Assert.Equal(["Patient +46701740620"], Recipients(Decide(patient, setting, Booking(Local(2023, 3, 20, 10)))));

        // Before the birthday the contact still goes to guardians (R11), never to the confirmed own number.
        Assert.Equal(["R11 NoGuardianNumbers"], Codes(Decide(patient, setting, Booking(Local(2023, 3, 19, 10))).ReasonsFor(SmsKind.Reminder)));
    }

    [Fact]
    public void R12_a_confirmation_belongs_to_the_number_confirmed_a_new_number_without_a_date_needs_its_own_at_15_but_not_at_40()
    {
        var teen = Child(new LocalDate(2010, 3, 20), Mobile(20), Local(2022, 5, 1, 12));
        var teenSetting = Setting(teen);
        Assert.True(teenSetting.ConfirmMobileIsOwn(teen, Ctx(Local(2025, 1, 10, 9))).Succeeded);
        teen.UpdateFromRegister(teen.Name, false, Mobile(21), null, false);
        Assert.Equal(["R12 MobileDateUnknown"], Codes(Decide(teen, teenSetting, Booking(Local(2025, 6, 10, 10))).ReasonsFor(SmsKind.Reminder)));

        var adult = Patient(new LocalDate(1985, 1, 1), mobile: Mobile(22), mobileUpdatedAt: Local(1996, 1, 1, 12));
        var adultSetting = Setting(adult);
        Assert.True(adultSetting.ConfirmMobileIsOwn(adult, Ctx(Local(2025, 1, 10, 9))).Succeeded);
        adult.UpdateFromRegister(adult.Name, false, Mobile(23), null, false);
        Assert.Equal(["Patient +46701740623"], Recipients(Decide(adult, adultSetting, Booking(Local(2025, 6, 10, 10)))));
    }

    [Theory]
    [InlineData(30, true)]  // registered at the desk 30 days before the 13th birthday: a confirmation, counts
    [InlineData(31, false)] // 31 days before: not yet; the known date before 13 stops it
    public void R12_R15b_a_number_registered_at_the_desk_counts_as_confirmed_when_registered(int daysBefore13, bool counts)
    {
        var patient = Patient(new LocalDate(2012, 6, 15), coordination: true, noMobile: true);
        var registered = new LocalDate(2025, 6, 15).PlusDays(-daysBefore13);
        Assert.True(patient.RegisterMobileAtCheckIn(Mobile(41), Local(registered.Year, registered.Month, registered.Day, 9)).Succeeded);

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 6, 15, 10)));

        Assert.Equal(counts ? ["Patient +46701740641"] : [], Recipients(decision));
        Assert.Equal(counts ? [] : ["R12 MobileRegisteredBefore13"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
    }

    private static LocalDate Date(string text) => NodaTime.Text.LocalDatePattern.Iso.Parse(text).Value;

    [Fact]
    public void R12_mobile_confirmed_by_the_patient_at_check_in_counts()
    {
        var patient = Child(new LocalDate(2010, 3, 20), Mobile(20), Local(2022, 5, 1, 12));
        var setting = Setting(patient);
        Assert.True(setting.ConfirmMobileIsOwn(patient, Ctx(Local(2025, 1, 10, 9))).Succeeded);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)));

        Assert.Equal(["Patient +46701740620"], Recipients(decision));
    }

    [Fact]
    public void R12_confirmation_counts_only_while_the_mobile_is_the_same_number()
    {
        var patient = Child(new LocalDate(2010, 3, 20), Mobile(20), Local(2022, 5, 1, 12));
        var setting = Setting(patient);
        Assert.True(setting.ConfirmMobileIsOwn(patient, Ctx(Local(2025, 1, 10, 9))).Succeeded);

        // 1177 now reports another number, last updated before the birthday (e.g. a corrected record).
        patient.UpdateFromRegister(patient.Name, false, Mobile(21), Local(2022, 8, 1, 12), false);
        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R12 MobileRegisteredBefore13"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(Mobile(20), setting.ConfirmedMobile);
    }

    [Fact]
    public void R12_confirmation_counts_again_when_the_confirmed_number_comes_back()
    {
        var patient = Child(new LocalDate(2010, 3, 20), Mobile(20), Local(2022, 5, 1, 12));
        var setting = Setting(patient);
        Assert.True(setting.ConfirmMobileIsOwn(patient, Ctx(Local(2025, 1, 10, 9))).Succeeded);
        patient.UpdateFromRegister(patient.Name, false, Mobile(21), Local(2022, 8, 1, 12), false);
        patient.UpdateFromRegister(patient.Name, false, Mobile(20), Local(2022, 5, 1, 12), false);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)));

        Assert.Equal(["Patient +46701740620"], Recipients(decision));
    }

    [Fact]
    public void R12_applies_at_every_age_a_mobile_from_before_the_13th_birthday_of_an_adult_does_not_count()
    {
        // Born 1980: the mobile was delivered in 1992, before the 13th birthday in 1993.
        var patient = Patient(new LocalDate(1980, 5, 10), mobile: Mobile(30), mobileUpdatedAt: Local(1992, 1, 1, 12));

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 6, 10, 10)));

        Assert.Equal(["R12 MobileRegisteredBefore13"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
    }

    [Fact]
    public void R15b_mobile_registered_by_staff_for_a_samordningsnummer_counts()
    {
        var patient = Patient(new LocalDate(1990, 4, 2), coordination: true, noMobile: true);
        Assert.True(patient.RegisterMobileAtCheckIn(Mobile(40), Local(2025, 5, 2, 9)).Succeeded);

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 6, 10, 10)));

        Assert.Equal(["Patient +46701740640"], Recipients(decision));
        Assert.Equal(MobileSource.StaffAtCheckIn, patient.MobileSource);
    }

    [Fact]
    public void R12_R15b_number_registered_by_staff_before_the_13th_birthday_does_not_count_after_it()
    {
        // A samordningsnummer child of 10: the number given at check-in is most likely a guardian's.
        var patient = Patient(new LocalDate(2012, 6, 15), coordination: true, noMobile: true);
        Assert.True(patient.RegisterMobileAtCheckIn(Mobile(41), Local(2022, 9, 1, 9)).Succeeded);
        var setting = Setting(patient);

        var decision = Decide(patient, setting, Booking(Local(2025, 9, 1, 10)));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R12 MobileRegisteredBefore13"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
    }

    [Fact]
    public void R12_R15b_number_registered_by_staff_on_or_after_the_13th_birthday_counts()
    {
        var patient = Patient(new LocalDate(2012, 6, 15), coordination: true, noMobile: true);
        Assert.True(patient.RegisterMobileAtCheckIn(Mobile(41), Local(2025, 6, 15, 9)).Succeeded);

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 9, 1, 10)));

        Assert.Equal(["Patient +46701740641"], Recipients(decision));
    }

    [Fact]
    public void R10_adult_without_a_mobile_gets_nothing_with_NoMobile()
    {
        var patient = Patient(noMobile: true);

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 6, 10, 10)), Unit(selfCheckIn: true));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R10 NoMobile"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(["R10 NoMobile"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Fact]
    public void R16_adult_whose_registered_number_is_a_landline_gets_nothing_with_NotMobile()
    {
        var patient = Patient(mobile: Landline());

        var decision = Decide(patient, Setting(patient), Booking(Local(2025, 6, 10, 10)));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R16 NotMobile"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
    }

    [Fact]
    public void R14_protected_identity_with_everything_else_valid_gets_nothing_with_the_R14_reason_only()
    {
        var patient = Patient(mobile: Mobile(50));
        var setting = Setting(patient);
        patient.UpdateFromRegister(patient.Name, protectedIdentity: true, Mobile(50), Local(2020, 1, 15, 12), consentIn1177: false);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)), Unit(selfCheckIn: true));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R14 ProtectedIdentity"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(["R14 ProtectedIdentity"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Fact]
    public void R14_protected_child_with_guardian_numbers_gets_nothing()
    {
        var patient = Child(Birth);
        var setting = Setting(patient, activated: true, Mobile(10), Mobile(11));
        patient.UpdateFromRegister(patient.Name, protectedIdentity: true, null, null, consentIn1177: false);

        var decision = Decide(patient, setting, Booking(Local(2025, 6, 10, 10)));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R14 ProtectedIdentity"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
    }
    [Fact]
    public void R60b_the_reasons_that_mean_nobody_is_reached_are_the_recipient_rules_own()
    {
        Assert.Equal(
            ["R10 NoMobile", "R16 NotMobile", "R12 MobileRegisteredBefore13", "R12 MobileDateUnknown", "R11 NoGuardianNumbers"],
            Codes(Reasons.NoRecipient));
    }

    [Fact]
    public void R60b_whether_anyone_is_reached_is_answered_also_when_the_SMS_are_stopped_for_another_reason()
    {
        var booking = Booking(Local(2025, 6, 20, 10));

        // Not activated (R1): nothing is sent, but a patient without a mobile would still reach nobody.
        var noMobile = Patient(noMobile: true);
        Assert.Equal(BookingReach.NoRecipient, Decide(noMobile, Setting(noMobile, activated: false), booking).Reach);
        var withMobile = Patient();
        Assert.Equal(BookingReach.Reachable, Decide(withMobile, Setting(withMobile, activated: false), booking).Reach);

        // A landline (R16), and a child without guardian numbers (R11), the unit blocked (R3) as well.
        var landline = Patient(mobile: Landline());
        Assert.Equal(BookingReach.NoRecipient, Decide(landline, Setting(landline), booking).Reach);
        var child = Child(new LocalDate(2018, 1, 1));
        var setting = Setting(child);
        setting.Block(UnitId, Ctx(Local(2025, 1, 1)));
        Assert.Equal(BookingReach.NoRecipient, Decide(child, setting, booking).Reach);
        Assert.Equal(BookingReach.Reachable, Decide(child, Setting(child, activated: true, Mobile(10)), booking).Reach);
    }
}
