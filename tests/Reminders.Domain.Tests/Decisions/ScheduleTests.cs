using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Messages;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Decisions;

/// <summary>When the SMS are due: R20 (reminder 48 h before), R21 (self check-in 2 h before), R28 (quiet hours).</summary>
public class ScheduleTests
{
    private static readonly LocalDateTimePattern LocalPattern = LocalDateTimePattern.CreateWithInvariantCulture("yyyy-MM-dd HH:mm");
    private static readonly LocalTimePattern TimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private static Instant At(string local) => Time.Stockholm.ToInstant(LocalPattern.Parse(local).Value);

    private static string Show(Instant instant) => LocalPattern.Format(LocalOf(instant));

    private static PlannedSms Only(Decision decision, SmsKind kind) => Assert.Single(decision.Messages, m => m.Kind == kind);

    private static Decision DecideFor(Instant start, Instant bookedAt, bool selfCheckIn = false, Instant? now = null, QuietHours? quietHours = null, string link = "https://www.1177.se/incheckning")
    {
        var patient = Patient();
        return Decide(patient, Setting(patient), Booking(start, bookedAt), Unit(selfCheckIn: selfCheckIn), now ?? bookedAt, Policy(quietHours, link));
    }

    [Theory]
    // start (local)       booked at (local)    reminder due (local)
    [InlineData("2025-06-12 14:00", "2025-06-01 10:00", "2025-06-10 14:00")] // plain summer time
    [InlineData("2025-01-15 09:30", "2024-12-20 10:00", "2025-01-13 09:30")] // plain winter time
    [InlineData("2025-03-31 10:00", "2025-03-20 10:00", "2025-03-29 09:00")] // across the spring change: 48 elapsed hours
    [InlineData("2025-10-27 10:00", "2025-10-20 10:00", "2025-10-25 11:00")] // across the autumn change
    [InlineData("2025-03-30 12:00", "2025-03-20 10:00", "2025-03-28 11:00")] // start on the spring change day itself
    [InlineData("2025-10-26 12:00", "2025-10-20 10:00", "2025-10-24 13:00")] // start on the autumn change day itself
    public void R20_reminder_is_due_48_elapsed_hours_before_the_start_across_DST(string start, string bookedAt, string expectedDue)
    {
        var decision = DecideFor(At(start), At(bookedAt));

        var reminder = Only(decision, SmsKind.Reminder);
        Assert.Equal(expectedDue, Show(reminder.DueAt));
        Assert.Equal(At(start) - Duration.FromHours(48), reminder.DueAt);
        Assert.Empty(reminder.Notes);
    }

    [Fact]
    public void R20_spring_example_of_the_issue_is_due_2025_03_29_0900_local_which_is_0800_utc()
    {
        var decision = DecideFor(At("2025-03-31 10:00"), At("2025-03-01 10:00"));

        Assert.Equal(Instant.FromUtc(2025, 3, 29, 8, 0), Only(decision, SmsKind.Reminder).DueAt);
    }

    [Fact]
    public void R20_booked_47_hours_59_minutes_before_is_due_at_once_when_booked_with_the_AtOnce_note()
    {
        var start = At("2025-06-12 14:00");
        var bookedAt = start - Duration.FromHours(47) - Duration.FromMinutes(59);

        var reminder = Only(DecideFor(start, bookedAt), SmsKind.Reminder);

        Assert.Equal(bookedAt, reminder.DueAt);
        Assert.Equal(["R20 AtOnce"], Codes(reminder.Notes));
    }

    [Fact]
    public void R20_booked_exactly_48_hours_before_is_due_at_the_nominal_time_without_a_note()
    {
        var start = At("2025-06-12 14:00");
        var bookedAt = start - Duration.FromHours(48);

        var reminder = Only(DecideFor(start, bookedAt), SmsKind.Reminder);

        Assert.Equal(bookedAt, reminder.DueAt);
        Assert.Equal("2025-06-10 14:00", Show(reminder.DueAt));
        Assert.Empty(reminder.Notes);
    }

    [Fact]
    public void R20_planned_after_the_nominal_time_is_due_at_once_without_the_booked_late_note()
    {
        // Booked in good time, but the patient was activated 5 hours before the start (09:00, outside quiet hours).
        var start = At("2025-06-12 14:00");
        var now = start - Duration.FromHours(5);

        var reminder = Only(DecideFor(start, At("2025-06-01 10:00"), now: now), SmsKind.Reminder);

        Assert.Equal(now, reminder.DueAt);
        Assert.Empty(Codes(reminder.Notes)); // activated late, not booked late
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(60 * 24)]
    public void R20_booking_registered_at_or_after_its_start_gets_no_SMS_with_BookedAfterStart(int minutesAfterStart)
    {
        var start = At("2025-06-12 14:00");
        var bookedAt = start + Duration.FromMinutes(minutesAfterStart);

        var decision = DecideFor(start, bookedAt, selfCheckIn: true);

        Assert.Empty(decision.Messages);
        Assert.Equal(["R20 BookedAfterStart"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(["R20 BookedAfterStart"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(60 * 24 * 3)]
    public void R20_when_now_is_at_or_past_the_start_nothing_is_sent_with_StartPassed(int minutesAfterStart)
    {
        var start = At("2025-06-12 14:00");

        var decision = DecideFor(start, At("2025-06-01 10:00"), selfCheckIn: true, now: start + Duration.FromMinutes(minutesAfterStart));

        Assert.Empty(decision.Messages);
        Assert.Equal(["R20 StartPassed"], Codes(decision.ReasonsFor(SmsKind.Reminder)));
        Assert.Equal(["R20 StartPassed"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Fact]
    public void R20_one_minute_before_the_start_the_reminder_is_still_due_at_once()
    {
        var start = At("2025-06-12 14:00");
        var now = start - Duration.FromMinutes(1);

        var reminder = Only(DecideFor(start, At("2025-06-01 10:00"), now: now), SmsKind.Reminder);

        Assert.Equal(now, reminder.DueAt);
    }

    [Theory]
    // start (local)       booked at (local)    self check-in due (local)
    [InlineData("2025-06-12 14:00", "2025-06-01 10:00", "2025-06-12 12:00")]
    [InlineData("2025-03-30 12:00", "2025-03-20 10:00", "2025-03-30 10:00")] // the spring change day
    [InlineData("2025-03-30 04:00", "2025-03-20 10:00", "2025-03-30 01:00")] // nominal 2 h before crosses the spring gap (quiet end 07:00 is after the start)
    [InlineData("2025-10-26 03:30", "2025-10-20 10:00", "2025-10-26 02:30")] // autumn night: 2 elapsed hours
    public void R21_self_check_in_is_due_2_elapsed_hours_before_the_start(string start, string bookedAt, string expectedDue)
    {
        var sms = Only(DecideFor(At(start), At(bookedAt), selfCheckIn: true), SmsKind.SelfCheckIn);

        Assert.Equal(At(start) - Duration.FromHours(2), sms.DueAt);
        Assert.Equal(expectedDue, Show(sms.DueAt));
    }

    [Fact]
    public void R21_booked_1_hour_before_the_self_check_in_is_due_at_once_with_the_R21_AtOnce_note()
    {
        var start = At("2025-06-12 14:00");
        var bookedAt = start - Duration.FromHours(1);

        var decision = DecideFor(start, bookedAt, selfCheckIn: true);

        var sms = Only(decision, SmsKind.SelfCheckIn);
        Assert.Equal(bookedAt, sms.DueAt);
        Assert.Equal(["R21 AtOnce"], Codes(sms.Notes));
        Assert.Equal(["R20 AtOnce"], Codes(Only(decision, SmsKind.Reminder).Notes));
    }

    [Fact]
    public void R21_booked_exactly_2_hours_before_the_self_check_in_is_due_at_the_nominal_time()
    {
        var start = At("2025-06-12 14:00");

        var sms = Only(DecideFor(start, start - Duration.FromHours(2), selfCheckIn: true), SmsKind.SelfCheckIn);

        Assert.Equal(start - Duration.FromHours(2), sms.DueAt);
        Assert.Empty(sms.Notes);
    }

    [Fact]
    public void R21_unit_without_self_check_in_sends_the_reminder_but_not_the_self_check_in_SMS()
    {
        var decision = DecideFor(At("2025-06-12 14:00"), At("2025-06-01 10:00"), selfCheckIn: false);

        Assert.Equal([SmsKind.Reminder], decision.Messages.Select(m => m.Kind));
        var notSent = Assert.Single(decision.NotSent);
        Assert.Equal(SmsKind.SelfCheckIn, notSent.Kind);
        Assert.Equal(["R21 NoSelfCheckIn"], Codes(notSent.Reasons));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void R26_self_check_in_without_a_configured_link_is_not_sent(string link)
    {
        var decision = DecideFor(At("2025-06-12 14:00"), At("2025-06-01 10:00"), selfCheckIn: true, link: link);

        Assert.Equal([SmsKind.Reminder], decision.Messages.Select(m => m.Kind));
        Assert.Equal(["R26 NoSelfCheckInLink"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Fact]
    public void R25_R26_texts_name_the_unit_and_the_local_start()
    {
        var decision = DecideFor(At("2025-03-31 10:00"), At("2025-03-01 10:00"), selfCheckIn: true);

        Assert.Equal(
            "Påminnelse om bokad kontakt med Ortopedmottagningen Centrum 2025-03-31 kl. 10:00. Av/omboka senast 24 timmar innan, annars betalar du en avgift",
            Only(decision, SmsKind.Reminder).Text);
        Assert.Equal(
            "Du kan nu checka in och betala ditt besök hos Ortopedmottagningen Centrum 2025-03-31 kl. 10:00: https://www.1177.se/incheckning",
            Only(decision, SmsKind.SelfCheckIn).Text);
    }

    [Fact]
    public void R28_self_check_in_due_0530_for_a_0730_booking_is_never_moved_by_quiet_hours()
    {
        // Revision 1 moved it to 07:00, half an hour before the visit; R21 says 2 hours before (rev. 2).
        var sms = Only(DecideFor(At("2025-06-12 07:30"), At("2025-06-01 10:00"), selfCheckIn: true), SmsKind.SelfCheckIn);

        Assert.Equal("2025-06-12 05:30", Show(sms.DueAt));
        Assert.Empty(sms.Notes);
    }

    [Fact]
    public void R28_quiet_hours_are_off_by_default_a_late_evening_at_once_reminder_goes_at_once()
    {
        var patient = Patient();
        var decision = Decide(patient, Setting(patient), Booking(At("2025-06-13 10:00"), At("2025-06-12 23:00")), Unit(selfCheckIn: true), policy: SmsPolicy.Default with { SelfCheckInLink = "https://incheckning.example/r" });

        var reminder = Only(decision, SmsKind.Reminder);
        Assert.False(SmsPolicy.Default.QuietHours.Enabled);
        Assert.Equal("2025-06-12 23:00", Show(reminder.DueAt));
        Assert.Equal(["R20 AtOnce"], Codes(reminder.Notes));
        Assert.Equal("2025-06-13 08:00", Show(Only(decision, SmsKind.SelfCheckIn).DueAt));
    }

    [Fact]
    public void R26_there_is_no_built_in_link_so_by_default_no_self_check_in_SMS_is_planned_and_the_booking_says_why()
    {
        var patient = Patient();
        var decision = Decide(patient, Setting(patient), Booking(At("2025-06-13 10:00")), Unit(selfCheckIn: true), policy: SmsPolicy.Default);

        Assert.Equal("", SmsPolicy.Default.SelfCheckInLink);
        Assert.Single(decision.Messages, m => m.Kind == SmsKind.Reminder);
        Assert.Equal(["R26 NoSelfCheckInLink"], Codes(decision.ReasonsFor(SmsKind.SelfCheckIn)));
    }

    [Theory]
    [InlineData("2025-06-12 07:00", "2025-06-12 05:00")] // the end of quiet hours equals the start
    [InlineData("2025-06-12 06:59", "2025-06-12 04:59")] // the end is after the start
    [InlineData("2025-06-12 01:00", "2025-06-11 23:00")] // the end is long after the start
    public void R28_due_time_inside_quiet_hours_stays_when_their_end_is_at_or_after_the_start(string start, string expectedDue)
    {
        var sms = Only(DecideFor(At(start), At("2025-06-01 10:00"), selfCheckIn: true), SmsKind.SelfCheckIn);

        Assert.Equal(expectedDue, Show(sms.DueAt));
        Assert.Empty(sms.Notes);
    }

    [Fact]
    public void R28_reminder_due_2200_moves_to_0700_the_next_day()
    {
        var reminder = Only(DecideFor(At("2025-06-14 22:00"), At("2025-06-01 10:00")), SmsKind.Reminder);

        Assert.Equal("2025-06-13 07:00", Show(reminder.DueAt));
        Assert.Equal(["R28 QuietHours"], Codes(reminder.Notes));
    }

    [Theory]
    [InlineData("2025-06-14 20:59", "2025-06-12 20:59", false)] // just before quiet hours
    [InlineData("2025-06-14 21:00", "2025-06-13 07:00", true)] // start inclusive
    [InlineData("2025-06-14 23:59", "2025-06-13 07:00", true)]
    [InlineData("2025-06-15 00:00", "2025-06-13 07:00", true)] // after midnight: the same morning
    [InlineData("2025-06-15 06:59", "2025-06-13 07:00", true)]
    [InlineData("2025-06-15 07:00", "2025-06-13 07:00", false)] // end exclusive
    public void R28_default_window_is_21_to_07_start_inclusive_end_exclusive(string start, string expectedDue, bool moved)
    {
        var reminder = Only(DecideFor(At(start), At("2025-06-01 10:00")), SmsKind.Reminder);

        Assert.Equal(expectedDue, Show(reminder.DueAt));
        Assert.Equal(moved ? ["R28 QuietHours"] : Array.Empty<string>(), Codes(reminder.Notes));
    }

    [Fact]
    public void R28_quiet_hours_switched_off_leave_a_2200_reminder_at_2200()
    {
        var decision = DecideFor(At("2025-06-14 22:00"), At("2025-06-01 10:00"), selfCheckIn: true, quietHours: QuietHours.Off);

        Assert.Equal("2025-06-12 22:00", Show(Only(decision, SmsKind.Reminder).DueAt));
        Assert.Empty(Only(decision, SmsKind.Reminder).Notes);
        Assert.Equal("2025-06-14 20:00", Show(Only(decision, SmsKind.SelfCheckIn).DueAt));
    }

    [Theory]
    [InlineData("2025-06-14 11:59", "2025-06-12 11:59", false)]
    [InlineData("2025-06-14 12:00", "2025-06-12 13:00", true)]
    [InlineData("2025-06-14 12:30", "2025-06-12 13:00", true)]
    [InlineData("2025-06-14 13:00", "2025-06-12 13:00", false)]
    [InlineData("2025-06-14 22:00", "2025-06-12 22:00", false)] // the default window no longer applies
    public void R28_a_non_wrapping_window_12_to_13_moves_only_times_inside_it_to_1300_the_same_day(string start, string expectedDue, bool moved)
    {
        var lunch = new QuietHours(true, new LocalTime(12, 0), new LocalTime(13, 0));

        var reminder = Only(DecideFor(At(start), At("2025-06-01 10:00"), quietHours: lunch), SmsKind.Reminder);

        Assert.Equal(expectedDue, Show(reminder.DueAt));
        Assert.Equal(moved ? ["R28 QuietHours"] : Array.Empty<string>(), Codes(reminder.Notes));
    }

    [Fact]
    public void R28_a_window_whose_start_equals_its_end_is_empty()
    {
        var none = new QuietHours(true, new LocalTime(7, 0), new LocalTime(7, 0));

        var reminder = Only(DecideFor(At("2025-06-14 23:00"), At("2025-06-01 10:00"), quietHours: none), SmsKind.Reminder);

        Assert.Equal("2025-06-12 23:00", Show(reminder.DueAt));
    }

    [Fact]
    public void R28_DST_spring_night_reminder_due_0030_CET_moves_to_0700_CEST_only_5_5_elapsed_hours_later()
    {
        // Start 2025-04-01 01:30 CEST = 2025-03-31 23:30 UTC; 48 h before = 2025-03-29 23:30 UTC = 2025-03-30 00:30 CET.
        var reminder = Only(DecideFor(At("2025-04-01 01:30"), At("2025-03-20 10:00")), SmsKind.Reminder);

        Assert.Equal(Instant.FromUtc(2025, 3, 30, 5, 0), reminder.DueAt);
        Assert.Equal("2025-03-30 07:00", Show(reminder.DueAt));
        Assert.Equal(["R28 QuietHours"], Codes(reminder.Notes));
    }

    [Fact]
    public void R28_DST_autumn_night_reminder_due_0230_CEST_moves_to_0700_CET()
    {
        // Start 2025-10-28 01:30 CET = 00:30 UTC; 48 h before = 2025-10-26 00:30 UTC = 02:30 CEST (first pass).
        var reminder = Only(DecideFor(At("2025-10-28 01:30"), At("2025-10-20 10:00")), SmsKind.Reminder);

        Assert.Equal(Instant.FromUtc(2025, 10, 26, 6, 0), reminder.DueAt);
        Assert.Equal(["R28 QuietHours"], Codes(reminder.Notes));
    }

    [Fact]
    public void R28_DST_spring_morning_self_check_in_due_0600_CEST_is_not_moved_by_quiet_hours()
    {
        var sms = Only(DecideFor(At("2025-03-30 08:00"), At("2025-03-20 10:00"), selfCheckIn: true), SmsKind.SelfCheckIn);

        Assert.Equal(Instant.FromUtc(2025, 3, 30, 4, 0), sms.DueAt);
        Assert.Empty(sms.Notes);
    }

    [Fact]
    public void R20_R28_booked_at_2300_for_1000_the_next_day_the_at_once_reminder_waits_until_0700()
    {
        var decision = DecideFor(At("2025-06-13 10:00"), At("2025-06-12 23:00"), selfCheckIn: true);

        var reminder = Only(decision, SmsKind.Reminder);
        Assert.Equal("2025-06-13 07:00", Show(reminder.DueAt));
        Assert.Equal(["R20 AtOnce", "R28 QuietHours"], Codes(reminder.Notes));
        Assert.Equal("2025-06-13 08:00", Show(Only(decision, SmsKind.SelfCheckIn).DueAt));
    }

    [Fact]
    public void R20_R28_booked_at_2200_for_0630_the_next_day_both_go_at_their_due_times_inside_quiet_hours()
    {
        var decision = DecideFor(At("2025-06-13 06:30"), At("2025-06-12 22:00"), selfCheckIn: true);

        var reminder = Only(decision, SmsKind.Reminder);
        Assert.Equal("2025-06-12 22:00", Show(reminder.DueAt));
        Assert.Equal(["R20 AtOnce"], Codes(reminder.Notes));
        var selfCheckIn = Only(decision, SmsKind.SelfCheckIn);
        Assert.Equal("2025-06-13 04:30", Show(selfCheckIn.DueAt));
        Assert.Empty(selfCheckIn.Notes);
    }

    [Theory]
    // window            instant (local)      end (local) or "-" when outside
    [InlineData("21:00", "07:00", "2025-06-12 20:59", "-")]
    [InlineData("21:00", "07:00", "2025-06-12 21:00", "2025-06-13 07:00")]
    [InlineData("21:00", "07:00", "2025-06-13 03:00", "2025-06-13 07:00")]
    [InlineData("21:00", "07:00", "2025-06-13 07:00", "-")]
    [InlineData("21:00", "07:00", "2025-03-29 22:00", "2025-03-30 07:00")] // the spring night is an hour short
    [InlineData("21:00", "07:00", "2025-10-25 22:00", "2025-10-26 07:00")] // the autumn night an hour long
    [InlineData("12:00", "13:00", "2025-06-12 12:59", "2025-06-12 13:00")]
    [InlineData("12:00", "13:00", "2025-06-12 13:00", "-")]
    [InlineData("22:30", "06:15", "2025-06-12 22:29", "-")]
    [InlineData("22:30", "06:15", "2025-06-12 22:30", "2025-06-13 06:15")]
    [InlineData("22:30", "06:15", "2025-06-13 06:14", "2025-06-13 06:15")]
    [InlineData("01:00", "02:30", "2025-03-30 01:30", "2025-03-30 03:30")] // end in the spring gap: moved forward, leniently
    public void R28_end_of_quiet_hours_containing_an_instant(string from, string to, string local, string expectedEnd)
    {
        var quiet = new QuietHours(true, TimePattern.Parse(from).Value, TimePattern.Parse(to).Value);

        var end = quiet.EndOfQuietHoursContaining(At(local));

        Assert.Equal(expectedEnd, end is { } e ? Show(e) : "-");
    }

    [Fact]
    public void R28_disabled_quiet_hours_contain_nothing()
    {
        Assert.Null(QuietHours.Off.EndOfQuietHoursContaining(At("2025-06-12 23:00")));
        Assert.NotNull(QuietHours.Night.EndOfQuietHoursContaining(At("2025-06-12 23:00")));
    }
}
