using System.Text.Json;
using Reminders.Domain;

namespace Reminders.Web.Api;

/// <summary>RFC 9457 problem details for the API: <c>errors</c> (field → messages) or <c>reasons</c> (rule refusals, 422).</summary>
internal static class ApiResults
{
    public static IResult Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Begäran är ogiltig.", type: "https://tools.ietf.org/html/rfc9110#section-15.5.1");

    public static IResult Validation(string field, string message) => Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Refused(IReadOnlyList<Reason> reasons) => TypedResults.Problem(
        statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "En regel hindrar ändringen.",
        detail: string.Join(" ", reasons.Select(r => r.Text)),
        extensions: new Dictionary<string, object?>
        {
            ["reasons"] = reasons.Select(r => new { rule = r.Rule, code = r.Code, text = r.Text }).ToList(),
        });

    public static IResult NotFound(string? detail) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Finns inte.", detail: detail);

    public static IResult Conflict() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "Uppgifterna ändrades samtidigt av någon annan.", detail: "Försök igen.");

    /// <summary>Maps a handler's outcome; <paramref name="location"/> names a created resource.</summary>
    public static IResult From<T>(Outcome<T> outcome, string? location = null) => outcome.Kind switch
    {
        OutcomeKind.Ok => TypedResults.Ok(outcome.Value),
        OutcomeKind.Created => TypedResults.Created(location, outcome.Value),
        OutcomeKind.NotFound => NotFound(outcome.Detail),
        OutcomeKind.Invalid => Validation(new Dictionary<string, string[]>(outcome.Errors)),
        OutcomeKind.Refused => Refused(outcome.Reasons),
        OutcomeKind.Conflict => Conflict(),
        _ => throw new InvalidOperationException($"Unknown outcome {outcome.Kind}."),
    };

    /// <summary>Writes a problem outside an endpoint (authentication challenge).</summary>
    public static Task WriteProblemAsync(HttpContext context, int status, string title, string? detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var body = new Dictionary<string, object?> { ["type"] = "about:blank", ["title"] = title, ["status"] = status };
        if (detail is not null)
        {
            body["detail"] = detail;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }
}
