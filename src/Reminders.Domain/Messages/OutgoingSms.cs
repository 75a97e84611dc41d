using NodaTime;
using Reminders.Domain.Phones;

namespace Reminders.Domain.Messages;

/// <summary>The state of a planned or sent SMS.</summary>
public enum SmsStatus
{
    /// <summary>Planned, waiting for its due time.</summary>
    Pending,

    /// <summary>An attempt was recorded before calling the provider; its outcome is not known yet.</summary>
    Sending,

    /// <summary>The provider accepted it.</summary>
    Sent,

    /// <summary>The provider reported delivery.</summary>
    Delivered,

    /// <summary>Sending or delivery failed for good.</summary>
    Failed,

    /// <summary>The booking was cancelled (R22).</summary>
    Cancelled,

    /// <summary>A rule stopped it after it was planned (R23).</summary>
    Suppressed,
}

/// <summary>
/// One SMS for one booking, kind, recipient and start time (R22: never sent twice for that key). Created
/// and reshaped by <see cref="SmsPlanner"/>; moved through sending by the dispatcher.
/// </summary>
public sealed class OutgoingSms
{
    private List<Reason> _reasons = [];

    private OutgoingSms(long bookingId, SmsKind kind, Recipient recipient, PhoneNumber to, Instant bookingStart, Instant dueAt, string text, string callbackToken, Instant createdAt)
    {
        BookingId = bookingId;
        Kind = kind;
        Recipient = recipient;
        To = to;
        BookingStart = bookingStart;
        DueAt = dueAt;
        NotBefore = dueAt;
        Text = text;
        CallbackToken = callbackToken;
        CreatedAt = createdAt;
    }

    /// <summary>Internal id.</summary>
    public long Id { get; private set; }

    /// <summary>The booking's internal id.</summary>
    public long BookingId { get; private set; }

    /// <summary>Reminder or self check-in.</summary>
    public SmsKind Kind { get; private set; }

    /// <summary>Patient or guardian.</summary>
    public Recipient Recipient { get; private set; }

    /// <summary>The number it goes to.</summary>
    public PhoneNumber To { get; private set; }

    /// <summary>The booking start it was planned for (R22 key).</summary>
    public Instant BookingStart { get; private set; }

    /// <summary>When it is due (R20, R21, R28).</summary>
    public Instant DueAt { get; private set; }

    /// <summary>The earliest instant the dispatcher may try it: the due time, or later after a failed attempt.</summary>
    public Instant NotBefore { get; private set; }

    /// <summary>The exact text (R25, R26).</summary>
    public string Text { get; private set; }

    /// <summary>The state.</summary>
    public SmsStatus Status { get; private set; }

    /// <summary>Why it was cancelled, suppressed or failed, or notes on its timing.</summary>
    public IReadOnlyList<Reason> Reasons => _reasons;

    /// <summary>How many times sending was attempted.</summary>
    public int Attempts { get; private set; }

    /// <summary>When the last attempt started.</summary>
    public Instant? LastAttemptAt { get; private set; }

    /// <summary>The last error from the provider, for staff (no personal data).</summary>
    public string? LastError { get; private set; }

    /// <summary>The provider's message id, once it accepted the SMS.</summary>
    public string? ProviderId { get; private set; }

    /// <summary>Unguessable token in the delivery callback URL.</summary>
    public string CallbackToken { get; private set; }

    /// <summary>When the provider accepted it.</summary>
    public Instant? SentAt { get; private set; }

    /// <summary>When the provider reported delivery (or delivery failure).</summary>
    public Instant? DeliveredAt { get; private set; }

    /// <summary>When it was planned.</summary>
    public Instant CreatedAt { get; private set; }

    /// <summary>The dispatcher instance holding the lease, if any.</summary>
    public string? LeaseOwner { get; private set; }

    /// <summary>When the lease ends.</summary>
    public Instant? LeaseUntil { get; private set; }

    /// <summary>True for an SMS that may still change (pending).</summary>
    public bool IsPending => Status == SmsStatus.Pending;

    /// <summary>True once an attempt was made: it is never sent again for the same key (R22).</summary>
    public bool WasAttempted => Status is SmsStatus.Sending or SmsStatus.Sent or SmsStatus.Delivered or SmsStatus.Failed;

    /// <summary>Plans a new SMS.</summary>
    public static OutgoingSms Plan(long bookingId, PlannedSms planned, Instant bookingStart, string callbackToken, Instant now)
    {
        var sms = new OutgoingSms(bookingId, planned.Kind, planned.Recipient, planned.To, bookingStart, planned.DueAt, planned.Text, callbackToken, now);
        sms._reasons = [.. planned.Notes];
        return sms;
    }

    /// <summary>True when this SMS is the one <paramref name="planned"/> describes (R22 key, start aside).</summary>
    public bool Matches(PlannedSms planned) => planned.Kind == Kind && planned.Recipient == Recipient && planned.To == To;

    /// <summary>
    /// R22/R23: a pending (or stopped) SMS takes the decision's due time, text and start. After a failed attempt it
    /// keeps its retry's backoff: it is not tried before the later of the new due time and the retry time (decision 0005).
    /// </summary>
    public void Replan(PlannedSms planned, Instant bookingStart)
    {
        EnsureNotAttempted();
        Status = SmsStatus.Pending;
        BookingStart = bookingStart;
        DueAt = planned.DueAt;
        NotBefore = Attempts > 0 && NotBefore > planned.DueAt ? NotBefore : planned.DueAt;
        Text = planned.Text;
        _reasons = [.. planned.Notes];
    }

    /// <summary>R22: the booking was cancelled.</summary>
    public void Cancel(IReadOnlyList<Reason> reasons) => Stop(SmsStatus.Cancelled, reasons);

    /// <summary>R23: a rule stops it.</summary>
    public void Suppress(IReadOnlyList<Reason> reasons) => Stop(SmsStatus.Suppressed, reasons);

    /// <summary>Takes the dispatcher's lease.</summary>
    public void Lease(string owner, Instant until)
    {
        LeaseOwner = owner;
        LeaseUntil = until;
    }

    /// <summary>Records an attempt before calling the provider, so that a crash never leads to a blind resend.</summary>
    public void BeginAttempt(Instant now)
    {
        if (Status != SmsStatus.Pending)
        {
            throw new InvalidOperationException($"Cannot send an SMS in state {Status}.");
        }

        Status = SmsStatus.Sending;
        Attempts++;
        LastAttemptAt = now;
    }

    /// <summary>The provider accepted it.</summary>
    public void MarkSent(string providerId, Instant now)
    {
        Status = SmsStatus.Sent;
        ProviderId = providerId;
        SentAt = now;
        LastError = null;
        ReleaseLease();
    }

    /// <summary>The provider refused it for now, or did not answer: try again at <paramref name="retryAt"/>.</summary>
    public void RetryLater(string error, Instant retryAt)
    {
        Status = SmsStatus.Pending;
        LastError = error;
        NotBefore = retryAt;
        ReleaseLease();
    }

    /// <summary>Sending failed for good.</summary>
    public void MarkFailed(string error)
    {
        Status = SmsStatus.Failed;
        LastError = error;
        ReleaseLease();
    }

    /// <summary>
    /// A delivery report. Handling the same report twice changes nothing; a report never moves a
    /// delivered SMS back. Returns true when the state changed.
    /// </summary>
    public bool ApplyDeliveryReport(bool delivered, Instant at, string? error)
    {
        if (Status is not (SmsStatus.Sent or SmsStatus.Sending))
        {
            return false;
        }

        Status = delivered ? SmsStatus.Delivered : SmsStatus.Failed;
        DeliveredAt = at;
        if (!delivered)
        {
            LastError = error ?? "Leveransen misslyckades enligt sms-leverantören.";
        }

        ReleaseLease();
        return true;
    }

    private void Stop(SmsStatus status, IReadOnlyList<Reason> reasons)
    {
        EnsureNotAttempted();
        Status = status;
        _reasons = [.. reasons];
        ReleaseLease();
    }

    /// <summary>Gives the dispatcher's lease back (the SMS stays as it is, e.g. pending with a later due time).</summary>
    public void ReleaseLease()
    {
        LeaseOwner = null;
        LeaseUntil = null;
    }

    private void EnsureNotAttempted()
    {
        if (WasAttempted)
        {
            throw new InvalidOperationException($"An SMS in state {Status} cannot be replanned (R22).");
        }
    }
}
