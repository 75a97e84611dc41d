using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NodaTime;

namespace Reminders.Infrastructure.Messaging;

/// <summary>What /health needs to know about the dispatcher: when it last completed a poll.</summary>
public sealed class DispatcherState(IClock clock)
{
    private readonly Instant _createdAt = clock.GetCurrentInstant();
    private long _lastSuccessTicks = long.MinValue;

    /// <summary>When the last poll completed without error, if ever.</summary>
    public Instant? LastSuccessfulPoll
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastSuccessTicks);
            return ticks == long.MinValue ? null : Instant.FromUnixTimeTicks(ticks);
        }
    }

    /// <summary>When this state was created (the app started).</summary>
    public Instant StartedAt => _createdAt;

    /// <summary>Records a completed poll.</summary>
    public void PollSucceeded(Instant at) => Interlocked.Exchange(ref _lastSuccessTicks, at.ToUnixTimeTicks());
}

/// <summary>/health entry "dispatcher": unhealthy when no poll completed for <see cref="DispatcherOptions.UnhealthyAfter"/>.</summary>
public sealed class DispatcherHealthCheck(DispatcherState state, IClock clock, IOptions<DispatcherOptions> options) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Utskicket är avstängt i konfigurationen (Dispatcher:Enabled=false)."));
        }

        var now = clock.GetCurrentInstant();
        var limit = Duration.FromTimeSpan(options.Value.UnhealthyAfter);
        var last = state.LastSuccessfulPoll;
        var age = now - (last ?? state.StartedAt);
        var seconds = (long)age.TotalSeconds;
        if (age <= limit)
        {
            return Task.FromResult(HealthCheckResult.Healthy(last is null
                ? "Utskicket har startat och väntar på sin första körning."
                : $"Senaste lyckade körning för {seconds} s sedan."));
        }

        return Task.FromResult(HealthCheckResult.Unhealthy(last is null
            ? $"Utskicket har inte lyckats köra sedan start för {seconds} s sedan."
            : $"Senaste lyckade körning för {seconds} s sedan."));
    }
}
