using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Audit;
using Reminders.Infrastructure.VasImport;

namespace Reminders.Application.VasImport;

/// <summary>One run of the VAS import started from the admin page; progress holds counts only.</summary>
public sealed class VasImportRun : IProgress<VasImportProgress>
{
    private VasImportProgress _progress = new(0, TimeSpan.Zero);

    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>The admin who started it (user id).</summary>
    public required string StartedBy { get; init; }

    public VasImportProgress Progress => Volatile.Read(ref _progress);

    /// <summary>The report once done.</summary>
    public VasImportReport? Result { get; private set; }

    /// <summary>Why the file could not be read (nothing was written), or that the run failed.</summary>
    public string? Error { get; private set; }

    public bool Done => Result is not null || Error is not null;

    public void Report(VasImportProgress value) => Volatile.Write(ref _progress, value);

    internal void Finish(VasImportReport report) => Result = report;

    internal void Fail(string error) => Error = error;
}

/// <summary>
/// Runs the VAS import (the same <see cref="VasImporter.ImportAsync"/> as the command and the API) in the
/// background, keyed by an id the admin page polls with a meta refresh. One run at a time: two concurrent
/// migrations of the same region would only contend for the same rows.
/// </summary>
public sealed partial class VasImportRuns(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<VasImportRuns> logger)
{
    private readonly ConcurrentDictionary<Guid, VasImportRun> _runs = new();
    private readonly Lock _gate = new();
    private Task _running = Task.CompletedTask;

    public VasImportRun? Find(Guid id) => _runs.GetValueOrDefault(id);

    /// <summary>The task of the current run, for tests that wait for it.</summary>
    public Task Running => _running;

    /// <summary>
    /// Starts a run over <paramref name="file"/> (a temporary file, deleted when done); null when another run
    /// is still going.
    /// </summary>
    public VasImportRun? Start(string file, VasImportOptions options, Actor actor)
    {
        lock (_gate)
        {
            if (!_running.IsCompleted)
            {
                return null;
            }

            var run = new VasImportRun { StartedBy = actor.Id };
            _runs[run.Id] = run;
            // The request's context must not flow into the run: it outlives the request.
            using (ExecutionContext.SuppressFlow())
            {
                _running = Task.Run(() => RunAsync(run, file, options, actor));
            }

            return run;
        }
    }

    private async Task RunAsync(VasImportRun run, string file, VasImportOptions options, Actor actor)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var importer = ActivatorUtilities.CreateInstance<VasImporter>(scope.ServiceProvider, new FixedActor(actor));
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            run.Finish(await importer.ImportAsync(stream, options, run, lifetime.ApplicationStopping));
        }
        catch (VasImportFileException e)
        {
            run.Fail("Filen kunde inte läsas: " + e.Message + " Inget importerades.");
        }
        catch (VasImportBusyException e)
        {
            run.Fail(BusyText(e));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            LogFailed(logger, run.Id, e.GetType().Name);
            run.Fail("Importen avbröts (" + e.GetType().Name + "). Redan skrivna omgångar finns kvar; kör om filen – det som redan migrerats ändras inte.");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Issue #16: another import (on this or another instance) holds the claim; nothing of this one was written.</summary>
    public static string BusyText(VasImportBusyException busy)
    {
        ArgumentNullException.ThrowIfNull(busy);
        var started = Domain.Time.Stockholm.LocalOf(busy.StartedAt);
        return string.Create(System.Globalization.CultureInfo.GetCultureInfo("sv-SE"),
            $"En annan VAS-import pågår redan (startad {started:uuuu-MM-dd HH:mm}). Inget importerades. Försök igen när den är klar.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "VAS import run {Run} failed: {Error}")]
    private static partial void LogFailed(ILogger logger, Guid run, string error);

    private sealed class FixedActor(Actor actor) : IActorAccessor
    {
        public Actor Current => actor;
    }
}
