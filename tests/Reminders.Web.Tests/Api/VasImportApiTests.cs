using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Reminders.Infrastructure.Seeding;
using Reminders.Infrastructure.VasImport;
using Reminders.Web.Tests.VasImport;

namespace Reminders.Web.Tests.Api;

/// <summary>POST /api/v1/imports/vas: the same migration as the command, the report as JSON.</summary>
public sealed class VasImportApiTests
{
    [Fact]
    public async Task R30_R36_posting_the_csv_answers_with_the_report_and_a_bad_row_is_reported_with_its_line()
    {
        using var api = new ApiHarness();
        var blocked = await UnitsAsync(api);
        var csv = VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n19800505-1234,J,,,,,N\n"
            + $"{Domain.Identity.PersonalIdentityNumber.Create(new NodaTime.LocalDate(1975, 1, 1), 7).Value},J,0701740606,2024-07-01,{blocked},,N\n";
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        var response = await api.Client.PostAsync("/api/v1/imports/vas?goLive=2025-03-29", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("activated").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("rejected")[0].GetProperty("line").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("notActivated").GetProperty("MigrationUnitBlocks").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("byClinic")[0].GetProperty("patientsWithBlocks").GetInt32());

        await using var db = api.Factory.NewDbContext();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "Migration");
        Assert.Equal(ApiHarness.KeyName, audit.Actor);
    }

    [Fact]
    public async Task R36_an_unreadable_file_is_a_400_problem_and_nothing_is_written()
    {
        using var api = new ApiHarness();
        using var content = new StringContent("fel,rubrik\n19800505-1233,J\n", Encoding.UTF8, "text/csv");
        var response = await api.Client.PostAsync("/api/v1/imports/vas", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        await using var db = api.Factory.NewDbContext();
        Assert.False(await db.Patients.AnyAsync());
    }

    [Fact]
    public async Task R36_a_second_import_while_one_runs_gets_409_problem_details_and_writes_nothing()
    {
        using var api = new ApiHarness();
        await UnitsAsync(api);

        // The first import (through its own scope, as another instance's would be) holds still after its first batch.
        var paused = new PauseAfterFirstBatch();
        var first = Task.Run(async () =>
        {
            await using var scope = api.Factory.Services.CreateAsyncScope();
            var importer = scope.ServiceProvider.GetRequiredService<VasImporter>();
            await using var file = new MemoryStream(Encoding.UTF8.GetBytes(Csv(0, 4)));
            return await importer.ImportAsync(file, new VasImportOptions { BatchSize = 2 }, paused, CancellationToken.None);
        });
        await paused.Reached.Task.WaitAsync(TimeSpan.FromSeconds(60));

        HttpResponseMessage second;
        try
        {
            second = await PostAsync(api, Csv(100, 2));
        }
        finally
        {
            paused.Go.Set();
        }

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType!.MediaType);
        var problem = await ApiHarness.Json(second);
        Assert.Equal("En VAS-import pågår redan. Inget importerades.", problem.GetProperty("title").GetString());
        Assert.StartsWith("Another VAS import is running", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The first one finishes; nothing of the second is in the store, and the claim is free again.
        Assert.Equal(4, (await first).Rows);
        await using var db = api.Factory.NewDbContext();
        Assert.Equal(4, await db.Patients.CountAsync());
        Assert.Single(await db.AuditEvents.Where(a => a.Action == "Migration").ToListAsync());
        Assert.Single(await db.Set<VasImportRecord>().ToListAsync());
        Assert.Null((await db.Set<VasImportClaim>().SingleAsync()).ClaimedBy);
    }

    [Fact]
    public async Task R36_a_claim_left_by_a_crashed_import_refuses_the_next_until_it_runs_out()
    {
        using var api = new ApiHarness();
        await UnitsAsync(api);
        await HoldClaimAsync(api.Factory);

        var refused = await PostAsync(api, Csv(0, 2));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        await using (var db = api.Factory.NewDbContext())
        {
            Assert.False(await db.Patients.AnyAsync());
            Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "Migration"));
        }

        api.Factory.Time.Advance(VasImportClaim.ClaimFor);
        var ran = await PostAsync(api, Csv(0, 2));

        Assert.Equal(HttpStatusCode.OK, ran.StatusCode);
        await using var after = api.Factory.NewDbContext();
        Assert.Equal(2, await after.Patients.CountAsync());
        Assert.Null((await after.Set<VasImportClaim>().SingleAsync()).ClaimedBy);
    }

    /// <summary>Plays an import that another instance started a minute ago and that is still running (or crashed).</summary>
    internal static async Task HoldClaimAsync(Testing.RemindersFactory factory)
    {
        await using var db = factory.NewDbContext();
        var claim = await db.Set<VasImportClaim>().SingleAsync();
        claim.ClaimedBy = "other-host/run";
        claim.ClaimedAt = factory.Time.Now - Duration.FromMinutes(1);
        claim.ClaimedUntil = claim.ClaimedAt + VasImportClaim.ClaimFor;
        await db.SaveChangesAsync();
    }

    /// <summary>A VAS file of <paramref name="count"/> valid rows, fictional patients from <paramref name="first"/> on.</summary>
    internal static string Csv(int first, int count) =>
        VasStore.Header + "\n" + string.Concat(Enumerable.Range(first, count).Select(i =>
            $"{Fiction.NthIdentity(i, new LocalDate(1981, 2, 3)).Value},J,{Fiction.MobileText(10 + (i % 80))},2024-07-01,,,N\n"));

    private static async Task<HttpResponseMessage> PostAsync(ApiHarness api, string csv)
    {
        using var content = new StringContent(csv, Encoding.UTF8, "text/csv");
        return await api.Client.PostAsync("/api/v1/imports/vas", content);
    }

    internal static async Task<string> UnitsAsync(ApiHarness api)
    {
        var units = DemoDataSeeder.CreateUnits();
        await using var db = api.Factory.NewDbContext();
        db.Units.AddRange(units);
        await db.SaveChangesAsync();
        return units[0].HsaId.Value;
    }

    /// <summary>Holds the import after its first batch until <see cref="Go"/> is set.</summary>
    private sealed class PauseAfterFirstBatch : IProgress<VasImportProgress>
    {
        public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ManualResetEventSlim Go { get; } = new();

        public void Report(VasImportProgress value)
        {
            if (!value.Completed && Reached.TrySetResult())
            {
                Go.Wait(TimeSpan.FromSeconds(60));
            }
        }
    }
}
