using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Bookings;
using Reminders.Domain.Identity;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Phones;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;

namespace Reminders.Testing.Data;

/// <summary>
/// The one set of builders for the domain's aggregates in tests and benchmarks: units, patients as the register
/// delivers them, reminder settings, bookings and SMS in any state, each made through the domain's own methods (so
/// a builder can never make what the product could not). A refused domain call throws with its reasons.
/// </summary>
public static class Build
{
    /// <summary>A care unit (active unless told otherwise).</summary>
    public static CareUnit Unit(HsaId id, string name, string clinic, bool usesSms = true, bool selfCheckIn = false, bool active = true)
    {
        var unit = CareUnit.Create(id, name, clinic, usesSms, selfCheckIn);
        if (!active)
        {
            unit.SetActive(false);
        }

        return unit;
    }

    /// <summary>
    /// A patient as the register delivers them: a mobile with the instant 1177 delivered it
    /// (<paramref name="mobileUpdatedAt"/>; null is an unknown date, as a VAS file can have).
    /// </summary>
    public static Patient Patient(
        PersonalIdentityNumber id,
        string name = "Testperson Testsson",
        PhoneNumber? mobile = null,
        Instant? mobileUpdatedAt = null,
        bool protectedIdentity = false,
        bool consentIn1177 = false)
    {
        var patient = Domain.Patients.Patient.Create(id, name);
        patient.UpdateFromRegister(name, protectedIdentity, mobile, mobile is null ? null : mobileUpdatedAt, consentIn1177);
        return patient;
    }

    /// <summary>Marks an existing patient as having a protected identity, as a later register delivery would (R14, R34).</summary>
    public static void Protect(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        patient.UpdateFromRegister(patient.Name, true, patient.Mobile, patient.MobileUpdatedAt, patient.ConsentIn1177);
    }

    /// <summary>The patient's reminder setting, activated in <paramref name="context"/>.</summary>
    public static ReminderSetting ActivatedSetting(Patient patient, ChangeContext context)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var setting = ReminderSetting.CreateFor(patient.Id);
        Require(setting.Activate(patient, context));
        return setting;
    }

    /// <summary>A booking (booked 10 days before its start unless told).</summary>
    public static Booking Booking(string externalId, long patientId, HsaId unit, Instant start, Instant? bookedAt = null) =>
        Domain.Bookings.Booking.Create(externalId, patientId, unit, start, bookedAt ?? start - Duration.FromDays(10));

    /// <summary>
    /// An SMS for <paramref name="booking"/> brought to <paramref name="status"/> the way the dispatcher would: planned
    /// 10 days before the start and due 48 hours before it; Sent, Delivered and Failed through an attempt at the due time.
    /// </summary>
    public static OutgoingSms Sms(
        Booking booking,
        PhoneNumber to,
        SmsStatus status = SmsStatus.Pending,
        SmsKind kind = SmsKind.Reminder,
        string text = "Påminnelse",
        string? callbackToken = null)
    {
        ArgumentNullException.ThrowIfNull(booking);
        var due = booking.Start - Duration.FromHours(48);
        var sms = OutgoingSms.Plan(booking.Id, new PlannedSms(kind, Recipient.Patient, to, due, text, []), booking.Start,
            callbackToken ?? Guid.NewGuid().ToString("N"), booking.Start - Duration.FromDays(10));
        switch (status)
        {
            case SmsStatus.Pending:
                break;
            case SmsStatus.Sent or SmsStatus.Delivered or SmsStatus.Failed:
                sms.BeginAttempt(due);
                sms.MarkSent("provider-" + sms.CallbackToken, due);
                if (status == SmsStatus.Delivered)
                {
                    sms.ApplyDeliveryReport(true, due + Duration.FromHours(1), null);
                }
                else if (status == SmsStatus.Failed)
                {
                    sms.MarkFailed("test");
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(status), status, "Pending, Sent, Delivered or Failed.");
        }

        return sms;
    }

    /// <summary>Throws with the reasons when a domain call was refused.</summary>
    public static void Require(Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("The domain refused the arrangement: " + string.Join("; ", result.Reasons));
        }
    }
}
