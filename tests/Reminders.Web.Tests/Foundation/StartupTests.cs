using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Reminders.Domain.Patients;
using Reminders.Domain.Reminders;
using Reminders.Infrastructure.Seeding;
using Reminders.Testing;

namespace Reminders.Web.Tests.Foundation;

public sealed class StartupTests
{
    [Fact]
    public async Task Health_answers_200_with_the_database_checked()
    {
        using var factory = new RemindersFactory();
        var response = await factory.CreateClient().GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Health_answers_503_when_the_database_cannot_be_reached()
    {
        using var factory = new RemindersFactory();
        var client = factory.CreateClient();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            File.Delete(factory.DatabasePath + suffix);
        }

        await File.WriteAllTextAsync(factory.DatabasePath, "this is not a database");

        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Demo_seed_covers_every_rule_case_and_is_idempotent()
    {
        using var factory = new RemindersFactory { EnvironmentName = "Development" }.With("Seed:Demo", "true");
        _ = factory.CreateClient();
        await using var db = factory.NewDbContext();
        var today = Domain.Time.Stockholm.DateOf(factory.Time.Now);

        var patients = await db.Patients.ToListAsync();
        var settings = await db.ReminderSettings.ToDictionaryAsync(s => s.PatientId);
        Assert.InRange(patients.Count, 200, 400);
        Assert.Contains(patients, p => p.IdentityNumber.Value == DemoDataSeeder.TaxAgencyTestNumber);
        Assert.Contains(patients, p => p.ProtectedIdentity);
        Assert.Contains(patients, p => p.IdentityNumber.IsCoordinationNumber);
        Assert.Contains(patients, p => Age.IsChildOn(p.BirthDate, today) && settings[p.Id].GuardianNumbers.Count > 0);
        Assert.Contains(patients, p => Age.IsChildOn(p.BirthDate, today) && !Age.IsChildOn(p.BirthDate, today.PlusDays(28)));
        Assert.Contains(patients, p => p.MobileUpdatedAt is { } at && !Age.IsChildOn(p.BirthDate, today) && Domain.Time.Stockholm.DateOf(at) < Age.ThirteenthBirthday(p.BirthDate));
        Assert.Contains(settings.Values, s => s.NotActivatedReason == NotActivatedReason.MigrationUnitBlocks);
        Assert.Contains(settings.Values, s => s.NotActivatedReason == NotActivatedReason.MigrationMobileBefore13);
        Assert.Contains(settings.Values, s => s.Status == ReminderStatus.Declined);
        Assert.Contains(settings.Values, s => s.Status == ReminderStatus.Deactivated);
        Assert.Contains(settings.Values, s => s.Status == ReminderStatus.Activated && s.Blocks.Count > 0);

        // Rule book revision 2's cases: an adult with an unknown date who gets SMS, a teen who needs a confirmation,
        // a patient with blocks in VAS (history, not in force), a central reception.
        Assert.Contains(patients, p => p.Mobile is not null && p.MobileUpdatedAt is null && Age.IsAdultOn(p.BirthDate, today)
            && settings[p.Id].Status == ReminderStatus.Activated && settings[p.Id].MobileIsOwn(p, today));
        Assert.Contains(patients, p => p.Mobile is not null && p.MobileUpdatedAt is null && !Age.IsChildOn(p.BirthDate, today) && !Age.IsAdultOn(p.BirthDate, today)
            && settings[p.Id].WhyMobileIsNotOwn(p, today) == Domain.Reasons.MobileDateUnknown);
        Assert.Contains(settings.Values, s => s.VasBlocks.Count > 0 && s.Blocks.Count == 0 && s.NotActivatedReason == NotActivatedReason.MigrationUnitBlocks);
        Assert.Contains(await db.Units.ToListAsync(), u => u.CentralReception && u.UsesSmsReminders);
        Assert.Contains(await db.Bookings.ToListAsync(), b => b.Unit.Value == DemoDataSeeder.CentralReceptionHsaId && Domain.Time.Stockholm.DateOf(b.Start) == today);
        Assert.True(await db.Units.Select(u => u.Clinic).Distinct().CountAsync() >= 10);
        Assert.All(await db.Units.ToListAsync(), u => Assert.StartsWith("SE2321000115-", u.HsaId.Value, StringComparison.Ordinal));
        Assert.True(await db.Bookings.CountAsync() > patients.Count);
        Assert.True(await db.Messages.AnyAsync(), "Demo bookings of activated patients plan SMS.");

        await using var scope = factory.Services.CreateAsyncScope();
        var again = await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(CancellationToken.None);
        Assert.Equal(0, again);
    }

    [Fact]
    public void Demo_seed_is_refused_outside_development_naming_the_key()
    {
        foreach (var environment in new[] { "Production", "Staging" })
        {
            using var factory = new RemindersFactory { EnvironmentName = environment }.With("Seed:Demo", "true");

            var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
            Assert.Contains($"Seed:Demo: demo data is seeded only in Development, never in {environment}", error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Request_log_names_the_route_template_never_the_raw_path_or_query()
    {
        using var factory = new RemindersFactory();
        var client = factory.CreateClient();

        await client.GetAsync("/health");
        await client.GetAsync("/health?patient=191212121212");
        await client.GetAsync("/no-such-page/201701012393");
        var log = await factory.ReadLogAsync();
        Assert.Contains("HTTP GET /health responded 200", log, StringComparison.Ordinal);
        Assert.Contains("(no endpoint) responded 302", log, StringComparison.Ordinal); // anonymous: to sign-in, even for unknown paths
        Assert.DoesNotContain("201701012393", log, StringComparison.Ordinal);
        Assert.DoesNotContain("191212121212", log, StringComparison.Ordinal);
        Assert.DoesNotContain("patient=", log, StringComparison.Ordinal);
    }
}
