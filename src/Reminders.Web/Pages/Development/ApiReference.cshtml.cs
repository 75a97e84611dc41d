using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Reminders.Web.Api;

namespace Reminders.Web.Pages.Development;

/// <summary>
/// The API reference, in Development only (404 elsewhere): every operation and shape of the OpenAPI document
/// (<c>/openapi/v1.json</c>) as plain HTML, without script. Anonymous like the document itself: it shows no data.
/// </summary>
[AllowAnonymous]
public sealed class ApiReferenceModel(IHostEnvironment environment, IServiceProvider services) : PageModel
{
    /// <summary>The document's title and description.</summary>
    public OpenApiInfo Info { get; private set; } = new();

    /// <summary>The operations, in the document's order.</summary>
    public IReadOnlyList<Operation> Operations { get; private set; } = [];

    /// <summary>The shapes (component schemas), by name.</summary>
    public IReadOnlyList<Shape> Shapes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment())
        {
            return NotFound();
        }

        var document = await services.GetRequiredKeyedService<IOpenApiDocumentProvider>(ApiDocument.Name).GetOpenApiDocumentAsync(cancellationToken);
        Info = document.Info;
        Operations = (document.Paths ?? [])
            .SelectMany(path => (path.Value.Operations ?? []).Select(op => Operation.From(path.Key, op.Key, op.Value)))
            .ToList();
        Shapes = (document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>())
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => Shape.From(s.Key, s.Value))
            .ToList();
        return Page();
    }

    /// <summary>A schema as a short type text: <c>string</c>, <c>Instant or null</c>, <c>array of UnitView</c>, <c>map of array of string</c>.</summary>
    public static string TypeText(IOpenApiSchema? schema)
    {
        switch (schema)
        {
            case null:
                return "—";
            case OpenApiSchemaReference reference:
                return reference.Reference.Id ?? "?";
            case { OneOf: [{ Type: JsonSchemaType.Null }, var other] }:
                return TypeText(other) + " or null";
        }

        var type = schema.Type ?? 0;
        var nullable = type.HasFlag(JsonSchemaType.Null) ? " or null" : "";
        var text = (type & ~JsonSchemaType.Null) switch
        {
            JsonSchemaType.Array => "array of " + TypeText(schema.Items),
            JsonSchemaType.Object when schema.AdditionalProperties is { } values => "map of " + TypeText(values),
            var t when t != 0 => t.ToString().ToLowerInvariant(),
            _ => "any",
        };
        return text + nullable;
    }

    /// <summary>One operation: method, path, who may call it, its body and answers.</summary>
    public sealed record Operation(string Method, string Path, string? Summary, bool ApiKey, string? Body, IReadOnlyList<(string Status, string Description, string? Shape)> Answers)
    {
        public static Operation From(string path, HttpMethod method, OpenApiOperation operation)
        {
            var body = operation.RequestBody?.Content?.FirstOrDefault() is { Key: { } mediaType, Value: var content }
                ? $"{TypeText(content.Schema)} ({mediaType}{(operation.RequestBody.Required ? "" : ", valfri")})"
                : null;
            var answers = (operation.Responses ?? [])
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => (r.Key, r.Value.Description ?? "", r.Value.Content?.Values.FirstOrDefault()?.Schema is { } s ? TypeText(s) : null))
                .ToList();
            return new Operation(method.Method, path, operation.Summary, operation.Security is { Count: > 0 }, body, answers);
        }
    }

    /// <summary>One shape: its fields, or its values for an enum, or its type for a plain value.</summary>
    public sealed record Shape(string Name, string? Description, IReadOnlyList<(string Name, string Type, bool Required)> Fields, IReadOnlyList<string> Values, string? Type)
    {
        public static Shape From(string name, IOpenApiSchema schema)
        {
            var fields = (schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
                .Select(p => (p.Key, TypeText(p.Value), schema.Required?.Contains(p.Key) == true))
                .ToList();
            var values = (schema.Enum ?? []).Select(v => v?.ToString().Trim('"') ?? "null").ToList();
            var type = fields.Count == 0 && values.Count == 0
                ? TypeText(schema) + (schema.Format is { } format ? string.Create(CultureInfo.InvariantCulture, $" ({format})") : "")
                : null;
            return new Shape(name, schema.Description, fields, values, type);
        }
    }
}
