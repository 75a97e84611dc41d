using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.Access;

public sealed class SessionSecurityTests
{
    [Fact]
    public async Task Session_cookie_is_host_prefixed_secure_httponly_samesite_strict()
    {
        using var factory = new RemindersFactory();
        await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist]);
        var client = factory.NewClient();

        var response = await client.SignInAsync("r@test.invalid");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-Reminders=", StringComparison.Ordinal));
        var parts = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).Select(p => p.ToLowerInvariant()).ToList();
        Assert.Contains("secure", parts);
        Assert.Contains("httponly", parts);
        Assert.Contains("samesite=strict", parts);
        Assert.Contains("path=/", parts);
        Assert.DoesNotContain(parts, p => p.StartsWith("domain=", StringComparison.Ordinal));
        Assert.DoesNotContain(parts, p => p.StartsWith("expires=", StringComparison.Ordinal)); // a session cookie: gone with the browser
    }

    [Fact]
    public async Task Responses_carry_the_security_headers()
    {
        using var factory = new RemindersFactory();
        // HSTS is never sent to localhost; ask as the region's host name.
        var client = factory.CreateClient(new() { BaseAddress = new Uri("https://reminders.region.test"), AllowAutoRedirect = false });
        var response = await client.GetAsync("/Account/SignIn");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var hsts = response.Headers.GetValues("Strict-Transport-Security").Single();
        Assert.Contains("max-age=31536000", hsts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_each_failure_is_audited()
    {
        using var factory = new RemindersFactory();
        var userId = await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist]);
        var client = factory.NewClient();

        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.SignInAsync("r@test.invalid", "Wrong-Password-123");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        // Without the password nobody learns the account exists or is locked…
        var guessed = await Forms.ParseAsync(await client.SignInAsync("r@test.invalid", "Another-Guess-456"));
        Assert.Contains("Fel e-postadress eller lösenord", guessed.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
        var unknown = await Forms.ParseAsync(await client.SignInAsync("nobody@test.invalid", "Another-Guess-456"));
        Assert.Equal(guessed.QuerySelector(".validation-summary")!.TextContent, unknown.QuerySelector(".validation-summary")!.TextContent);

        // …while its owner is told why the right password does not work.
        var locked = await client.SignInAsync("r@test.invalid");
        var page = await Forms.ParseAsync(locked);
        Assert.Contains("Kontot är låst", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);

        await using var db = factory.NewDbContext();
        var failures = await db.AuditEvents.Where(a => a.Action == nameof(AuditAction.SignInFailed)).ToListAsync();
        Assert.Equal(8, failures.Count);
        Assert.All(failures, a => Assert.False(a.Succeeded));
        Assert.Equal(7, failures.Count(a => a.Details!.Contains(userId, StringComparison.Ordinal)));
        Assert.Single(failures, a => a.Details == "{\"reason\":\"unknown\"}");
        Assert.DoesNotContain(failures, a => a.Details!.Contains("Wrong-Password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_idle_session_ends_after_30_minutes()
    {
        using var factory = new RemindersFactory();
        var client = await factory.SignedInClientAsync("r@test.invalid", [StaffRoles.Receptionist]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        factory.Time.Advance(Duration.FromMinutes(31));

        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/SignIn", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_active_session_ends_after_ten_hours_a_shift()
    {
        using var factory = new RemindersFactory();
        var client = await factory.SignedInClientAsync("r@test.invalid", [StaffRoles.Receptionist]);

        // Busy all day: a request every 20 minutes keeps the sliding window alive…
        for (var elapsed = 0; elapsed < 9 * 60 + 40; elapsed += 20)
        {
            factory.Time.Advance(Duration.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);
        }

        // …until the absolute lifetime ends it.
        factory.Time.Advance(Duration.FromMinutes(25));
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/SignIn", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var factory = new RemindersFactory();
        await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist]);
        var client = factory.NewClient();

        var response = await client.PostAsync("/Account/SignIn", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "r@test.invalid",
            ["Input.Password"] = Staff.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("__Host-Reminders=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_form_rendered_by_one_instance_is_accepted_by_another_sharing_the_database()
    {
        using var first = new RemindersFactory();
        await first.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist]);
        using var second = new SharedDatabaseFactory(first.DatabasePath);

        // One browser (one cookie jar) talking to two instances behind a load balancer.
        var cookies = new CookieContainer();
        var viaFirst = first.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(cookies));
        var viaSecond = second.CreateDefaultClient(new Uri("https://localhost"), new CookieContainerHandler(cookies));

        var page = await viaFirst.GetPageAsync("/Account/SignIn");
        var response = await viaSecond.SubmitAsync(page, "#sign-in", new Dictionary<string, string>
        {
            ["Input.Email"] = "r@test.invalid",
            ["Input.Password"] = Staff.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await viaFirst.GetAsync("/")).StatusCode); // the session cookie works on both
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_session_at_their_next_request_and_is_audited()
    {
        using var factory = new RemindersFactory();
        var receptionist = await factory.SignedInClientAsync("r@test.invalid", [StaffRoles.Receptionist]);
        var admin = await factory.SignedInClientAsync("a@test.invalid", [StaffRoles.Admin], []);
        Assert.Equal(HttpStatusCode.OK, (await receptionist.GetAsync("/")).StatusCode);

        string userId;
        await using (var db = factory.NewDbContext())
        {
            userId = db.Users.Single(u => u.Email == "r@test.invalid").Id;
        }

        var edit = await admin.GetPageAsync($"/Admin/Users/Edit?id={userId}");
        var disabled = await admin.SubmitAsync(edit, "#disable-form");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);

        var response = await receptionist.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/SignIn", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var again = await factory.NewClient().SignInAsync("r@test.invalid");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // refused: the page is shown again with the reason

        await using var check = factory.NewDbContext();
        var row = await check.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.UserAdmin) && a.Details!.Contains("disabled"));
        Assert.Equal("Admin", row.Channel);
        Assert.Equal("Admin", row.Role);
        Assert.Contains(userId, row.Details!, StringComparison.Ordinal);
        Assert.Equal(factory.Time.Now, row.At);
    }

    [Theory]
    [InlineData("disabled")]
    [InlineData("stamp")]
    public async Task A_session_ends_at_the_next_request_when_the_user_is_disabled_or_their_stamp_is_renewed(string change)
    {
        using var factory = new RemindersFactory();
        var receptionist = await factory.SignedInClientAsync("s@test.invalid", [StaffRoles.Receptionist]);
        var other = await factory.SignedInClientAsync("o@test.invalid", [StaffRoles.Receptionist]);
        Assert.Equal(HttpStatusCode.OK, (await receptionist.GetAsync("/")).StatusCode);

        // Each change alone (the admin page does both): a disabled flag without a new stamp, a new stamp alone.
        await using (var db = factory.NewDbContext())
        {
            var sql = change == "disabled"
                ? "UPDATE AspNetUsers SET Disabled = 1 WHERE Email = 's@test.invalid'"
                : "UPDATE AspNetUsers SET SecurityStamp = 'RENEWED' WHERE Email = 's@test.invalid'";
            Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(sql));
        }

        var response = await receptionist.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/SignIn", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Refused_access_is_audited_with_the_route_template_never_the_raw_path()
    {
        using var factory = new RemindersFactory();
        var receptionist = await factory.SignedInClientAsync("r@test.invalid", [StaffRoles.Receptionist]);

        var response = await receptionist.GetAsync("/Admin/Audit/Extract?patient=201701012393");

        Assert.Contains("/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        await using var db = factory.NewDbContext();
        var row = await db.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.AccessDenied));
        Assert.False(row.Succeeded);
        Assert.Equal("Receptionist", row.Role);
        Assert.Equal(Staff.UnitA.Value, row.Unit);
        Assert.Contains("Admin/Audit/Extract", row.Details!, StringComparison.Ordinal);
        Assert.DoesNotContain("201701012393", row.Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_is_audited_with_user_unit_and_time()
    {
        using var factory = new RemindersFactory();
        var userId = await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist]);
        await factory.NewClient().SignInAsync("r@test.invalid");

        await using var db = factory.NewDbContext();
        var row = await db.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.SignIn));
        Assert.Equal(userId, row.Actor);
        Assert.Equal(Staff.UnitA.Value, row.Unit);
        Assert.Equal("Web", row.Channel);
        Assert.Equal(factory.Time.Now, row.At);
        Assert.True(row.Succeeded);
    }

    [Fact]
    public async Task A_user_with_several_units_chooses_one_and_it_is_named_in_the_session()
    {
        using var factory = new RemindersFactory();
        await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA, Staff.UnitB]);
        var client = factory.NewClient();

        var signedIn = await client.SignInAsync("r@test.invalid");
        Assert.Contains("/Account/ChooseUnit", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);

        var choose = await client.GetPageAsync("/Account/ChooseUnit");
        Assert.Equal(2, choose.QuerySelectorAll("input[name=Unit]").Length);
        var chosen = await client.SubmitAsync(choose, "#choose-unit", new Dictionary<string, string> { ["Unit"] = Staff.UnitB.Value });
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);

        var home = await client.GetPageAsync("/");
        // The header names the unit as staff know it, the HSA-id kept in an attribute (issue #18).
        Assert.Equal("Testmottagning B", home.QuerySelector("[data-testid=current-unit]")!.TextContent);
        Assert.Equal(Staff.UnitB.Value, home.QuerySelector("[data-testid=current-unit]")!.GetAttribute("data-unit"));
    }

    [Fact]
    public async Task A_user_cannot_choose_a_unit_they_do_not_work_at()
    {
        using var factory = new RemindersFactory();
        await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist], [Staff.UnitA, Staff.UnitB]);
        var client = factory.NewClient();
        await client.SignInAsync("r@test.invalid");
        var choose = await client.GetPageAsync("/Account/ChooseUnit");
        var radio = choose.QuerySelector("input[name=Unit]")!;
        radio.SetAttribute("value", Staff.UnitC.Value);

        var response = await client.SubmitAsync(choose, "#choose-unit", new Dictionary<string, string> { ["Unit"] = Staff.UnitC.Value });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Välj en av dina enheter", (await Forms.ParseAsync(response)).QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_accounts_are_refused_in_production()
    {
        using var factory = new RemindersFactory { EnvironmentName = "Production" };
        await factory.CreateStaffAsync("demo@demo.invalid", [StaffRoles.Admin], [], isDemo: true);

        var response = await factory.NewClient().SignInAsync("demo@demo.invalid");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("avstängt", (await Forms.ParseAsync(response)).QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_admin_prints_a_one_time_password_that_must_be_changed_at_first_sign_in()
    {
        using var factory = new RemindersFactory();
        _ = factory.NewClient();
        var output = new StringWriter();

        var exit = await RunCommandAsync(factory, ["create-admin", "first.admin@region.invalid"], output);

        Assert.Equal(0, exit);
        using var report = System.Text.Json.JsonDocument.Parse(output.ToString());
        var password = report.RootElement.GetProperty("password").GetString()!;
        Assert.True(password.Length >= 16);
        var client = factory.NewClient();
        var signedIn = await client.SignInAsync("first.admin@region.invalid", password);
        Assert.Contains("/Account/ChangePassword", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);

        // The one-time password opens nothing else until it is changed.
        var elsewhere = await client.GetAsync("/Admin/Users");
        Assert.Equal("/Account/ChangePassword", elsewhere.Headers.Location!.ToString());
        var change = await client.GetPageAsync("/Account/ChangePassword");
        var changed = await client.SubmitAsync(change, "#change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = password,
            ["Input.NewPassword"] = "A-New-Password-2025",
            ["Input.ConfirmPassword"] = "A-New-Password-2025",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/Admin/Users")).StatusCode);

        var again = await RunCommandAsync(factory, ["create-admin", "first.admin@region.invalid"], new StringWriter());
        Assert.Equal(Hosting.ExitCodes.InputUnusable, again);
        Assert.Equal(Hosting.ExitCodes.InputUnusable, await RunCommandAsync(factory, ["create-admin", "not-an-email"], new StringWriter()));
        Assert.Equal(Hosting.ExitCodes.Usage, await RunCommandAsync(factory, ["create-admin"], new StringWriter()));
    }

    [Fact]
    public async Task Over_posting_fields_the_user_form_does_not_offer_changes_nothing()
    {
        using var factory = new RemindersFactory();
        var userId = await factory.CreateStaffAsync("r@test.invalid", [StaffRoles.Receptionist]);
        var admin = await factory.SignedInClientAsync("a@test.invalid", [StaffRoles.Admin], []);
        var edit = await admin.GetPageAsync($"/Admin/Users/Edit?id={userId}");
        var form = edit.QuerySelector("#user-form")!;
        foreach (var (name, value) in new[] { ("Input.Disabled", "true"), ("Existing.Disabled", "true"), ("Input.IsDemo", "true"), ("Input.Email", "attacker@test.invalid") })
        {
            var extra = edit.CreateElement("input");
            extra.SetAttribute("type", "hidden");
            extra.SetAttribute("name", name);
            extra.SetAttribute("value", value);
            form.AppendChild(extra);
        }

        var response = await admin.SubmitAsync(edit, "#user-form", new Dictionary<string, string> { ["Input.DisplayName"] = "Nytt namn" });

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, string.Join(" / ", (await Forms.ParseAsync(response)).QuerySelectorAll(".field-error, .validation-summary").Select(e => e.TextContent)));
        await using var db = factory.NewDbContext();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        Assert.Equal("Nytt namn", user.DisplayName);
        Assert.False(user.Disabled);
        Assert.False(user.IsDemo);
        Assert.Equal("r@test.invalid", user.Email);
    }

    private static Task<int> RunCommandAsync(RemindersFactory factory, string[] args, TextWriter output) =>
        Hosting.Commands.Find(args)!.RunAsync(factory.Services, args, output, TextWriter.Null, CancellationToken.None);

    private sealed class SharedDatabaseFactory : RemindersFactory
    {
        public SharedDatabaseFactory(string databasePath) => With("ConnectionStrings:Reminders", $"Data Source={databasePath}");
    }
}
