using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Reminders.Infrastructure.Messaging;

/// <summary>The hosted loop: calls <see cref="SmsDispatcher.DispatchDueAsync"/> every <c>Dispatcher:PollInterval</c>.</summary>
public sealed partial class DispatcherService(SmsDispatcher dispatcher, IOptions<DispatcherOptions> options, TimeProvider time, ILogger<DispatcherService> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var summary = await dispatcher.DispatchDueAsync(stoppingToken);
                if (summary.Claimed == options.Value.BatchSize)
                {
                    continue; // more may be due: no pause
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPollFailed(logger, e);
            }

            try
            {
                await Task.Delay(options.Value.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "Dispatcher poll failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);
}
