using Reminders.Domain.Phones;

namespace Reminders.Infrastructure.Messaging;

/// <summary>Sends one SMS through the configured provider (<c>Sms:Provider</c>: Sink or FortySixElks).</summary>
public interface ISmsGateway
{
    /// <summary>
    /// Hands one SMS to the provider. Expected failures (refusals, time-outs, broken connections) come back as
    /// a result; an exception means the outcome is unknown and the dispatcher never resends it blindly.
    /// </summary>
    Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

/// <summary>What the gateway sends.</summary>
/// <param name="SmsId">The SMS's internal id (for logs and the sink).</param>
/// <param name="To">The recipient, E.164.</param>
/// <param name="Text">The exact text.</param>
/// <param name="CallbackUrl">Where the provider reports delivery (<c>whendelivered</c>).</param>
public sealed record SmsMessage(long SmsId, PhoneNumber To, string Text, Uri CallbackUrl);

/// <summary>The provider's answer: accepted with its id, or a failure to retry (with the provider's Retry-After, if any).</summary>
/// <param name="ProviderId">The provider's message id when accepted.</param>
/// <param name="Error">A Swedish description of the failure for staff, without personal data.</param>
/// <param name="RetryAfter">How long the provider asked us to wait (HTTP 429/503 Retry-After).</param>
/// <param name="OutcomeUnknown">True when the provider may have taken it: it is never retried.</param>
public sealed record SmsSendResult(string? ProviderId, string? Error, TimeSpan? RetryAfter, bool OutcomeUnknown = false)
{
    /// <summary>True when the provider took the SMS.</summary>
    public bool Accepted => ProviderId is not null;

    /// <summary>The provider accepted the SMS.</summary>
    public static SmsSendResult Sent(string providerId) => new(providerId, null, null);

    /// <summary>
    /// The provider may have taken the SMS (it answered 200 but gave no id): never retried (decision 0005).
    /// </summary>
    public static SmsSendResult Unknown(string error) => new(null, error, null, OutcomeUnknown: true);

    /// <summary>A failure to retry later.</summary>
    public static SmsSendResult Failed(string error, TimeSpan? retryAfter = null) => new(null, error, retryAfter);
}
