using Reminders.Web.Hosting;

// Top-level entry: either a command (import-vas, create-admin) or the web application.
if (Commands.Find(args) is null && Commands.WantsHelp(args))
{
    Console.Out.WriteLine(Commands.Help);
    return ExitCodes.Done;
}

var app = RemindersApp.Build(args);
return await RemindersApp.RunAsync(app, args);

/// <summary>Marker for WebApplicationFactory.</summary>
public partial class Program;
