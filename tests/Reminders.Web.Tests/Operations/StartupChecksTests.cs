using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Reminders.Testing;
using Reminders.Web.Hosting;

namespace Reminders.Web.Tests.Operations;

/// <summary>
/// Issue #19 items 2-3 and #16 item 3: every setting checked when the app starts, all failing keys at once, one
/// line each naming the key and what is accepted; a store that cannot be used is one line with the fix. Through
/// WebApplicationFactory (the host's ValidateOnStart) and through <see cref="RemindersApp.RunAsync"/> (exit codes).
/// </summary>
public sealed class StartupChecksTests
{
    /// <summary>The configuration failure lines of a factory that must not start.</summary>
    private static IReadOnlyList<string> FailureLines(RemindersFactory factory)
    {
        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var failure = StartupFailureException.FromOptions(error);
        Assert.True(failure is not null, error.ToString());
        return failure.Lines;
    }

    [Fact]
    public void A_typo_in_Sms_Provider_stops_the_start_naming_the_key_and_the_accepted_values()
    {
        using var factory = new RemindersFactory().With("Sms:Provider", "46elks");

        var lines = FailureLines(factory);

        Assert.Equal(["Sms:Provider: '46elks' is not accepted; expected one of Sink, FortySixElks."], lines);
    }

    [Fact]
    public void Production_with_the_Sink_provider_refuses_to_start_and_lists_every_failing_key_at_once()
    {
        using var factory = new RemindersFactory { EnvironmentName = "Production" }
            .With("Sms:AllowSink", null)
            .With("DataProtection:Certificate:Path", null)
            .With("Api:Keys:0", "short-key");

        var lines = FailureLines(factory);

        Assert.Contains(lines, l => l.StartsWith("Sms:Provider: Sink sends nothing", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("DataProtection:Certificate:Path: required outside Development", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Api:Keys:0: an API key must have at least 32 characters (this one has 9)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("short-key", StringComparison.Ordinal));
        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public async Task Sms_AllowSink_lets_a_test_installation_run_the_Sink_without_a_callback_url()
    {
        using var factory = new RemindersFactory { EnvironmentName = "Production" }.With("Sms:AllowSink", "true");

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public void A_real_provider_needs_credentials_an_https_callback_and_a_time_out_below_the_lease()
    {
        using var factory = new RemindersFactory { EnvironmentName = "Production" }
            .With("Sms:Provider", "FortySixElks")
            .With("Sms:CallbackBaseUrl", "http://paminnelser.example.se")
            .With("Sms:FortySixElks:Timeout", "00:05:00")
            .With("Dispatcher:LeaseDuration", "00:02:00");

        var lines = FailureLines(factory);

        Assert.Contains(lines, l => l.StartsWith("Sms:CallbackBaseUrl: 'http://paminnelser.example.se' is not accepted; expected an absolute https URL", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Sms:FortySixElks:Username: required", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Sms:FortySixElks:Password: required", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Sms:FortySixElks:Timeout: 00:05:00 must be below Dispatcher:LeaseDuration (00:02:00)", StringComparison.Ordinal));
        Assert.Equal(4, lines.Count);
    }

    [Fact]
    public void The_provider_time_out_must_stay_below_the_lease_in_development_too()
    {
        using var factory = new RemindersFactory { EnvironmentName = "Development" }
            .With("Sms:Provider", "FortySixElks")
            .With("Sms:FortySixElks:Username", "u")
            .With("Sms:FortySixElks:Password", "p")
            .With("Sms:FortySixElks:Timeout", "00:10:00");

        Assert.Equal(["Sms:FortySixElks:Timeout: 00:10:00 must be below Dispatcher:LeaseDuration (00:05:00): a send still running when its lease ends could be sent again."], FailureLines(factory));
    }

    [Fact]
    public void Malformed_time_spans_urls_numbers_and_networks_name_their_keys()
    {
        using var factory = new RemindersFactory()
            .With("Dispatcher:PollInterval", "5s")
            .With("Dispatcher:BatchSize", "many")
            .With("Sms:SelfCheckInLink", "incheckning.example")
            .With("Sms:QuietHoursStart", "9pm")
            .With("Jobs:GuardianNumbersAt13:At", "2")
            .With("ForwardedHeaders:KnownNetworks:0", "10.20.0.0/33")
            .With("ForwardedHeaders:KnownProxies:0", "proxy.region.se")
            .With("Database:MigrateAtStartup", "yes");

        var lines = FailureLines(factory);

        Assert.Contains("Dispatcher:PollInterval: '5s' is not accepted; expected a time span written hh:mm:ss, e.g. 00:00:30 (or d.hh:mm:ss).", lines);
        Assert.Contains("Dispatcher:BatchSize: 'many' is not accepted; expected a whole number.", lines);
        Assert.Contains("Sms:SelfCheckInLink: 'incheckning.example' is not accepted; expected an absolute https URL.", lines);
        Assert.Contains("Sms:QuietHoursStart: '9pm' is not accepted; expected a local time HH:mm, e.g. 21:00.", lines);
        Assert.Contains("Jobs:GuardianNumbersAt13:At: '2' is not accepted; expected a local time HH:mm, e.g. 02:00.", lines);
        Assert.Contains("ForwardedHeaders:KnownNetworks: '10.20.0.0/33' is not accepted; expected a network in CIDR notation, e.g. 10.20.0.0/16.", lines);
        Assert.Contains("ForwardedHeaders:KnownProxies: 'proxy.region.se' is not accepted; expected an IP address, e.g. 10.20.0.5.", lines);
        Assert.Contains("Database:MigrateAtStartup: 'yes' is not accepted; expected true or false.", lines);
        Assert.Equal(8, lines.Count);
    }

    [Fact]
    public void A_key_ring_certificate_that_is_missing_or_has_another_password_is_named_with_its_full_path()
    {
        var missing = Path.Combine(Path.GetTempPath(), "reminders-tests", $"no-such-{Guid.NewGuid():N}.pfx");
        using (var factory = new RemindersFactory().With("DataProtection:Certificate:Path", missing))
        {
            Assert.Equal([$"DataProtection:Certificate:Path: '{missing}' does not exist."], FailureLines(factory));
        }

        using (var factory = new RemindersFactory().With("DataProtection:Certificate:Password", "wrong"))
        {
            var line = Assert.Single(FailureLines(factory));
            Assert.StartsWith($"DataProtection:Certificate:Password: '{TestCertificate.Path}' cannot be opened as a PFX with this password", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_key_ring_is_stored_encrypted_with_the_certificate_and_another_instance_reads_it()
    {
        using var first = new RemindersFactory();
        var token = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("payload");

        await using (var db = first.NewDbContext())
        {
            var key = Assert.Single(await db.DataProtectionKeys.ToListAsync());
            Assert.Contains("EncryptedData", key.Xml!, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", key.Xml!, StringComparison.Ordinal);
        }

        using var second = new RemindersFactory().With("ConnectionStrings:Reminders", $"Data Source={first.DatabasePath}");
        Assert.Equal("payload", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(token));
    }

    [Fact]
    public void Forwarded_headers_are_believed_from_the_configured_proxies_and_networks()
    {
        using var factory = new RemindersFactory()
            .With("ForwardedHeaders:KnownNetworks:0", "10.20.0.0/16")
            .With("ForwardedHeaders:KnownProxies:0", "10.30.0.5, 10.30.0.6");
        _ = factory.CreateClient();

        var options = factory.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;

        Assert.Equal(ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedFor, options.ForwardedHeaders);
        Assert.Contains(options.KnownIPNetworks, n => n.ToString() == "10.20.0.0/16");
        Assert.Contains(IPAddress.Parse("10.30.0.5"), options.KnownProxies);
        Assert.Contains(IPAddress.Parse("10.30.0.6"), options.KnownProxies);
    }

    [Fact]
    public async Task Health_live_needs_no_database_and_ready_checks_migrations_cached_for_a_few_seconds()
    {
        using var factory = new RemindersFactory();
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await using (var db = factory.NewDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\" WHERE \"MigrationId\" = (SELECT MAX(\"MigrationId\") FROM \"__EFMigrationsHistory\")");
        }

        // Within the cache the last report stands; after it the pending migration shows.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        factory.Time.Advance(Duration.FromSeconds(6));
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("saknar 1 migrering", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await File.WriteAllTextAsync(factory.DatabasePath, "this is not a database");
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("\"status\":\"Healthy\"", await live.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
