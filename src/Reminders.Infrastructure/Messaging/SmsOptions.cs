namespace Reminders.Infrastructure.Messaging;

/// <summary>The SMS gateways (docs: integration.md, configuration keys <c>Sms:*</c>).</summary>
public enum SmsProvider
{
    /// <summary>Messages are stored and shown on an admin page; nothing leaves the machine.</summary>
    Sink,

    /// <summary>The 46elks-style HTTP provider.</summary>
    FortySixElks,
}

/// <summary><c>Sms:Provider</c>, <c>Sms:From</c>, <c>Sms:CallbackBaseUrl</c>.</summary>
public sealed class SmsOptions
{
    /// <summary>Which gateway sends.</summary>
    public SmsProvider Provider { get; set; } = SmsProvider.Sink;

    /// <summary>Sender name or number.</summary>
    public string From { get; set; } = "Region";

    /// <summary>
    /// The product's own base URL as the provider reaches it (delivery reports go to
    /// <c>{CallbackBaseUrl}/api/v1/sms/delivery/{token}</c>); required, https, with a real provider outside
    /// Development. Empty in Development means the first URL the app listens on.
    /// </summary>
    public string? CallbackBaseUrl { get; set; }

    /// <summary>
    /// Outside Development the Sink provider (which sends nothing and marks every SMS sent) is refused unless this
    /// is true: a test or training installation says so on purpose.
    /// </summary>
    public bool AllowSink { get; set; }
}

/// <summary><c>Sms:FortySixElks:*</c>.</summary>
public sealed class FortySixElksOptions
{
    /// <summary>The provider's base URL; the client POSTs to <c>{BaseUrl}/a1/sms</c>.</summary>
    public string BaseUrl { get; set; } = "https://api.46elks.com";

    /// <summary>HTTP Basic user.</summary>
    public string? Username { get; set; }

    /// <summary>HTTP Basic password.</summary>
    public string? Password { get; set; }

    /// <summary>How long one request may take before it counts as a failure to retry.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary><c>Dispatcher:*</c>.</summary>
public sealed class DispatcherOptions
{
    /// <summary>False stops the hosted loop (tests drive <see cref="SmsDispatcher.DispatchDueAsync"/> themselves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often due SMS are looked for.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many SMS one poll claims at most.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>How long a claim holds; must exceed the gateway's time-out with a good margin.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How many claimed SMS one instance sends at the same time (1 = one after the other). Each keeps its own
    /// decision at send time and conditional saves; the overlap is in waiting for the provider.
    /// </summary>
    public int MaxParallelSends { get; set; } = 4;

    /// <summary>Attempts before an SMS is failed for good.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry delay; doubled per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest retry delay.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>/health reports the dispatcher unhealthy when its last successful poll is older than this.</summary>
    public TimeSpan UnhealthyAfter { get; set; } = TimeSpan.FromMinutes(5);
}
