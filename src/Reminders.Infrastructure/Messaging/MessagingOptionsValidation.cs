using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Jobs;

namespace Reminders.Infrastructure.Messaging;

/// <summary>
/// <c>Sms:*</c> at start: a real provider outside Development (unless <c>Sms:AllowSink=true</c>), its credentials,
/// an https callback URL, and a provider time-out below the dispatcher's lease (in every environment: a send that
/// outlives its lease could be claimed and sent again by another instance).
/// </summary>
public sealed class SmsOptionsValidator(IHostEnvironment environment, IConfiguration configuration, IOptionsFactory<FortySixElksOptions> elks, IOptionsFactory<DispatcherOptions> dispatcher)
    : IValidateOptions<SmsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SmsOptions options)
    {
        if (CheckedOptions.ConversionFailures(configuration.GetSection("Sms"), typeof(SmsOptions)).Count > 0)
        {
            // A value that does not convert is reported alone: the section was not read, so nothing else is known.
            return ValidateOptionsResult.Success;
        }

        var failures = new OptionsFailures();
        var development = environment.IsDevelopment();
        var providers = string.Join(", ", Enum.GetNames<SmsProvider>().Where(p => p != nameof(SmsProvider.Sink)));
        failures.Check(
            options.Provider == SmsProvider.Sink && !development && !options.AllowSink,
            "Sms:Provider",
            $"Sink sends nothing and marks every SMS sent; outside Development set a real provider ({providers}), or Sms:AllowSink=true for a test installation.");
        failures.Check(string.IsNullOrWhiteSpace(options.From), "Sms:From", "a sender name or number is required.");

        if (options.Provider != SmsProvider.Sink)
        {
            if (string.IsNullOrWhiteSpace(options.CallbackBaseUrl))
            {
                failures.Check(!development, "Sms:CallbackBaseUrl", "required with a real provider: this app's https URL as the provider reaches it (delivery reports go to {CallbackBaseUrl}/api/v1/sms/delivery/{token}).");
            }
            else if (!OptionsFailures.IsHttpUrl(options.CallbackBaseUrl, out var callback) || (!development && callback!.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add("Sms:CallbackBaseUrl", $"'{options.CallbackBaseUrl}' is not accepted; expected an absolute https URL, e.g. https://paminnelser.region.se.");
            }
        }
        else if (options.CallbackBaseUrl is { Length: > 0 } sinkCallback && !OptionsFailures.IsHttpUrl(sinkCallback, out _))
        {
            failures.Add("Sms:CallbackBaseUrl", $"'{sinkCallback}' is not accepted; expected an absolute http(s) URL.");
        }

        if (options.Provider == SmsProvider.FortySixElks && TryCreate(elks) is { } provider)
        {
            failures.Check(string.IsNullOrWhiteSpace(provider.Username), "Sms:FortySixElks:Username", "required when Sms:Provider is FortySixElks (the API user).");
            failures.Check(string.IsNullOrWhiteSpace(provider.Password), "Sms:FortySixElks:Password", "required when Sms:Provider is FortySixElks (the API password).");
            if (!OptionsFailures.IsHttpUrl(provider.BaseUrl, out var baseUrl) || (!development && baseUrl!.Scheme != Uri.UriSchemeHttps && !baseUrl.IsLoopback))
            {
                failures.Add("Sms:FortySixElks:BaseUrl", $"'{provider.BaseUrl}' is not accepted; expected an absolute https URL, e.g. https://api.46elks.com.");
            }
        }

        if (options.Provider != SmsProvider.Sink && TryCreate(elks) is { } timed && TryCreate(dispatcher) is { } lease
            && timed.Timeout > TimeSpan.Zero && timed.Timeout >= lease.LeaseDuration)
        {
            failures.Add("Sms:FortySixElks:Timeout", $"{timed.Timeout} must be below Dispatcher:LeaseDuration ({lease.LeaseDuration}): a send still running when its lease ends could be sent again.");
        }

        return failures.Result();
    }

    // The other options' own failures are reported by their own validators.
    private static T? TryCreate<T>(IOptionsFactory<T> factory)
        where T : class
    {
        try
        {
            return factory.Create(Options.DefaultName);
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }
}

/// <summary><c>Sms:FortySixElks:Timeout</c> is positive.</summary>
public sealed class FortySixElksOptionsValidator : IValidateOptions<FortySixElksOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FortySixElksOptions options) => new OptionsFailures()
        .Check(options.Timeout <= TimeSpan.Zero, "Sms:FortySixElks:Timeout", $"{options.Timeout} is not accepted; expected a positive time span, e.g. 00:00:30.")
        .Result();
}

/// <summary><c>Dispatcher:*</c>: positive intervals and counts, a retry ceiling above its base.</summary>
public sealed class DispatcherOptionsValidator : IValidateOptions<DispatcherOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DispatcherOptions options) => new OptionsFailures()
        .Check(options.PollInterval <= TimeSpan.Zero, "Dispatcher:PollInterval", "expected a positive time span, e.g. 00:00:05.")
        .Check(options.BatchSize is < 1 or > 10_000, "Dispatcher:BatchSize", $"{options.BatchSize} is not accepted; expected 1 to 10000.")
        .Check(options.LeaseDuration <= TimeSpan.Zero, "Dispatcher:LeaseDuration", "expected a positive time span, e.g. 00:05:00.")
        .Check(options.MaxParallelSends is < 1 or > 256, "Dispatcher:MaxParallelSends", $"{options.MaxParallelSends} is not accepted; expected 1 to 256.")
        .Check(options.MaxAttempts < 1, "Dispatcher:MaxAttempts", $"{options.MaxAttempts} is not accepted; expected 1 or more.")
        .Check(options.RetryBaseDelay <= TimeSpan.Zero, "Dispatcher:RetryBaseDelay", "expected a positive time span, e.g. 00:00:30.")
        .Check(options.RetryMaxDelay < options.RetryBaseDelay, "Dispatcher:RetryMaxDelay", $"{options.RetryMaxDelay} is below Dispatcher:RetryBaseDelay ({options.RetryBaseDelay}).")
        .Check(options.UnhealthyAfter <= options.PollInterval, "Dispatcher:UnhealthyAfter", $"{options.UnhealthyAfter} must exceed Dispatcher:PollInterval ({options.PollInterval}).")
        .Result();
}

/// <summary><c>Jobs:GuardianNumbersAt13:At</c> is a local HH:mm.</summary>
public sealed class GuardianNumbersAt13OptionsValidator : IValidateOptions<GuardianNumbersAt13Options>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GuardianNumbersAt13Options options) => new OptionsFailures()
        .Check(!NodaTime.Text.LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(options.At ?? "").Success,
            "Jobs:GuardianNumbersAt13:At", $"'{options.At}' is not accepted; expected a local time HH:mm, e.g. 02:00.")
        .Result();
}
