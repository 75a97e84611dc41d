using NodaTime;
using NodaTime.Text;
using Reminders.Domain.Messages;

namespace Reminders.Infrastructure.Planning;

/// <summary>
/// Configuration of the decision's policy (R26, R28): <c>Sms:QuietHours:Enabled</c>, <c>:Start</c>,
/// <c>:End</c> (HH:mm local) and <c>Sms:SelfCheckInLink</c>.
/// </summary>
public sealed class SmsPolicyOptions
{
    /// <summary>R28 switch; default off (rev. 2).</summary>
    public bool QuietHoursEnabled { get; set; }

    /// <summary>R28 start, local HH:mm; default 21:00.</summary>
    public string QuietHoursStart { get; set; } = "21:00";

    /// <summary>R28 end, local HH:mm; default 07:00.</summary>
    public string QuietHoursEnd { get; set; } = "07:00";

    /// <summary>R26 link; none by default (rev. 2): without one no self check-in SMS is planned.</summary>
    public string SelfCheckInLink { get; set; } = "";

    /// <summary>The policy these options describe; a malformed time is a configuration error.</summary>
    public SmsPolicy ToPolicy() => new(
        new QuietHours(QuietHoursEnabled, ParseTime(QuietHoursStart, nameof(QuietHoursStart)), ParseTime(QuietHoursEnd, nameof(QuietHoursEnd))),
        SelfCheckInLink.Trim());

    private static LocalTime ParseTime(string value, string name)
    {
        var result = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(value);
        return result.Success ? result.Value : throw new InvalidOperationException($"Sms:{name} must be HH:mm, not '{value}'.");
    }
}

/// <summary>The current policy for the decision function.</summary>
public interface ISmsPolicySource
{
    /// <summary>The policy in force now.</summary>
    SmsPolicy Current { get; }
}

/// <summary>A policy fixed at start-up from configuration.</summary>
/// <param name="policy">The policy.</param>
public sealed class FixedSmsPolicySource(SmsPolicy policy) : ISmsPolicySource
{
    /// <inheritdoc />
    public SmsPolicy Current { get; } = policy;
}

/// <summary>R28's quiet hours are local HH:mm; R26's link, where given, an absolute https URL.</summary>
public sealed class SmsPolicyOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SmsPolicyOptions>
{
    /// <inheritdoc />
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, SmsPolicyOptions options) => new Configuration.OptionsFailures()
        .Check(!IsTime(options.QuietHoursStart), "Sms:QuietHoursStart", $"'{options.QuietHoursStart}' is not accepted; expected a local time HH:mm, e.g. 21:00.")
        .Check(!IsTime(options.QuietHoursEnd), "Sms:QuietHoursEnd", $"'{options.QuietHoursEnd}' is not accepted; expected a local time HH:mm, e.g. 07:00.")
        .Check(!string.IsNullOrWhiteSpace(options.SelfCheckInLink) && !(Uri.TryCreate(options.SelfCheckInLink.Trim(), UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps),
            "Sms:SelfCheckInLink", $"'{options.SelfCheckInLink}' is not accepted; expected an absolute https URL.")
        .Result();

    private static bool IsTime(string? value) => value is not null && LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(value).Success;
}
