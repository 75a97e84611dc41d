using System.Text.Json;
using FluentValidation;
using Microsoft.Extensions.Options;
using Reminders.Domain.Identity;
using Reminders.Domain.Time;
using Reminders.Domain.Units;
using NodaTime;

namespace Reminders.Web.Api;

/// <summary>Reads, binds and validates API input; every failure becomes a 400 problem with <c>errors</c> naming the field.</summary>
internal static class ApiRequest
{
    /// <summary>Reads the JSON body and runs its validator. With <paramref name="optional"/>, an empty body gives (null, null).</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext http, bool optional = false)
        where T : class
    {
        var request = http.Request;
        var empty = request.ContentLength == 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0);
        T? body = null;
        if (!empty)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            try
            {
                body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, http.RequestAborted);
            }
            catch (JsonException e)
            {
                var message = e.InnerException is null && !e.Message.Contains("Path:", StringComparison.Ordinal)
                    ? e.Message
                    : "Ogiltigt värde eller fel typ.";
                return (null, ApiResults.Validation(FieldOf(e.Path), message));
            }
        }

        if (body is null)
        {
            return optional ? (null, null) : (null, ApiResults.Validation("body", "Begäran saknar innehåll (JSON)."));
        }

        var result = await http.RequestServices.GetRequiredService<IValidator<T>>().ValidateAsync(body, http.RequestAborted);
        if (!result.IsValid)
        {
            var errors = result.Errors
                .GroupBy(f => JsonNamingPolicy.CamelCase.ConvertName(f.PropertyName), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
            return (null, ApiResults.Validation(errors));
        }

        return (body, null);
    }

    /// <summary>
    /// A 413 problem when the declared body is larger than the endpoint's limit (its <c>RequestSizeLimit</c>); a body
    /// without a declared length is held to the same limit by the server while it is read.
    /// </summary>
    public static IResult? TooLarge(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        return limit is { } max && http.Request.ContentLength > max ? PayloadTooLarge(http) : null;
    }

    /// <summary>The 413 problem, naming the endpoint's limit.</summary>
    public static IResult PayloadTooLarge(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Begäran är för stor.",
            detail: limit is { } max ? $"Innehållet får vara högst {max.ToString(System.Globalization.CultureInfo.InvariantCulture)} byte." : null);
    }

    /// <summary>An identity number from the path, in any form R50 accepts.</summary>
    public static PersonalIdentityNumber? Identity(HttpContext http, string value, out IResult? error)
    {
        var today = Stockholm.DateOf(http.RequestServices.GetRequiredService<IClock>().GetCurrentInstant());
        var parsed = PersonalIdentityNumber.Parse(value, today);
        error = parsed.Succeeded ? null : ApiResults.Validation("id", parsed.Reasons[0].Text);
        return parsed.Succeeded ? parsed.Value : null;
    }

    /// <summary>An HSA-id from the path.</summary>
    public static HsaId? Hsa(string value, string field, out IResult? error)
    {
        var parsed = HsaId.Parse(value);
        error = parsed.Succeeded ? null : ApiResults.Validation(field, parsed.Reasons[0].Text);
        return parsed.Succeeded ? parsed.Value : null;
    }

    /// <summary>The authenticated API key's configured name, never the key.</summary>
    public static Actor Actor(HttpContext http) =>
        new(http.User.Identity?.Name ?? "api", Domain.Reminders.ChangeChannel.Api);

    private static string FieldOf(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : JsonNamingPolicy.CamelCase.ConvertName(field);
    }
}
