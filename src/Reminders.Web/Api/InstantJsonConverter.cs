using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Reminders.Web.Api;

/// <summary>
/// NodaTime <see cref="Instant"/> as ISO-8601 with an offset: read <c>2025-04-03T09:30:00+02:00</c> or
/// <c>…Z</c> (an offset is required: a local time alone is ambiguous), written in UTC with <c>Z</c>.
/// </summary>
public sealed class InstantJsonConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("Ange tiden som text i ISO-8601 med tidszon, t.ex. 2025-04-03T09:30:00+02:00.");
        }

        var result = OffsetDateTimePattern.ExtendedIso.Parse(reader.GetString() ?? string.Empty);
        return result.Success
            ? result.Value.ToInstant()
            : throw new JsonException("Ogiltig tid: ange ISO-8601 med tidszon, t.ex. 2025-04-03T09:30:00+02:00 eller 2025-04-03T07:30:00Z.");
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
}
