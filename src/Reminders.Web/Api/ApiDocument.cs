using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NodaTime;

namespace Reminders.Web.Api;

/// <summary>
/// The OpenAPI document of <c>/api/v1</c> at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi): the request and
/// response shapes come from the endpoints' <c>Accepts</c>/<c>Produces</c> metadata, instants are ISO-8601 strings,
/// and operations behind the <c>ApiKey</c> policy name the <c>X-Api-Key</c> scheme. The document describes the API
/// and holds no data: it is served without sign-in unless <c>OpenApi:Enabled</c> is <c>false</c> (README).
/// </summary>
internal static class ApiDocument
{
    /// <summary>The document's name; its path is <c>/openapi/v1.json</c>.</summary>
    public const string Name = "v1";

    /// <summary>The document's path.</summary>
    public const string Path = "/openapi/v1.json";

    /// <summary>The configuration switch; the document is served unless it is <c>false</c>.</summary>
    public const string EnabledKey = "OpenApi:Enabled";

    /// <summary>The security scheme's name in the document.</summary>
    public const string SecurityScheme = "ApiKey";

    public static IServiceCollection AddRemindersApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(Name, options =>
        {
            // /api/v1 only: pages, health and metrics are not part of the integration contract.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Reminders API",
                    Version = Name,
                    Description = "The integration API of Reminders (SMS appointment reminders): units, patients and their reminder " +
                        "settings, bookings, 1177 e-service requests, the VAS migration and the SMS provider's delivery report. " +
                        "Errors are RFC 9457 problem details. The contract in prose: docs/integration.md.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
                document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description = "One of the keys configured as Api:Keys:N. Without a valid key every /api/v1 operation but the delivery report answers 401.",
                };
                RequestShapes.MarkRequired(document, context.ApplicationServices);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().LastOrDefault() is { } body)
                {
                    operation.RequestBody = await RequestBodyAsync(body, context, cancellationToken);
                }

                // An operation behind the ApiKey policy requires the scheme; the delivery report is anonymous (its token is the credential).
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var anonymous = metadata.OfType<IAllowAnonymous>().Any();
                if (!anonymous && metadata.OfType<IAuthorizeData>().Any(a => a.Policy == ApiKeyAuthenticationHandler.Policy))
                {
                    operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SecurityScheme, context.Document)] = [] }];
                }
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                // InstantJsonConverter: ISO-8601 with an offset in, UTC with Z out (a nullable use adds null around the reference).
                if (context.JsonTypeInfo.Type == typeof(Instant) || context.JsonTypeInfo.Type == typeof(Instant?))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Format = "date-time";
                    schema.Description = "An instant, ISO-8601 with an offset (2025-04-03T09:30:00+02:00 or 2025-04-03T07:30:00Z); answers are in UTC with Z.";
                    schema.Properties?.Clear();
                }

                // The web defaults also read numbers written as strings; answers always write integers, so say integer.
                if (schema.Type is { } t && t.HasFlag(JsonSchemaType.Integer) && t.HasFlag(JsonSchemaType.String))
                {
                    schema.Type = t & ~JsonSchemaType.String;
                    schema.Pattern = null;
                }

                return Task.CompletedTask;
            });
        });

    /// <summary>The declared body: a named shape as a reference to its component schema, a plain value inline.</summary>
    private static async Task<OpenApiRequestBody> RequestBodyAsync(DocumentedBody body, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        IOpenApiSchema schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        if (body.Type != typeof(string) && context.Document is { } document)
        {
            if (document.Components?.Schemas?.ContainsKey(body.Type.Name) != true)
            {
                document.AddComponent(body.Type.Name, schema);
            }

            schema = new OpenApiSchemaReference(body.Type.Name, document);
        }

        return new OpenApiRequestBody
        {
            Required = !body.Optional,
            Content = new Dictionary<string, OpenApiMediaType>(StringComparer.Ordinal) { [body.ContentType] = new() { Schema = schema } },
        };
    }

    /// <summary>Maps <c>/openapi/v1.json</c>, anonymous; it answers 404 while <c>OpenApi:Enabled</c> is <c>false</c>.</summary>
    public static void MapRemindersApiDocument(this IEndpointRouteBuilder app) =>
        // One document, so the literal path (MapOpenApi serves "v1" when the pattern names no document). The switch is
        // read per request from the app's configuration (every source, also those a host adds when it builds the app).
        app.MapOpenApi(Path).AllowAnonymous().AddEndpointFilter((context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<IConfiguration>().GetValue(EnabledKey, defaultValue: true)
                ? next(context)
                : ValueTask.FromResult<object?>(TypedResults.NotFound()));
}

/// <summary>
/// Request bodies' members are nullable so that a missing field is a 400 naming it; the document says which are
/// required from the bodies' validators (an unconditional NotNull or NotEmpty), and a required member is not
/// nullable there (null is refused like a missing field).
/// </summary>
internal static class RequestShapes
{
    /// <summary>The request bodies of <c>/api/v1</c> with a validator.</summary>
    public static IReadOnlyList<Type> Types { get; } =
    [
        typeof(UnitRequest), typeof(PatientRequest), typeof(UnitRefRequest), typeof(GuardianNumbersRequest),
        typeof(BookingRequest), typeof(OutcomeRequest), typeof(EServiceRequestBody),
    ];

    public static void MarkRequired(OpenApiDocument document, IServiceProvider services)
    {
        if (document.Components?.Schemas is not { } schemas)
        {
            return;
        }

        foreach (var type in Types)
        {
            if (!schemas.TryGetValue(type.Name, out var found) || found is not OpenApiSchema schema || schema.Properties is not { } properties)
            {
                continue;
            }

            var validator = (FluentValidation.IValidator)services.GetRequiredService(typeof(FluentValidation.IValidator<>).MakeGenericType(type));
            var descriptor = validator.CreateDescriptor();
            var required = type.GetProperties()
                .Where(p => descriptor.GetRulesForMember(p.Name).Any(rule => !rule.HasCondition && !rule.HasAsyncCondition && rule.Components.Any(c =>
                    !c.HasCondition && !c.HasAsyncCondition && c.Validator is FluentValidation.Validators.INotNullValidator or FluentValidation.Validators.INotEmptyValidator)))
                .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name))
                .ToHashSet(StringComparer.Ordinal);
            schema.Required = required;
            ReferenceSharedShapes(document, schemas, type, properties);
            foreach (var name in required)
            {
                properties[name] = NotNull(properties[name]);
            }
        }
    }

    /// <summary>
    /// A body's schema is made from its type alone (<see cref="ApiMetadata.Body{T}(RouteHandlerBuilder, string, bool)"/>),
    /// so its instants and enums come inline; they refer to the shared <c>Instant</c> and enum schemas instead, as in
    /// the answers (a nullable one as null or the reference).
    /// </summary>
    private static void ReferenceSharedShapes(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas, Type type, IDictionary<string, IOpenApiSchema> properties)
    {
        foreach (var property in type.GetProperties())
        {
            var nullable = Nullable.GetUnderlyingType(property.PropertyType);
            var shared = nullable ?? property.PropertyType;
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if ((shared != typeof(Instant) && !shared.IsEnum) || !properties.TryGetValue(name, out var inline))
            {
                continue;
            }

            if (!schemas.ContainsKey(shared.Name))
            {
                document.AddComponent(shared.Name, inline);
            }

            IOpenApiSchema reference = new OpenApiSchemaReference(shared.Name, document);
            properties[name] = nullable is null ? reference : new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] };
        }
    }

    private static IOpenApiSchema NotNull(IOpenApiSchema property)
    {
        if (property is OpenApiSchema { OneOf: [OpenApiSchema { Type: JsonSchemaType.Null }, var other] })
        {
            return other;
        }

        if (property is OpenApiSchema { Type: { } type } inline && type.HasFlag(JsonSchemaType.Null))
        {
            inline.Type = type & ~JsonSchemaType.Null;
        }

        return property;
    }
}
