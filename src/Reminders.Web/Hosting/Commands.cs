namespace Reminders.Web.Hosting;

/// <summary>A command run instead of the web server: <c>dotnet run --project src/Reminders.Web -- NAME …</c>.</summary>
internal delegate Task<int> Command(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken);

/// <summary>The product's commands, by their first argument.</summary>
internal static class Commands
{
    // Each feature's command, by name.
    private static readonly Dictionary<string, Command> All = new(StringComparer.Ordinal)
    {
        ["create-admin"] = CreateAdminCommand.RunAsync,
        ["import-vas"] = VasImportCommand.RunAsync,
    };

    /// <summary>The command named by the first argument, if any.</summary>
    public static Command? Find(string[] args) => args.Length > 0 && All.TryGetValue(args[0], out var command) ? command : null;
}
