using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Testing;

namespace Reminders.Web.Tests.Managers;

/// <summary>Arranges patients, settings, bookings and SMS for the reports, through the shared builders (<see cref="Build"/>, <see cref="Arrange"/>).</summary>
public static class ReportWorld
{
    public static Instant Local(int year, int month, int day, int hour = 9) => Stockholm.ToInstant(new LocalDateTime(year, month, day, hour, 0));

    /// <summary>Creates a patient (born 1980-05-10 unless told, mobile delivered 2020-01-15) and their setting; <paramref name="arrange"/> shapes the setting.</summary>
    public static Task<Patient> PatientAsync(this RemindersFactory factory, string name, LocalDate? born = null, PhoneNumber? mobile = null,
        Instant? mobileUpdatedAt = null, bool protectedIdentity = false, Action<Patient, ReminderSetting, Instant>? arrange = null, bool coordination = false) =>
        factory.AddPatientAsync(Fiction.NewIdentity(born ?? new LocalDate(1980, 5, 10), coordination), name, mobile, mobileUpdatedAt ?? Local(2020, 1, 15),
            protectedIdentity, arrange: arrange is null ? null : (p, s) => arrange(p, s, factory.Time.Now));

    public static void Activate(Patient patient, ReminderSetting setting, Instant now) =>
        Assert.True(setting.Activate(patient, new ChangeContext(now, Staff.UnitA, ChangeChannel.CheckIn)).Succeeded);

    /// <summary>A booking; with an outcome (recorded now) and a reminder SMS in <paramref name="reminder"/> state when given.</summary>
    public static async Task<Booking> BookingAsync(this RemindersFactory factory, Patient patient, HsaId unit, Instant start,
        BookingOutcome outcome = BookingOutcome.None, SmsStatus? reminder = null)
    {
        await using var db = factory.NewDbContext();
        var booking = Build.Booking("t-" + Guid.NewGuid().ToString("N")[..16], patient.Id, unit, start);
        if (outcome != BookingOutcome.None)
        {
            Assert.True(booking.RecordOutcome(outcome, factory.Time.Now).Succeeded);
        }

        return await db.AddBookingAsync(booking, reminder is { } status ? b => Build.Sms(b, Fiction.Mobile(95), status) : null);
    }
}
