using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Infrastructure.Messaging;

/// <summary>How a delivery report was taken.</summary>
public enum DeliveryReportOutcome
{
    /// <summary>The SMS moved to Delivered or Failed.</summary>
    Applied,

    /// <summary>Already handled (the provider retries): nothing changed, still a success for the provider.</summary>
    AlreadyApplied,

    /// <summary>No SMS has this token.</summary>
    UnknownToken,

    /// <summary>The report is malformed (status, or an id that is not this SMS's).</summary>
    Invalid,
}

/// <summary>
/// Applies the provider's delivery report (form <c>id</c>, <c>status</c>, <c>delivered</c>) to the SMS its
/// callback token names. Applying the same report twice changes nothing.
/// </summary>
public sealed partial class DeliveryReports(RemindersDbContext db, IClock clock, ILogger<DeliveryReports> logger)
{
    /// <summary>How often a report meeting a concurrent change of its SMS is read and applied again.</summary>
    public const int MaxAttempts = 3;

    /// <summary>Applies one report.</summary>
    public async Task<DeliveryReportOutcome> ApplyAsync(string token, string? providerId, string? status, string? delivered, CancellationToken cancellationToken)
    {
        var isDelivered = status?.Trim().ToUpperInvariant() switch
        {
            "DELIVERED" => true,
            "FAILED" => false,
            _ => (bool?)null,
        };
        if (isDelivered is null || string.IsNullOrWhiteSpace(token))
        {
            return DeliveryReportOutcome.Invalid;
        }

        var at = ParseInstant(delivered) ?? clock.GetCurrentInstant();
        var error = isDelivered.Value ? null : "Sms-leverantören rapporterade att sms:et inte kunde levereras.";
        for (var attempt = 1; ; attempt++)
        {
            var sms = await db.Messages.SingleOrDefaultAsync(m => m.CallbackToken == token, cancellationToken);
            if (sms is null)
            {
                return DeliveryReportOutcome.UnknownToken;
            }

            if (sms.ProviderId is not null && providerId is not null && !string.Equals(sms.ProviderId, providerId.Trim(), StringComparison.Ordinal))
            {
                return DeliveryReportOutcome.Invalid;
            }

            if (!sms.ApplyDeliveryReport(isDelivered.Value, at, error))
            {
                return DeliveryReportOutcome.AlreadyApplied;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                LogReport(logger, sms.Id, sms.BookingId, sms.Status.ToString());
                return DeliveryReportOutcome.Applied;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                // The dispatcher recorded the provider's answer at the same moment (a fast provider reports while the SMS
                // is still Sending): read the SMS as it is now and apply the report to that, instead of failing the call.
                db.ChangeTracker.Clear();
            }
            catch (DbUpdateConcurrencyException)
            {
                // Still changing after three reads: the provider retries a report it got no 2xx for.
                throw new InvalidOperationException($"SMS {sms.Id} kept changing while its delivery report was applied; the provider will retry.");
            }
        }
    }

    /// <summary>46elks sends e.g. <c>2018-07-05T13:48:08.254000</c> (UTC, no offset); ISO-8601 with an offset is accepted too.</summary>
    private static Instant? ParseInstant(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var withOffset = OffsetDateTimePattern.ExtendedIso.Parse(text.Trim());
        if (withOffset.Success)
        {
            return withOffset.Value.ToInstant();
        }

        return DateTime.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc))
            : null;
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "SMS {SmsId} (booking {BookingId}) delivery report: {Status}")]
    private static partial void LogReport(ILogger logger, long smsId, long bookingId, string status);
}
