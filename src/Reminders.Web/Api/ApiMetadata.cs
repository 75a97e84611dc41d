using Reminders.Application.Bookings;
using Reminders.Application.Patients;

namespace Reminders.Web.Api;

/// <summary>
/// The endpoints' request and response metadata for the OpenAPI document. Bodies are read by
/// <see cref="ApiRequest.ReadAsync{T}"/> (a missing field is a 400 naming it), so their shapes are declared here
/// rather than inferred from handler parameters.
/// </summary>
internal static class ApiMetadata
{
    /// <summary>A JSON request body of shape <typeparamref name="T"/>.</summary>
    public static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder builder, bool optional = false)
        where T : notnull => builder.Body<T>("application/json", optional);

    /// <summary>
    /// A request body of shape <typeparamref name="T"/> in <paramref name="contentType"/>, for the document only. Not
    /// <c>Accepts</c>: routing matches its content types, so a request the handler answers today (its own 415, or JSON
    /// without a Content-Type) would be answered by routing instead.
    /// </summary>
    public static RouteHandlerBuilder Body<T>(this RouteHandlerBuilder builder, string contentType, bool optional = false)
        where T : notnull => builder.WithMetadata(new DocumentedBody(typeof(T), contentType, optional));

    /// <summary>JSON answers of shape <typeparamref name="T"/> with these status codes.</summary>
    public static RouteHandlerBuilder Answers<T>(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            builder.Produces<T>(status, "application/json");
        }

        return builder;
    }

    /// <summary>
    /// Problem details (<c>application/problem+json</c>) with these status codes: 400 carries <c>errors</c> (field →
    /// messages), 422 <c>reasons</c> (the rules that refused the change, <see cref="RuleRefusalProblem"/>).
    /// </summary>
    public static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        foreach (var status in statusCodes)
        {
            _ = status switch
            {
                StatusCodes.Status400BadRequest => builder.ProducesValidationProblem(),
                StatusCodes.Status422UnprocessableEntity => builder.Produces<RuleRefusalProblem>(status, "application/problem+json"),
                _ => builder.ProducesProblem(status),
            };
        }

        return builder;
    }

    /// <summary>A change of the reminder setting: answers with the setting, or why it was not changed.</summary>
    public static RouteHandlerBuilder SettingChange(this RouteHandlerBuilder builder, string summary) =>
        builder.WithTags("Patients").WithSummary(summary)
            .Answers<ReminderSettingView>(StatusCodes.Status200OK)
            .Problems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>
/// The 422 answer's shape (written by <c>ApiResults.Refused</c>): RFC 9457 members and the rules that refused the change.
/// Declared for the OpenAPI document; the answer itself is written as problem details with a <c>reasons</c> member.
/// </summary>
public sealed record RuleRefusalProblem(string Type, string Title, int Status, string Detail, IReadOnlyList<ReasonView> Reasons);

/// <summary>The SMS provider's delivery report, a url-encoded form (declared for the OpenAPI document).</summary>
/// <param name="Id">The provider's id of the SMS.</param>
/// <param name="Status"><c>delivered</c> or <c>failed</c>.</param>
/// <param name="Delivered">When it was delivered, as the provider writes it.</param>
public sealed record DeliveryReportForm(string Id, string Status, string? Delivered = null);

/// <summary>A request body as the OpenAPI document describes it (<see cref="ApiMetadata.Body{T}(RouteHandlerBuilder, string, bool)"/>).</summary>
internal sealed record DocumentedBody(Type Type, string ContentType, bool Optional);
