using Reminders.Web.Hosting;

// Top-level entry: either a command (import-vas, create-admin) or the web application.
if (Commands.Find(args) is null && Commands.WantsHelp(args))
{
    Console.Out.WriteLine(Commands.Help);
    return ExitCodes.Done;
}

// Before the host starts its threads: bounds the native heap's arenas (docs/operations.md, "Memory").
MallocArenas.Apply();
var app = RemindersApp.Build(args);
return await RemindersApp.RunAsync(app, args);

/// <summary>Marker for WebApplicationFactory.</summary>
public partial class Program;
