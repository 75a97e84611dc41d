using System.Net;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;

namespace Reminders.Web.Tests.Access;

/// <summary>
/// Sign-in with the SITHS card through a real OpenID Connect provider on loopback (OpenIddict): the app on
/// Kestrel over HTTPS, a client that follows every redirect with its own cookies, as a browser does.
/// </summary>
public sealed class OidcSignInTests
{
    private const string StaffHsaId = "SE2321000016-15RX";

    [Fact]
    public async Task R51_admin_registers_the_HSA_id_and_the_staff_member_signs_in_with_SITHS_then_out_at_the_provider_too()
    {
        await using var h = await OidcHarness.StartAsync();
        var userId = await h.App.CreateStaffAsync("reception@test.invalid", [StaffRoles.Receptionist]);
        await h.App.CreateStaffAsync("admin@test.invalid", [StaffRoles.Admin], []);

        // The admin registers the HSA-id on the user page; a malformed one is refused with R51's Swedish message.
        using var admin = h.NewClient();
        await admin.SignInAsync("admin@test.invalid");
        var malformed = await admin.SubmitAsync(await admin.GetPageAsync($"/Admin/Users/Edit?id={userId}"), "#user-form", new Dictionary<string, string> { ["Input.HsaId"] = "SE232100001615RX" });
        Assert.Contains("Ange HSA-id som SE, tio siffror, bindestreck", await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var saved = await admin.SubmitAsync(await admin.GetPageAsync($"/Admin/Users/Edit?id={userId}"), "#user-form", new Dictionary<string, string> { ["Input.HsaId"] = StaffHsaId });
        var savedPage = await Forms.ParseAsync(saved);
        Assert.True(savedPage.QuerySelector("[data-testid=message]")?.TextContent == "Ändringarna är sparade.",
            string.Join(" | ", savedPage.QuerySelectorAll(".field-error, .validation-summary, h1").Select(e => e.TextContent.Trim())) + " " + saved.RequestMessage!.RequestUri);

        using var staff = h.NewClient();
        var home = await OidcHarness.SignInWithSithsAsync(staff, StaffHsaId);

        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Equal(h.BaseUrl + "/", home.RequestMessage!.RequestUri!.ToString());
        var page = await home.Content.ReadAsStringAsync();
        Assert.Contains("reception", page, StringComparison.Ordinal); // the display name in the header
        Assert.Contains(Staff.UnitA.Value, page, StringComparison.Ordinal); // the only unit, chosen at once
        await using (var db = h.App.NewDbContext())
        {
            var signIn = await db.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.SignIn) && a.Actor == userId);
            Assert.Equal(userId, signIn.Actor);
            Assert.Contains("\"method\":\"oidc\"", signIn.Details, StringComparison.Ordinal);
        }

        // Sign-out ends the session here and at the provider (its end-session endpoint), and lands on the sign-in page.
        var signedOut = await staff.SubmitAsync(await Forms.ParseAsync(home), "form[action='/Account/SignOut']");
        Assert.Equal(1, h.Provider.EndedSessions);
        Assert.Equal(h.BaseUrl + "/Account/SignIn", signedOut.RequestMessage!.RequestUri!.ToString());
        var after = await staff.GetAsync("/CheckIn");
        Assert.StartsWith(h.BaseUrl + "/Account/SignIn", after.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);

        // The provider's session is gone too: the next SITHS sign-in asks for the card again.
        var signInPage = await staff.GetPageAsync("/Account/SignIn");
        var atProvider = await staff.SubmitAsync(signInPage, "#siths-sign-in");
        Assert.Equal("/login", atProvider.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Unknown_HSA_id_gets_a_Swedish_page_saying_whom_to_contact_and_an_audit_row()
    {
        await using var h = await OidcHarness.StartAsync(f => f.With("Authentication:Oidc:SupportContact", "IT-servicedesk, tel. 010-123 45 00"));
        await h.App.CreateStaffAsync("reception@test.invalid", [StaffRoles.Receptionist]);
        using var client = h.NewClient();

        var refused = await OidcHarness.SignInWithSithsAsync(client, "SE2321000016-99ZZ");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        Assert.Contains("är inte kopplat till något konto", text, StringComparison.Ordinal);
        Assert.Contains("SE2321000016-99ZZ", text, StringComparison.Ordinal);
        Assert.Contains("Kontakta IT-servicedesk, tel. 010-123 45 00", text, StringComparison.Ordinal);
        await using var db = h.App.NewDbContext();
        var row = await db.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.SignInFailed));
        Assert.False(row.Succeeded);
        Assert.Contains("unknown-hsa-id", row.Details, StringComparison.Ordinal);
        Assert.Contains("SE2321000016-99ZZ", row.Details, StringComparison.Ordinal);
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == nameof(AuditAction.SignIn)));
        var home = await client.GetAsync("/CheckIn");
        Assert.StartsWith(h.BaseUrl + "/Account/SignIn", home.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disabled_account_is_refused_even_with_a_valid_card()
    {
        await using var h = await OidcHarness.StartAsync();
        var userId = await h.App.CreateStaffAsync("reception@test.invalid", [StaffRoles.Receptionist]);
        await h.RegisterHsaIdAsync(userId, StaffHsaId, disabled: true);
        using var client = h.NewClient();

        var refused = await OidcHarness.SignInWithSithsAsync(client, StaffHsaId);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("Ditt konto är avstängt.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var db = h.App.NewDbContext();
        var row = await db.AuditEvents.SingleAsync(a => a.Action == nameof(AuditAction.SignInFailed));
        Assert.Contains("not-allowed", row.Details, StringComparison.Ordinal);
        Assert.Contains(userId, row.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_SITHS_session_follows_the_same_rules_disabled_at_the_next_request_and_ended_after_ten_hours()
    {
        await using var h = await OidcHarness.StartAsync();
        var first = await h.App.CreateStaffAsync("first@test.invalid", [StaffRoles.Receptionist]);
        var second = await h.App.CreateStaffAsync("second@test.invalid", [StaffRoles.Receptionist]);
        await h.RegisterHsaIdAsync(first, StaffHsaId);
        await h.RegisterHsaIdAsync(second, "SE2321000016-22AB");
        using var firstClient = h.NewClient();
        using var secondClient = h.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await OidcHarness.SignInWithSithsAsync(firstClient, StaffHsaId)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OidcHarness.SignInWithSithsAsync(secondClient, "SE2321000016-22AB")).StatusCode);

        // Disabled (a new security stamp): the session ends at its next request.
        await h.RegisterHsaIdAsync(first, StaffHsaId, disabled: true);
        var disabled = await firstClient.GetAsync("/CheckIn");
        Assert.StartsWith(h.BaseUrl + "/Account/SignIn", disabled.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);

        // Active within the idle limit all shift long, still ended at the absolute lifetime.
        for (var i = 0; i < 20; i++)
        {
            h.App.Time.Advance(Duration.FromMinutes(29));
            var during = await secondClient.GetAsync("/CheckIn");
            Assert.Equal(h.BaseUrl + "/CheckIn", during.RequestMessage!.RequestUri!.ToString());
        }

        h.App.Time.Advance(Duration.FromMinutes(29));
        var ended = await secondClient.GetAsync("/CheckIn");
        Assert.StartsWith(h.BaseUrl + "/Account/SignIn", ended.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Local_passwords_switched_off_hide_and_refuse_the_password_form()
    {
        await using var h = await OidcHarness.StartAsync(f => f.With("Authentication:LocalPasswords:Enabled", "false"));
        await h.App.CreateStaffAsync("reception@test.invalid", [StaffRoles.Receptionist]);
        using var client = h.NewClient();

        var page = await client.GetPageAsync("/Account/SignIn");
        Assert.NotNull(page.QuerySelector("#siths-sign-in"));
        Assert.Null(page.QuerySelector("#sign-in"));
        Assert.Contains("Logga in med SITHS-kort", page.QuerySelector("#siths-sign-in button")!.TextContent, StringComparison.Ordinal);

        // A password post made anyway (the form is not there) is refused.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = "reception@test.invalid",
            ["Input.Password"] = Staff.Password,
            ["__RequestVerificationToken"] = page.QuerySelector("#siths-sign-in input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        });
        var refused = await client.PostAsync("/Account/SignIn", form);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        await using var db = h.App.NewDbContext();
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == nameof(AuditAction.SignIn)));
    }

    [Fact]
    public async Task Without_an_identity_provider_the_sign_in_page_has_no_SITHS_button()
    {
        using var factory = new RemindersFactory();
        var client = factory.NewClient();

        var page = await client.GetPageAsync("/Account/SignIn");

        Assert.Null(page.QuerySelector("#siths-sign-in"));
        Assert.NotNull(page.QuerySelector("#sign-in"));
        var challenge = await client.SubmitAsync(page, "#sign-in", new Dictionary<string, string> { ["Input.Email"] = "nobody@test.invalid", ["Input.Password"] = "x" });
        Assert.Equal(HttpStatusCode.OK, challenge.StatusCode);
    }
}
