using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Messaging;

/// <summary>
/// The default gateway: keeps the SMS in <c>SinkMessages</c> and sends nothing. It saves through a context of
/// its own so that the dispatcher's unit of work stays as the dispatcher wants it.
/// </summary>
public sealed class SinkSmsGateway(IServiceScopeFactory scopes, IClock clock, IOptions<SmsOptions> options) : ISmsGateway
{
    /// <inheritdoc />
    public async Task<SmsSendResult> SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var providerId = "sink-" + Guid.NewGuid().ToString("N");
        db.SinkMessages.Add(new SinkMessage
        {
            SmsId = message.SmsId,
            To = message.To,
            From = options.Value.From,
            Text = message.Text,
            ProviderId = providerId,
            At = clock.GetCurrentInstant(),
        });
        await db.SaveChangesAsync(cancellationToken);
        return SmsSendResult.Sent(providerId);
    }
}
