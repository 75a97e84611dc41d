using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NodaTime;
using Reminders.Domain;
using Reminders.Domain.Identity;
using Reminders.Domain.Phones;
using Reminders.Domain.Units;

namespace Reminders.Infrastructure.Persistence;

// Value converters for NodaTime and the domain's value types (no EF NodaTime package is on the
// registry here). Instants are stored as UTC date-times: datetime2 on SQL Server, ISO-8601 text on
// SQLite; both order correctly, so range queries on due times work in the database.

internal sealed class InstantConverter() : ValueConverter<Instant, DateTime>(
    i => i.ToDateTimeUtc(),
    d => Instant.FromDateTimeUtc(DateTime.SpecifyKind(d, DateTimeKind.Utc)));

internal sealed class LocalDateConverter() : ValueConverter<LocalDate, DateOnly>(
    d => d.ToDateOnly(),
    d => LocalDate.FromDateOnly(d));

internal sealed class LocalTimeConverter() : ValueConverter<LocalTime, TimeOnly>(
    t => t.ToTimeOnly(),
    t => LocalTime.FromTimeOnly(t));

internal sealed class HsaIdConverter() : ValueConverter<HsaId, string>(
    h => h.Value,
    s => HsaId.FromTrusted(s));

internal sealed class PhoneNumberConverter() : ValueConverter<PhoneNumber, string>(
    p => p.Value,
    s => PhoneNumber.FromTrusted(s));

internal sealed class IdentityNumberConverter() : ValueConverter<PersonalIdentityNumber, string>(
    p => p.Value,
    s => PersonalIdentityNumber.FromNormalised(s));

internal sealed class ReasonsConverter() : ValueConverter<List<Reason>, string>(
    r => JsonSerializer.Serialize(r, ReasonsJson.Options),
    s => JsonSerializer.Deserialize<List<Reason>>(s, ReasonsJson.Options) ?? new List<Reason>());

internal sealed class ReasonsComparer() : ValueComparer<List<Reason>>(
    (a, b) => a!.SequenceEqual(b!),
    r => r.Aggregate(0, (h, x) => HashCode.Combine(h, x.GetHashCode())),
    r => r.ToList());

internal static class ReasonsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
