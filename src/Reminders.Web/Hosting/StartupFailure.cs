using Microsoft.Extensions.Options;

namespace Reminders.Web.Hosting;

/// <summary>
/// The exit codes of the app and its commands (README, docs/operations.md). Commands: 0 done (for
/// <c>import-vas</c> also when bad rows were reported), 1 the input could not be used, 2 usage. Both the server
/// and the commands: 3 the configuration is wrong, 4 the store cannot be used.
/// </summary>
internal static class ExitCodes
{
    public const int Done = 0;
    public const int InputUnusable = 1;
    public const int Usage = 2;
    public const int Configuration = 3;
    public const int Store = 4;

    /// <summary>Another run holds what the command needs (a VAS import on any instance): nothing was done, try again later.</summary>
    public const int Busy = 5;
}

/// <summary>A start-up failure an operator can fix: printed as its lines (no stack trace), exit with its code.</summary>
internal sealed class StartupFailureException(int exitCode, IReadOnlyList<string> lines)
    : Exception(string.Join(Environment.NewLine, lines))
{
    public int ExitCode { get; } = exitCode;

    public IReadOnlyList<string> Lines { get; } = lines;

    /// <summary>
    /// The configuration failures in <paramref name="error"/> (from <c>ValidateOnStart</c> or one options value), one
    /// line per failing key; null when it is not a configuration failure.
    /// </summary>
    public static StartupFailureException? FromOptions(Exception error)
    {
        var failures = error switch
        {
            StartupFailureException { ExitCode: ExitCodes.Configuration } failure => failure.Lines.ToList(),
            OptionsValidationException one => one.Failures.ToList(),
            AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
                many.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).ToList(),
            _ => null,
        };
        return failures is null ? null : new StartupFailureException(ExitCodes.Configuration, failures.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Validates the options <typeparamref name="T"/> now; throws a configuration failure listing its keys.</summary>
    public static void Check<T>(IServiceProvider services)
        where T : class
    {
        try
        {
            _ = services.GetRequiredService<IOptions<T>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw FromOptions(e)!;
        }
    }

    /// <summary>Writes the failure for an operator: a heading and one line per key or problem.</summary>
    public void WriteTo(TextWriter error)
    {
        error.WriteLine(ExitCode == ExitCodes.Configuration
            ? $"Reminders did not start: the configuration is wrong ({Lines.Count} setting{(Lines.Count == 1 ? "" : "s")}; docs/operations.md):"
            : "Reminders did not start: the database cannot be used (docs/operations.md):");
        foreach (var line in Lines)
        {
            error.WriteLine("  " + line);
        }
    }
}
