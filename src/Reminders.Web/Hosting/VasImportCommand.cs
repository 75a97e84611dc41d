using System.Globalization;
using NodaTime.Text;
using Reminders.Domain.Migration;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Web.Hosting;

/// <summary>
/// <c>import-vas FILE [--go-live yyyy-MM-dd] [--carry-blocks]</c>: the VAS migration (R30–R36). Progress
/// (row counts and rows/s only, never patient data) goes to the progress writer, the report JSON to the output.
/// Exit codes: 0 the file was read (bad rows are in the report), 1 wrong arguments, 2 the file could not be read.
/// </summary>
internal static class VasImportCommand
{
    public const int Ok = 0;
    public const int Usage = 1;
    public const int Unreadable = 2;

    private const string UsageText = "Usage: import-vas FILE [--go-live yyyy-MM-dd] [--carry-blocks]";

    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(services, args, output, Console.Error, cancellationToken);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter progressOutput, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        string? file = null;
        var carryBlocks = false;
        var goLiveText = configuration["Migration:GoLive"];
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--carry-blocks":
                    carryBlocks = true;
                    break;
                case "--go-live" when i + 1 < args.Length:
                    goLiveText = args[++i];
                    break;
                case var a when !a.StartsWith("--", StringComparison.Ordinal) && file is null:
                    file = a;
                    break;
                default:
                    await progressOutput.WriteLineAsync($"import-vas: unknown argument '{args[i]}'. {UsageText}");
                    return Usage;
            }
        }

        if (file is null)
        {
            await progressOutput.WriteLineAsync($"import-vas: no file given. {UsageText}");
            return Usage;
        }

        var goLive = VasMigrationRules.DefaultGoLive;
        if (!string.IsNullOrWhiteSpace(goLiveText))
        {
            var parsed = LocalDatePattern.Iso.Parse(goLiveText.Trim());
            if (!parsed.Success)
            {
                await progressOutput.WriteLineAsync($"import-vas: the go-live date must be yyyy-MM-dd. {UsageText}");
                return Usage;
            }

            goLive = parsed.Value;
        }

        if (!File.Exists(file))
        {
            await progressOutput.WriteLineAsync($"import-vas: cannot read the file: '{Path.GetFileName(file)}' does not exist. Nothing was imported.");
            return Unreadable;
        }

        await using var scope = services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<VasImporter>();
        try
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            var progress = new ConsoleProgress(progressOutput);
            var report = await importer.ImportAsync(stream, new VasImportOptions { GoLive = goLive, CarryBlocks = carryBlocks }, progress, cancellationToken);
            await output.WriteLineAsync(report.ToJson());
            return Ok;
        }
        catch (VasImportFileException e)
        {
            await progressOutput.WriteLineAsync($"import-vas: cannot read the file: {e.Message} Nothing was imported.");
            return Unreadable;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await progressOutput.WriteLineAsync($"import-vas: cannot read the file: {e.GetType().Name}. Nothing was imported.");
            return Unreadable;
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
