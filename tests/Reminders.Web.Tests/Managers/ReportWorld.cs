using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using Reminders.Testing;

namespace Reminders.Web.Tests.Managers;

/// <summary>Arranges patients, settings, bookings and SMS straight through the domain and the store.</summary>
public static class ReportWorld
{
    private static int _next = 400;

    /// <summary>A fictional number of the test series (+46701740605…+46701740699).</summary>
    public static PhoneNumber Mobile(int n) => PhoneNumber.FromTrusted("+467017406" + (05 + n).ToString("00", System.Globalization.CultureInfo.InvariantCulture));

    public static Instant Local(int year, int month, int day, int hour = 9) => Stockholm.ToInstant(new LocalDateTime(year, month, day, hour, 0));

    /// <summary>Creates a patient and their setting; <paramref name="arrange"/> shapes the setting.</summary>
    public static async Task<Patient> PatientAsync(this RemindersFactory factory, string name, LocalDate? born = null, PhoneNumber? mobile = null,
        Instant? mobileUpdatedAt = null, bool protectedIdentity = false, Action<Patient, ReminderSetting, Instant>? arrange = null, bool coordination = false)
    {
        await using var db = factory.NewDbContext();
        var pin = PersonalIdentityNumber.Create(born ?? new LocalDate(1980, 5, 10), Interlocked.Increment(ref _next) % 999 + 1, coordination);
        var patient = Patient.Create(pin, name);
        patient.UpdateFromRegister(name, protectedIdentity, mobile, mobile is null ? null : mobileUpdatedAt ?? Local(2020, 1, 15), false);
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        var setting = ReminderSetting.CreateFor(patient.Id);
        arrange?.Invoke(patient, setting, factory.Time.Now);
        db.ReminderSettings.Add(setting);
        await db.SaveChangesAsync();
        return patient;
    }

    public static void Activate(Patient patient, ReminderSetting setting, Instant now) =>
        Assert.True(setting.Activate(patient, new ChangeContext(now, Staff.UnitA, ChangeChannel.CheckIn)).Succeeded);

    /// <summary>A booking; with an outcome (recorded now) and a reminder SMS in <paramref name="reminder"/> state when given.</summary>
    public static async Task<Booking> BookingAsync(this RemindersFactory factory, Patient patient, HsaId unit, Instant start,
        BookingOutcome outcome = BookingOutcome.None, SmsStatus? reminder = null)
    {
        await using var db = factory.NewDbContext();
        var now = factory.Time.Now;
        var booking = Booking.Create("t-" + Guid.NewGuid().ToString("N")[..16], patient.Id, unit, start, start - Duration.FromDays(10));
        if (outcome != BookingOutcome.None)
        {
            Assert.True(booking.RecordOutcome(outcome, now).Succeeded);
        }

        db.Bookings.Add(booking);
        await db.SaveChangesAsync();
        if (reminder is { } status)
        {
            var planned = new PlannedSms(SmsKind.Reminder, Recipient.Patient, Mobile(90), start - Duration.FromHours(48), "Påminnelse", []);
            var sms = OutgoingSms.Plan(booking.Id, planned, start, Guid.NewGuid().ToString("N"), start - Duration.FromDays(10));
            if (status != SmsStatus.Pending)
            {
                sms.BeginAttempt(start - Duration.FromHours(48));
                sms.MarkSent("p-" + booking.Id, start - Duration.FromHours(48));
                if (status == SmsStatus.Delivered)
                {
                    sms.ApplyDeliveryReport(true, start - Duration.FromHours(47), null);
                }
                else if (status == SmsStatus.Failed)
                {
                    sms.MarkFailed("test");
                }
            }

            db.Messages.Add(sms);
            await db.SaveChangesAsync();
        }

        return booking;
    }
}
