using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.Access;

/// <summary>
/// R56: every page and endpoint carries an explicit authorization rule, and each role sees exactly its
/// pages. The expected answers are written out by hand, so a new page fails here until someone decides
/// who may see it.
/// </summary>
public sealed class AuthorizationMatrixTests : IClassFixture<AuthorizationMatrixTests.Fixture>
{
    private const string Ok = "200";
    private const string SignIn = "sign-in";
    private const string Denied = "denied";
    private const string Forbidden = "403";
    private const string NotFound = "404";

    // path → anonymous, receptionist, manager, admin, disabled user
    public static TheoryData<string, string, string, string, string, string> Matrix => new()
    {
        { "/", SignIn, Ok, Ok, Ok, SignIn },
        { "/Index", SignIn, Ok, Ok, Ok, SignIn },
        { "/Error", Ok, Ok, Ok, Ok, Ok },
        { "/health", Ok, Ok, Ok, Ok, Ok },
        { "/health/live", Ok, Ok, Ok, Ok, Ok },
        { "/health/ready", Ok, Ok, Ok, Ok, Ok },
        // Anonymous but network-restricted: these clients come from no allowed network (MetricsTests covers the rest).
        { "/metrics", NotFound, NotFound, NotFound, NotFound, NotFound },
        { "/css/site.css", Ok, Ok, Ok, Ok, Ok },
        // The API's OpenAPI document describes it and holds no data: anonymous (OpenApi:Enabled switches it off).
        { "/openapi/v1.json", Ok, Ok, Ok, Ok, Ok },
        // The API reference page exists in Development only (OpenApiDocumentTests shows it there).
        { "/Development/ApiReference", NotFound, NotFound, NotFound, NotFound, NotFound },
        { "/Account/SignIn", Ok, Ok, Ok, Ok, Ok },
        // Sign-in with the SITHS card: GET leads back to the sign-in page; the POST and the callback are anonymous by design.
        { "/Account/Siths", SignIn, SignIn, SignIn, SignIn, SignIn },
        { "/Account/AccessDenied", Forbidden, Forbidden, Forbidden, Forbidden, Forbidden },
        { "/Account/ChooseUnit", SignIn, Ok, Ok, Ok, SignIn },
        { "/Account/ChangePassword", SignIn, Ok, Ok, Ok, SignIn },
        { "/Account/SignOut", SignIn, "302", "302", "302", SignIn },
        { "/CheckIn", SignIn, Ok, Ok, Denied, SignIn },
        { "/CheckIn/Index", SignIn, Ok, Ok, Denied, SignIn },
        { "/CheckIn/Patient", SignIn, "302", "302", Denied, SignIn },
        { "/Admin/Users", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Users/Index", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Users/Edit", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Audit", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Audit/Index", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Audit/Extract", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Sms", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Units", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Units/Index", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Units/Edit", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Settings", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Vas", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Answers", SignIn, Denied, Denied, Ok, SignIn },
        { "/Admin/Region", SignIn, Denied, Denied, Ok, SignIn },
        { "/EService", SignIn, Ok, Ok, Denied, SignIn },
        { "/EService/Index", SignIn, Ok, Ok, Denied, SignIn },
        { "/Reports", SignIn, Denied, Ok, Denied, SignIn },
        { "/Reports/Index", SignIn, Denied, Ok, Denied, SignIn },
        { "/Reports/Blocked", SignIn, Denied, Ok, Denied, SignIn },
        { "/Reports/Migration", SignIn, Denied, Ok, Denied, SignIn },
        { "/Reports/DataQuality", SignIn, Denied, Ok, Denied, SignIn },
        { "/Reports/NoShows", SignIn, Denied, Ok, Denied, SignIn },
    };

    private readonly Fixture _fixture;

    public AuthorizationMatrixTests(Fixture fixture) => _fixture = fixture;

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task R56_each_role_gets_exactly_the_expected_answer(string path, string anonymous, string receptionist, string manager, string admin, string disabled)
    {
        var expected = new[] { anonymous, receptionist, manager, admin, disabled };
        var clients = new[] { _fixture.Anonymous, _fixture.Receptionist, _fixture.Manager, _fixture.Admin, _fixture.Disabled };
        var names = new[] { "anonymous", "receptionist", "manager", "admin", "disabled" };
        for (var i = 0; i < clients.Length; i++)
        {
            var response = await clients[i]!.GetAsync(path);
            Assert.True(Outcome(response) == expected[i], $"{path} as {names[i]}: expected {expected[i]}, got {Outcome(response)} ({response.Headers.Location})");
        }
    }

    [Fact]
    public async Task R56_every_endpoint_has_an_explicit_authorization_rule_and_a_row_in_the_matrix()
    {
        var endpoints = _fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.NotEmpty(endpoints);
        var inMatrix = Matrix.Select(row => ((string)row[0]).TrimStart('/')).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missingRule = new List<string>();
        var missingRow = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var template = (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>();
            if (!anonymous && (policies.Count == 0 || policies.All(p => p.Policy is null && p.Roles is null)))
            {
                missingRule.Add(template);
            }

            var isStaticAsset = endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal)) || template.StartsWith("css/", StringComparison.Ordinal) || template.StartsWith("js/", StringComparison.Ordinal) || template == "favicon.ico";
            if (!isStaticAsset && !template.StartsWith("api/", StringComparison.Ordinal) && !inMatrix.Contains(template))
            {
                missingRow.Add(template);
            }
        }

        Assert.True(missingRule.Count == 0, "Endpoints without an explicit policy or [AllowAnonymous]: " + string.Join(", ", missingRule));
        Assert.True(missingRow.Count == 0, "Pages missing from the authorization matrix: " + string.Join(", ", missingRow));
    }

    private static string Outcome(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Redirect || response.StatusCode == HttpStatusCode.Found)
        {
            var location = response.Headers.Location?.ToString() ?? "";
            return location.Contains("/Account/SignIn", StringComparison.Ordinal) ? SignIn
                : location.Contains("/Account/AccessDenied", StringComparison.Ordinal) ? Denied
                : "302";
        }

        return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public sealed class Fixture : IAsyncLifetime
    {
        public RemindersFactory Factory { get; } = new();

        public HttpClient Anonymous { get; private set; } = null!;

        public HttpClient Receptionist { get; private set; } = null!;

        public HttpClient Manager { get; private set; } = null!;

        public HttpClient Admin { get; private set; } = null!;

        public HttpClient Disabled { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Anonymous = Factory.NewClient();
            Receptionist = await Factory.SignedInClientAsync("reception@test.invalid", [StaffRoles.Receptionist]);
            Manager = await Factory.SignedInClientAsync("chef@test.invalid", [StaffRoles.Receptionist, StaffRoles.UnitManager]);
            Admin = await Factory.SignedInClientAsync("admin@test.invalid", [StaffRoles.Admin], []);
            Disabled = await Factory.SignedInClientAsync("disabled@test.invalid", [StaffRoles.Receptionist]);

            await using var scope = Factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
            var user = await users.FindByEmailAsync("disabled@test.invalid");
            user!.Disabled = true;
            await users.UpdateAsync(user);
            await users.UpdateSecurityStampAsync(user);
        }

        public Task DisposeAsync()
        {
            Factory.Dispose();
            return Task.CompletedTask;
        }
    }
}
