using NodaTime;
using Reminders.Domain.Phones;

namespace Reminders.Infrastructure.Messaging;

/// <summary>An SMS the Sink gateway kept instead of sending (<c>Sms:Provider=Sink</c>): shown on the admin page.</summary>
public sealed class SinkMessage
{
    /// <summary>Internal id.</summary>
    public long Id { get; set; }

    /// <summary>The outgoing SMS's id.</summary>
    public long SmsId { get; set; }

    /// <summary>The number it would have gone to.</summary>
    public required PhoneNumber To { get; set; }

    /// <summary>The sender name.</summary>
    public required string From { get; set; }

    /// <summary>The text.</summary>
    public required string Text { get; set; }

    /// <summary>The id the sink gave it, as a provider would.</summary>
    public required string ProviderId { get; set; }

    /// <summary>When it was stored.</summary>
    public Instant At { get; set; }
}
