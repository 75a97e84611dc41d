namespace Reminders.Web.Hosting;

/// <summary>
/// A command run instead of the web server (<c>Reminders.Web NAME …</c> from the published folder). Its report
/// goes to <c>output</c> (stdout) alone; its own messages and the logs go to <c>error</c> (stderr). Messages are
/// English, like the rest of the operator's material (README, docs/operations.md, logs); exit codes are
/// <see cref="ExitCodes"/>.
/// </summary>
internal delegate Task<int> CommandRun(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken);

/// <summary>A command and its <c>--help</c> text.</summary>
internal sealed record Command(CommandRun RunAsync, string Help);

/// <summary>The product's commands, by their first argument.</summary>
internal static class Commands
{
    /// <summary>The exit codes, as every command's help states them.</summary>
    public const string ExitCodesHelp = """
        Exit codes: 0 done; 1 the input could not be used; 2 usage (wrong arguments);
                    3 the configuration is wrong; 4 the database cannot be used;
                    5 busy: another run (a VAS import on any instance) holds it, try again later.
        """;

    // Each feature's command, by name.
    private static readonly Dictionary<string, Command> All = new(StringComparer.Ordinal)
    {
        ["create-admin"] = new(CreateAdminCommand.RunAsync, CreateAdminCommand.Help),
        ["import-vas"] = new(VasImportCommand.RunAsync, VasImportCommand.Help),
    };

    /// <summary>The overview printed for <c>--help</c> without a command.</summary>
    public static string Help => $"""
        Reminders: SMS appointment reminders. Without a command the web application starts.

        Commands (each with --help):
          create-admin EMAIL     the first admin account; prints a one-time password as JSON
          import-vas FILE ...    the VAS migration (R30-R36); prints the report as JSON

        Configuration as in README: appsettings, environment variables (Sms__Provider=...), or --Key=Value.
        {ExitCodesHelp}
        """;

    /// <summary>The command named by the first argument, if any.</summary>
    public static Command? Find(string[] args) => args.Length > 0 && All.TryGetValue(args[0], out var command) ? command : null;

    /// <summary>True for <c>--help</c>, <c>-h</c> or <c>help</c> anywhere after the command's name (or alone).</summary>
    public static bool WantsHelp(string[] args) => args.Skip(Find(args) is null ? 0 : 1).Any(a => a is "--help" or "-h" or "-?" or "help");

    /// <summary>
    /// Arguments of the command itself: <c>--Key=Value</c> arguments set configuration (the host reads them) and are
    /// not the command's.
    /// </summary>
    public static IReadOnlyList<string> OwnArguments(string[] args) =>
        args.Skip(1).Where(a => !(a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))).ToList();

    /// <summary>A path as the caller meant it: relative to the directory the command was started from.</summary>
    public static string FullPath(string path) => Path.GetFullPath(path, Environment.CurrentDirectory);
}
