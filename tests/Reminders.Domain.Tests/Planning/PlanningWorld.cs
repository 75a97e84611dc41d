using NodaTime;
using Reminders.Domain.Bookings;
using Reminders.Domain.Messages;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Domain.Units;
using static Reminders.Domain.Tests.TestData;

namespace Reminders.Domain.Tests.Planning;

/// <summary>One booking with its patient, setting, unit and stored SMS, replanned the way the infrastructure's planner does.</summary>
internal sealed class PlanningWorld(Patient patient, ReminderSetting setting, CareUnit unit, Booking booking, SmsPolicy? policy = null)
{
    private int _tokens;

    public Patient Patient { get; } = patient;

    public ReminderSetting Setting { get; } = setting;

    public CareUnit Unit { get; } = unit;

    public Booking Booking { get; } = booking;

    public SmsPolicy Policy { get; set; } = policy ?? TestData.Policy();

    public List<OutgoingSms> Messages { get; } = [];

    /// <summary>An activated adult with mobile +46701740605 and a booking at a unit that offers self check-in.</summary>
    public static PlanningWorld Adult(Instant start, Instant bookedAt)
    {
        var patient = TestData.Patient();
        return new PlanningWorld(patient, Setting(patient), TestData.Unit(selfCheckIn: true), TestData.Booking(start, bookedAt));
    }

    public Decision Decide(Instant now) => ReminderDecider.Decide(Patient, Setting, Unit, Booking, now, Policy);

    /// <summary>Decides and reconciles; the new SMS are stored and returned.</summary>
    public IReadOnlyList<OutgoingSms> Reconcile(Instant now)
    {
        var added = SmsPlanner.Reconcile(Booking.Id, Booking.Start, Booking.Status == BookingStatus.Cancelled, Decide(now), Messages, now, () => $"token-{++_tokens}");
        Messages.AddRange(added);
        return added;
    }

    public (SendVerdict Verdict, PlannedSms? Planned, IReadOnlyList<Reason> Reasons) AtSendTime(OutgoingSms sms, Instant now) =>
        SmsPlanner.AtSendTime(sms, Booking.Start, Decide(now), now);

    public OutgoingSms Single(SmsKind kind) => Assert.Single(Messages, m => m.Kind == kind);

    public static void Send(OutgoingSms sms, Instant at)
    {
        sms.BeginAttempt(at);
        sms.MarkSent("provider-" + sms.CallbackToken, at);
    }

    /// <summary>Everything that describes an SMS, to see that nothing changed.</summary>
    public static string Snapshot(OutgoingSms sms) =>
        $"{sms.Kind}|{sms.Recipient}|{sms.To}|{sms.BookingStart}|{sms.DueAt}|{sms.NotBefore}|{sms.Status}|{sms.Text}|{string.Join(",", Codes(sms.Reasons))}|{sms.CallbackToken}|{sms.CreatedAt}";
}
