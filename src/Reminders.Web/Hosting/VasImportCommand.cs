using System.Globalization;
using NodaTime.Text;
using Reminders.Domain.Migration;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Web.Hosting;

/// <summary>
/// <c>import-vas FILE [--go-live yyyy-MM-dd] [--carry-blocks]</c>: the VAS migration (R30–R36). Progress
/// (row counts and rows/s only, never patient data) and messages go to the error writer, the report JSON alone to
/// the output. A relative FILE is the caller's (the directory the command started in); errors name the full path.
/// </summary>
internal static class VasImportCommand
{
    private const string UsageText = "Usage: import-vas FILE [--go-live yyyy-MM-dd] [--carry-blocks]";

    public static string Help => $"""
        {UsageText}

        Imports the VAS export FILE (a path relative to the current directory, or absolute). Rows that break a rule
        are reported, not imported; the file is read to the end either way.
          --go-live yyyy-MM-dd   the go-live date for R33/R35 (default Migration:GoLive, else 2025-03-29)
          --carry-blocks         activate consenting patients who blocked units in VAS, with those blocks in force (R32)
        stdout: the report as JSON (counts, and each rejected row's line number and reason).
        Uses only the database settings and Migration:GoLive.
        {Commands.ExitCodesHelp}
          (0 also when bad rows were reported: they are in the report.)
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        string? file = null;
        var carryBlocks = false;
        var goLiveText = configuration["Migration:GoLive"];
        var goLiveKey = "Migration:GoLive";
        var own = Commands.OwnArguments(args);
        for (var i = 0; i < own.Count; i++)
        {
            switch (own[i])
            {
                case "--carry-blocks":
                    carryBlocks = true;
                    break;
                case "--go-live" when i + 1 < own.Count:
                    goLiveText = own[++i];
                    goLiveKey = "--go-live";
                    break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && file is null:
                    file = a;
                    break;
                default:
                    await error.WriteLineAsync($"import-vas: unknown argument '{own[i]}'. {UsageText}");
                    return ExitCodes.Usage;
            }
        }

        if (file is null)
        {
            await error.WriteLineAsync($"import-vas: no file given. {UsageText}");
            return ExitCodes.Usage;
        }

        var goLive = VasMigrationRules.DefaultGoLive;
        if (!string.IsNullOrWhiteSpace(goLiveText))
        {
            var parsed = LocalDatePattern.Iso.Parse(goLiveText.Trim());
            if (!parsed.Success)
            {
                await error.WriteLineAsync($"import-vas: {goLiveKey} '{goLiveText}' is not a date; expected yyyy-MM-dd. {UsageText}");
                return ExitCodes.Usage;
            }

            goLive = parsed.Value;
        }

        var path = Commands.FullPath(file);
        if (!File.Exists(path))
        {
            await error.WriteLineAsync($"import-vas: cannot read the file: '{path}' does not exist. Nothing was imported.");
            return ExitCodes.InputUnusable;
        }

        await using var scope = services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<VasImporter>();
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            var progress = new ConsoleProgress(error);
            var report = await importer.ImportAsync(stream, new VasImportOptions { GoLive = goLive, CarryBlocks = carryBlocks }, progress, cancellationToken);
            await output.WriteLineAsync(report.ToJson());
            return ExitCodes.Done;
        }
        catch (VasImportFileException e)
        {
            await error.WriteLineAsync($"import-vas: cannot read the file '{path}': {e.Message} Nothing was imported.");
            return ExitCodes.InputUnusable;
        }
        catch (VasImportBusyException e)
        {
            await error.WriteLineAsync($"import-vas: {e.Message}");
            return ExitCodes.Busy;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"import-vas: cannot read the file '{path}': {e.GetType().Name}. Nothing was imported.");
            return ExitCodes.InputUnusable;
        }
    }

    /// <summary>
    /// Writes progress synchronously (Progress&lt;T&gt; would post to the thread pool out of order), at most once a
    /// second and once at the end.
    /// </summary>
    private sealed class ConsoleProgress(TextWriter writer) : IProgress<VasImportProgress>
    {
        private TimeSpan _last = TimeSpan.MinValue;

        public void Report(VasImportProgress value)
        {
            if (!value.Completed && value.Elapsed - _last < TimeSpan.FromSeconds(1))
            {
                return;
            }

            _last = value.Elapsed;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import-vas: {value.RowsDone} rows, {value.RowsPerSecond:F0} rows/s, {value.Elapsed.TotalSeconds:F1} s"));
        }
    }
}
