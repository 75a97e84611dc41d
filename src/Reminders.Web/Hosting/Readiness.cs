using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Web.Hosting;

/// <summary>
/// /health/ready's store check: the database answers a read of a product table and has no pending migrations
/// (an instance started before the script ran, or a script forgotten, is not ready).
/// </summary>
internal sealed class StoreHealthCheck(RemindersDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await db.Units.AnyAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy("Databasen nås och är migrerad.")
                : HealthCheckResult.Unhealthy($"Databasen saknar {pending} migrering(ar).");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("Databasen nås inte.");
        }
    }
}

/// <summary>
/// The readiness report, computed at most once per <see cref="CacheFor"/>: load balancers and anonymous callers
/// poll it, and each computation reads the database. Concurrent callers share one computation.
/// </summary>
internal sealed class ReadinessProbe(HealthCheckService health, TimeProvider time) : IDisposable
{
    /// <summary>How long one report is served.</summary>
    public static TimeSpan CacheFor { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The checks tagged for readiness: database (reachable, migrated) and the dispatcher's heartbeat.</summary>
    public const string Tag = "ready";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthReport Report, DateTimeOffset At)? _last;

    public async Task<HealthReport> ReportAsync(CancellationToken cancellationToken)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } computed)
            {
                return computed;
            }

            var report = await health.CheckHealthAsync(r => r.Tags.Contains(Tag), cancellationToken);
            _last = (report, time.GetUtcNow());
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private HealthReport? Fresh() =>
        _last is { } last && time.GetUtcNow() - last.At < CacheFor ? last.Report : null;
}

/// <summary>The health endpoints; anonymous, status only.</summary>
internal static class HealthEndpoints
{
    public static void MapRemindersHealth(this WebApplication app)
    {
        // Liveness: the process answers; no database, so a slow store never gets the instance restarted.
        app.MapGet("/health/live", (HttpContext context) => HealthResponse.WriteAsync(context, new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero)))
            .AllowAnonymous();

        // Readiness (and /health, kept for existing monitors): database reachable and migrated, dispatcher alive.
        app.MapGet("/health/ready", ReadyAsync).AllowAnonymous();
        app.MapGet("/health", ReadyAsync).AllowAnonymous();
    }

    private static async Task ReadyAsync(HttpContext context, ReadinessProbe probe)
    {
        var report = await probe.ReportAsync(context.RequestAborted);
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        await HealthResponse.WriteAsync(context, report);
    }
}
