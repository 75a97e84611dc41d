using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Domain.Audit;
using Reminders.Infrastructure.Identity;
using Reminders.Testing;
using Reminders.Web.Tests.Api;
using Reminders.Web.Tests.Pipeline;

namespace Reminders.Web.Tests.Security;

/// <summary>Issue #16 item 2: sign-in per address and per account name, the delivery callback per address, the API per key.</summary>
public sealed class RateLimitTests
{
    private const string Attacker = "203.0.113.7";
    private const string Clinic = "198.51.100.20";

    [Fact]
    public async Task Forty_wrong_sign_ins_from_one_address_meet_429_while_the_real_user_signs_in_from_another()
    {
        using var factory = new RemindersFactory();
        await factory.CreateStaffAsync("anna@test.invalid", [StaffRoles.Receptionist]);
        using var attacker = factory.NewClientFrom(Attacker);
        using var clinic = factory.NewClientFrom(Clinic);

        // Forty guesses at forty different account names, so only the address limit (30 failures) can stop them.
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 40; i++)
        {
            var response = await attacker.SignInAsync($"staff{i}@test.invalid", "Wrong-Password-123");
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.All(statuses.Take(30), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.All(statuses.Skip(30), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.NotNull(refused);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        var page = await Forms.ParseAsync(refused);
        Assert.Contains("För många misslyckade inloggningsförsök", page.QuerySelector(".validation-summary")!.TextContent, StringComparison.Ordinal);

        // The right password from the attacker's address is refused too (nothing is checked there any more)…
        Assert.Equal(HttpStatusCode.TooManyRequests, (await attacker.SignInAsync("anna@test.invalid")).StatusCode);

        // …while the real user, at the clinic, signs in.
        var signedIn = await clinic.SignInAsync("anna@test.invalid");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clinic.GetAsync("/")).StatusCode);

        // Refused attempts cost no password hash and write no audit row: 30 failures, not 41.
        await using var db = factory.NewDbContext();
        Assert.Equal(30, await db.AuditEvents.CountAsync(a => a.Action == nameof(AuditAction.SignInFailed)));
    }

    [Fact]
    public async Task The_account_name_is_limited_across_addresses_and_lockout_counts_only_attempts_that_passed()
    {
        using var factory = new RemindersFactory().With("RateLimits:SignInFailuresPerAccount", "3");
        var userId = await factory.CreateStaffAsync("anna@test.invalid", [StaffRoles.Receptionist]);

        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 6; i++)
        {
            using var client = factory.NewClientFrom($"192.0.2.{i}");
            // The name as typed in other cases and with spaces is the same account.
            var email = i % 2 == 0 ? " ANNA@test.invalid " : "anna@test.invalid";
            statuses.Add((await client.SignInAsync(email, "Wrong-Password-123")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);

        // Identity's lockout (5 failures) saw only the three attempts that passed the limiter: the account is not locked.
        await using var db = factory.NewDbContext();
        var user = await db.Users.SingleAsync(u => u.Id == userId);
        Assert.Equal(3, user.AccessFailedCount);
        Assert.Null(user.LockoutEnd);

        // Another account from one of the same addresses is not affected.
        await factory.CreateStaffAsync("bertil@test.invalid", [StaffRoles.Receptionist]);
        using var other = factory.NewClientFrom("192.0.2.1");
        Assert.Equal(HttpStatusCode.Redirect, (await other.SignInAsync("bertil@test.invalid")).StatusCode);
    }

    [Fact]
    public async Task An_API_key_over_its_rate_gets_429_with_Retry_After_and_other_keys_are_not_limited()
    {
        using var h = new ApiHarness(f => f.With("RateLimits:ApiBurst", "3").With("RateLimits:ApiPermitsPerSecond", "1"));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 20 && refused is null; i++)
        {
            var response = await h.Client.GetAsync("/api/v1/units");
            statuses.Add(response.StatusCode);
            refused = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(refused);
        Assert.All(statuses.Take(3), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal("För många anrop.", (await ApiHarness.Json(refused)).GetProperty("title").GetString());

        using var second = h.Factory.CreateClient();
        second.DefaultRequestHeaders.Add("X-Api-Key", "second-key-abcdefghij-0123456789-klmn");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/units")).StatusCode);
    }

    [Fact]
    public async Task Unknown_delivery_tokens_meet_429_per_address_while_valid_reports_never_count()
    {
        await using var h = await PipelineHarness.StartAsync(f => f.With("RateLimits:UnknownDeliveryTokensPerAddress", "3"));
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        await h.DispatchAsync();
        var request = Assert.Single(h.Provider.Requests);
        using var provider = h.Api.Factory.NewClientFrom(Attacker);

        // The provider's repeated valid reports (more than the limit) are all accepted and count for nothing…
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await provider.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request))).StatusCode);
        }

        // …unknown tokens do: three 404s, then 429 with Retry-After, even for a valid report from that address.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await provider.PostAsync($"/api/v1/sms/delivery/guess-{i}", LoopbackSmsProvider.DeliveryReport(request))).StatusCode);
        }

        var refused = await provider.PostAsync("/api/v1/sms/delivery/guess-4", LoopbackSmsProvider.DeliveryReport(request));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.Contains("Retry-After"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await provider.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request))).StatusCode);

        // Another address (the real provider) is not affected.
        using var other = h.Api.Factory.NewClientFrom(Clinic);
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsync(request.CallbackPath, LoopbackSmsProvider.DeliveryReport(request))).StatusCode);
    }

    [Fact]
    public async Task The_delivery_callback_takes_a_small_url_encoded_form_only()
    {
        await using var h = await PipelineHarness.StartAsync();
        await h.Api.ActivatedAdultWithBookingAsync(Duration.FromHours(30));
        await h.DispatchAsync();
        var request = Assert.Single(h.Provider.Requests);
        using var client = h.Api.Factory.CreateClient();

        var json = await client.PostAsync(request.CallbackPath, new StringContent($"{{\"id\":\"{request.ProviderId}\",\"status\":\"delivered\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);

        var multipart = new MultipartFormDataContent { { new StringContent(request.ProviderId!), "id" }, { new StringContent("delivered"), "status" }, { new StringContent("2025-03-27T08:01:02.254000"), "delivered" } };
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(request.CallbackPath, multipart)).StatusCode);

        var huge = new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = request.ProviderId!, ["status"] = "delivered", ["delivered"] = "2025-03-27T08:01:02.254000", ["padding"] = new string('a', 10_000) });
        var tooLarge = await client.PostAsync(request.CallbackPath, huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        // Nothing was applied: the sent SMS is still Sent.
        await using var db = h.Api.Factory.NewDbContext();
        var statuses = await db.Messages.Select(m => m.Status).ToListAsync();
        Assert.Contains(Reminders.Domain.Messages.SmsStatus.Sent, statuses);
        Assert.DoesNotContain(Reminders.Domain.Messages.SmsStatus.Delivered, statuses);
    }
}
