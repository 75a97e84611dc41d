using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Testing;

namespace Reminders.Web.Tests.Api;

/// <summary>
/// Issue #17 part 3: <c>/openapi/v1.json</c> describes every <c>/api/v1</c> endpoint the app maps, with the
/// <c>X-Api-Key</c> scheme, and says exactly what docs/integration.md says: the same operations (auth, request body,
/// answers) and the same shapes (field names, types, required request fields, enum values).
/// </summary>
public sealed partial class OpenApiDocumentTests(ApiHarness api) : IClassFixture<ApiHarness>
{
    private static readonly HashSet<string> ApiKeyAnswers = ["401", "413", "429"];

    [Fact]
    public async Task Every_api_v1_endpoint_the_app_maps_is_in_the_document_and_the_document_has_no_other()
    {
        var mapped = api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => Path(e).StartsWith("/api/v1/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} {Path(e)}"))
            .ToHashSet(StringComparer.Ordinal);
        var documented = Operations(await DocumentAsync()).Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(mapped);
        Assert.True(mapped.Except(documented).ToList() is [], "Mapped but missing from /openapi/v1.json: " + string.Join(", ", mapped.Except(documented)));
        Assert.True(documented.Except(mapped).ToList() is [], "In /openapi/v1.json but not mapped: " + string.Join(", ", documented.Except(mapped)));
    }

    [Fact]
    public async Task The_document_is_served_without_a_key_and_names_the_X_Api_Key_scheme_on_every_operation_but_the_delivery_report()
    {
        var document = await DocumentAsync();

        var scheme = document["components"]!["securitySchemes"]!["ApiKey"]!;
        Assert.Equal(("apiKey", "header", "X-Api-Key"), (Text(scheme["type"]), Text(scheme["in"]), Text(scheme["name"])));
        var operations = Operations(document);
        foreach (var endpoint in api.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Where(e => Path(e).StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            var key = $"{endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods[0]} {Path(endpoint)}";
            Assert.True(operations.TryGetValue(key, out var operation), $"{key} is not in the document");
            var security = operation["security"]?.ToJsonString();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            Assert.True(anonymous ? security is null : security == """[{"ApiKey":[]}]""", $"{key}: security {security ?? "none"}, anonymous {anonymous}");
        }

        Assert.Null(operations["POST /api/v1/sms/delivery/{token}"]["security"]);
    }

    [Fact]
    public async Task Every_operation_is_as_docs_integration_md_says()
    {
        var operations = Operations(await DocumentAsync());
        var rows = Table(Section(Doc(), "## Endpoints"), "| method | path | auth | request body | answers |");
        var documented = rows.ToDictionary(r => $"{Unquote(r[0])} {Unquote(r[1])}", StringComparer.Ordinal);

        Assert.True(documented.Keys.Order(StringComparer.Ordinal).SequenceEqual(operations.Keys.Order(StringComparer.Ordinal)),
            $"Operations in docs/integration.md: {string.Join(", ", documented.Keys.Except(operations.Keys))} not in the document; " +
            $"in the document: {string.Join(", ", operations.Keys.Except(documented.Keys))} not in docs/integration.md");
        var differences = new List<string>();
        foreach (var (key, row) in documented)
        {
            differences.AddRange(OperationDifferences(operations[key], row[2], row[3], row[4]).Select(d => $"{key}: {d}"));
        }

        Assert.True(differences is [], "docs/integration.md and /openapi/v1.json differ:\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task Every_shape_is_as_docs_integration_md_says()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!.AsObject();
        var shapes = Shapes(Section(Doc(), "## Shapes"));

        Assert.True(shapes.Keys.Order(StringComparer.Ordinal).SequenceEqual(schemas.Select(s => s.Key).Order(StringComparer.Ordinal)),
            $"Shapes in docs/integration.md: {string.Join(", ", shapes.Keys.Except(schemas.Select(s => s.Key)))} not in the document; " +
            $"in the document: {string.Join(", ", schemas.Select(s => s.Key).Except(shapes.Keys))} not in docs/integration.md");
        var differences = new List<string>();
        foreach (var (name, lines) in shapes)
        {
            differences.AddRange(ShapeDifferences(schemas[name]!, lines).Select(d => $"{name}: {d}"));
        }

        Assert.True(differences is [], "docs/integration.md and /openapi/v1.json differ:\n" + string.Join("\n", differences));
    }

    [Fact]
    public async Task Answers_carry_exactly_the_documented_fields_also_the_problem_shapes()
    {
        var schemas = (await DocumentAsync())["components"]!["schemas"]!;
        await ApiHarness.Ensure(await api.PutUnitAsync());
        var unit = await api.PutUnitAsync();
        var patient = ApiHarness.NewAdult();
        await ApiHarness.Ensure(await api.PutPatientAsync(patient, protectedIdentity: true));
        var refused = await api.ActivateAsync(patient);
        var invalid = await api.Client.PutAsJsonAsync("/api/v1/bookings/b-1", new { patient = patient.Value, unit = ApiHarness.Unit });

        await AssertFields(unit, HttpStatusCode.OK, schemas["UnitView"]!);
        // Problem details also carry traceId (docs/integration.md, Conventions).
        await AssertFields(refused, HttpStatusCode.UnprocessableEntity, schemas["RuleRefusalProblem"]!, "traceId");
        await AssertFields(invalid, HttpStatusCode.BadRequest, schemas["HttpValidationProblemDetails"]!, "traceId");
    }

    [Fact]
    public async Task OpenApi_Enabled_false_does_not_serve_the_document()
    {
        using var switchedOff = new RemindersFactory().With("OpenApi:Enabled", "false");
        using var client = switchedOff.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task The_API_reference_page_lists_every_operation_in_Development_and_is_not_there_elsewhere()
    {
        var operations = Operations(await DocumentAsync()).Keys;
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("/Development/ApiReference")).StatusCode);

        using var development = new RemindersFactory { EnvironmentName = "Development" };
        using var client = development.CreateClient();
        var page = await client.GetAsync("/Development/ApiReference");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
        Assert.All(operations, operation => Assert.Contains($"<code>{operation}</code>", html, StringComparison.Ordinal));
        Assert.Contains("API-nyckel (X-Api-Key)", html, StringComparison.Ordinal);
    }

    private static IEnumerable<string> OperationDifferences(JsonNode operation, string auth, string body, string answers)
    {
        var apiKey = operation["security"]?.ToJsonString() == """[{"ApiKey":[]}]""";
        if (apiKey != (auth == "API key"))
        {
            yield return $"auth '{auth}' but the document says {(apiKey ? "API key" : "none")}";
        }

        var requestBody = operation["requestBody"];
        var documentBody = requestBody is null
            ? "—"
            : string.Join(" | ", requestBody["content"]!.AsObject().Select(c => $"`{TypeOf(c.Value!["schema"])}` (`{c.Key}`)"))
              + (requestBody["required"]?.GetValue<bool>() == true ? "" : ", optional");
        if (documentBody != body)
        {
            yield return $"request body '{body}' but the document says '{documentBody}'";
        }

        var expected = answers.Split(", ").Select(a => AnswerPattern().Match(a)).ToDictionary(m => m.Groups["code"].Value, m => m.Groups["shape"].Success ? m.Groups["shape"].Value : null);
        if (apiKey)
        {
            foreach (var code in ApiKeyAnswers)
            {
                expected.TryAdd(code, null);
            }
        }

        var responses = operation["responses"]!.AsObject();
        var codes = responses.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        if (!codes.SetEquals(expected.Keys))
        {
            yield return $"answers {string.Join(", ", expected.Keys.Order(StringComparer.Ordinal))} but the document says {string.Join(", ", codes.Order(StringComparer.Ordinal))}";
            yield break;
        }

        foreach (var (code, shape) in expected)
        {
            var content = responses[code]!["content"]?.AsObject();
            var (mediaType, expectedShape) = (code, shape) switch
            {
                (_, not null) => ("application/json", shape),
                ("204", _) => (null, null),
                ("400", _) => ("application/problem+json", "HttpValidationProblemDetails"),
                ("422", _) => ("application/problem+json", "RuleRefusalProblem"),
                _ => ("application/problem+json", "ProblemDetails"),
            };
            var actual = content is null ? "no body" : string.Join(" | ", content.Select(c => $"{c.Key} {TypeOf(c.Value!["schema"])}"));
            var wanted = mediaType is null ? "no body" : $"{mediaType} {expectedShape}";
            if (actual != wanted)
            {
                yield return $"answer {code}: docs/integration.md means {wanted}, the document says {actual}";
            }
        }
    }

    private static IEnumerable<string> ShapeDifferences(JsonNode schema, IReadOnlyList<string> lines)
    {
        var values = lines.FirstOrDefault(l => l.StartsWith("Values: ", StringComparison.Ordinal));
        var type = lines.FirstOrDefault(l => l.StartsWith("Type: ", StringComparison.Ordinal));
        if (values is not null)
        {
            var documented = BacktickPattern().Matches(values).Select(m => m.Groups[1].Value);
            var actual = schema["enum"]?.AsArray().Select(v => v!.GetValue<string>()) ?? [];
            if (!documented.SequenceEqual(actual))
            {
                yield return $"values {string.Join(", ", documented)} but the document says {string.Join(", ", actual)}";
            }

            yield break;
        }

        if (type is not null)
        {
            var actual = TypeOf(schema) + (schema["format"] is { } format ? $" ({format})" : "");
            if (type["Type: ".Length..] != actual)
            {
                yield return $"'{type}' but the document says {actual}";
            }

            yield break;
        }

        var header = lines.FirstOrDefault(l => l.StartsWith("| field |", StringComparison.Ordinal));
        if (header is null)
        {
            yield return "no field table, Values: or Type: line";
            yield break;
        }

        var rows = Table(lines, header);
        var fields = rows.Select(r => $"{Unquote(r[0])}: {r[1]}");
        var properties = schema["properties"]?.AsObject().Select(p => $"{p.Key}: {TypeOf(p.Value)}") ?? [];
        if (!fields.Order(StringComparer.Ordinal).SequenceEqual(properties.Order(StringComparer.Ordinal)))
        {
            yield return $"fields {{ {string.Join(", ", fields)} }} but the document says {{ {string.Join(", ", properties)} }}";
        }

        if (header.Contains("| required |", StringComparison.Ordinal))
        {
            var required = rows.Where(r => r[2] == "yes").Select(r => Unquote(r[0])).Order(StringComparer.Ordinal);
            var actual = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>();
            if (!required.SequenceEqual(actual))
            {
                yield return $"required {string.Join(", ", required)} but the document says {string.Join(", ", actual)}";
            }
        }
    }

    private static async Task AssertFields(HttpResponseMessage response, HttpStatusCode status, JsonNode schema, params string[] extensions)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var fields = JsonNode.Parse(body)!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var properties = schema["properties"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var required = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()) ?? [];
        Assert.True(fields.Except(properties).Except(extensions).ToList() is [], $"Undocumented fields {string.Join(", ", fields.Except(properties).Except(extensions))} in {body}");
        Assert.True(required.Except(fields).ToList() is [], $"Required fields {string.Join(", ", required.Except(fields))} missing from {body}");
    }

    /// <summary>A schema as docs/integration.md writes its type: <c>string</c>, <c>Instant or null</c>, <c>array of UnitView</c>, <c>map of T</c>.</summary>
    private static string TypeOf(JsonNode? schema)
    {
        if (schema?["$ref"] is { } reference)
        {
            return Text(reference).Split('/')[^1];
        }

        if (schema?["oneOf"] is JsonArray oneOf)
        {
            return string.Join(" or ", oneOf.Select(s => Text(s?["type"]) == "null" ? "null" : TypeOf(s)).OrderBy(t => t == "null"));
        }

        var types = schema?["type"] switch
        {
            JsonArray many => many.Select(t => Text(t)).ToList(),
            { } one => [Text(one)],
            _ => new List<string>(),
        };
        var nullable = types.Remove("null");
        var text = types switch
        {
            ["array"] => "array of " + TypeOf(schema!["items"]),
            ["object"] when schema!["additionalProperties"] is JsonObject values => "map of " + TypeOf(values),
            [var single] => single,
            _ => "any",
        };
        return nullable ? text + " or null" : text;
    }

    private async Task<JsonNode> DocumentAsync()
    {
        // Without a key: the document describes the API and holds no data (README).
        using var anonymous = api.Factory.CreateClient();
        var response = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>Operations by <c>METHOD /path</c>.</summary>
    private static Dictionary<string, JsonNode> Operations(JsonNode document) =>
        document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(op => op.Key != "parameters").Select(op => (Key: $"{op.Key.ToUpperInvariant()} {path.Key}", Operation: op.Value!)))
            .ToDictionary(o => o.Key, o => o.Operation, StringComparer.Ordinal);

    private static string Path(RouteEndpoint endpoint) => "/" + endpoint.RoutePattern.RawText!.TrimStart('/');

    private static string Text(JsonNode? node) => node?.GetValue<string>() ?? "";

    private static string Unquote(string cell) => cell.Trim('`');

    private static string[] Doc() => File.ReadAllLines(System.IO.Path.Combine(Architecture.Repository.Root, "docs", "integration.md"));

    /// <summary>The lines under <paramref name="heading"/> up to the next heading of its level.</summary>
    private static List<string> Section(string[] lines, string heading)
    {
        var start = Array.IndexOf(lines, heading);
        Assert.True(start >= 0, $"docs/integration.md has no '{heading}'");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
    }

    /// <summary>The rows (cells trimmed) of the table whose header line is <paramref name="header"/>.</summary>
    private static List<string[]> Table(IReadOnlyList<string> lines, string header)
    {
        var start = lines.ToList().IndexOf(header);
        Assert.True(start >= 0, $"docs/integration.md has no table '{header}'");
        return lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|'))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
    }

    /// <summary>Each <c>### `Name`</c> of the section with its lines.</summary>
    private static Dictionary<string, IReadOnlyList<string>> Shapes(List<string> section)
    {
        var shapes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < section.Count; i++)
        {
            if (ShapeHeading().Match(section[i]) is { Success: true } heading)
            {
                shapes.Add(heading.Groups[1].Value, section.Skip(i + 1).TakeWhile(l => !l.StartsWith("### ", StringComparison.Ordinal)).ToList());
            }
        }

        return shapes;
    }

    [GeneratedRegex(@"^(?<code>\d{3})( `(?<shape>[^`]+)`)?$")]
    private static partial Regex AnswerPattern();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex BacktickPattern();

    [GeneratedRegex(@"^### `([^`]+)`$")]
    private static partial Regex ShapeHeading();
}
