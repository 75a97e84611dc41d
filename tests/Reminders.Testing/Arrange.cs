using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Persistence;
using Reminders.Testing.Data;

namespace Reminders.Testing;

/// <summary>
/// Arranging a store straight through the domain (<see cref="Build"/>) and the context: patients with their reminder
/// setting, bookings and their SMS. For what a test needs in place before it acts through the product's own paths.
/// </summary>
public static class Arrange
{
    /// <summary>
    /// Stores a patient as the register delivers them and their reminder setting. <paramref name="arrange"/> shapes both
    /// through the domain before the setting is saved; a protected identity is set after it, as a later register
    /// delivery would (a protected patient's numbers could not be arranged otherwise).
    /// </summary>
    public static async Task<Patient> AddPatientAsync(
        this RemindersDbContext db,
        PersonalIdentityNumber id,
        string name,
        PhoneNumber? mobile = null,
        Instant? mobileUpdatedAt = null,
        bool protectedIdentity = false,
        bool consentIn1177 = false,
        Action<Patient, ReminderSetting>? arrange = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var patient = Build.Patient(id, name, mobile, mobileUpdatedAt, consentIn1177: consentIn1177);
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        var setting = ReminderSetting.CreateFor(patient.Id);
        arrange?.Invoke(patient, setting);
        if (protectedIdentity)
        {
            Build.Protect(patient);
        }

        db.ReminderSettings.Add(setting);
        await db.SaveChangesAsync();
        return patient;
    }

    /// <summary><see cref="AddPatientAsync(RemindersDbContext, PersonalIdentityNumber, string, PhoneNumber?, Instant?, bool, bool, Action{Patient, ReminderSetting}?)"/> in a context of its own.</summary>
    public static async Task<Patient> AddPatientAsync(
        this RemindersFactory factory,
        PersonalIdentityNumber id,
        string name,
        PhoneNumber? mobile = null,
        Instant? mobileUpdatedAt = null,
        bool protectedIdentity = false,
        bool consentIn1177 = false,
        Action<Patient, ReminderSetting>? arrange = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var db = factory.NewDbContext();
        return await db.AddPatientAsync(id, name, mobile, mobileUpdatedAt, protectedIdentity, consentIn1177, arrange);
    }

    /// <summary>Stores a booking and, when given, its SMS (made for the stored booking by <paramref name="sms"/>).</summary>
    public static async Task<Booking> AddBookingAsync(this RemindersDbContext db, Booking booking, Func<Booking, OutgoingSms>? sms = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        db.Bookings.Add(booking);
        await db.SaveChangesAsync();
        if (sms is not null)
        {
            db.Messages.Add(sms(booking));
            await db.SaveChangesAsync();
        }

        return booking;
    }
}
