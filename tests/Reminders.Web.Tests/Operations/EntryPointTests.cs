using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Reminders.Infrastructure.Persistence;
using Reminders.Web.Hosting;

namespace Reminders.Web.Tests.Operations;

/// <summary>
/// Tests that build and run the app through its real entry (<see cref="RemindersApp.Build"/> and
/// <see cref="RemindersApp.RunAsync"/>) for exit codes and stdout/stderr. WebApplicationFactory intercepts every
/// host built in the process, so these run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(nameof(EntryPointTests), DisableParallelization = true)]
public sealed class EntryPointTestGroup;

/// <summary>Issue #19 items 1, 3 and 4: exit codes, one line per failure, commands that behave.</summary>
[Collection(nameof(EntryPointTests))]
public sealed class EntryPointTests
{
    [Fact]
    public async Task The_server_exits_3_with_one_line_per_failing_key_before_anything_starts()
    {
        var folder = NewFolder();
        var (exit, output, error) = await RunAsync("Production", [
            $"--Data:Directory={folder}", "--Sms:Provider=46elks", "--Dispatcher:LeaseDuration=five minutes"]);

        Assert.Equal(ExitCodes.Configuration, exit);
        Assert.Empty(output);
        Assert.Contains("  Sms:Provider: '46elks' is not accepted; expected one of Sink, FortySixElks.", error, StringComparison.Ordinal);
        Assert.Contains("  Dispatcher:LeaseDuration: 'five minutes' is not accepted", error, StringComparison.Ordinal);
        Assert.Contains("  DataProtection:Certificate:Path: required outside Development", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "reminders.db")), "Nothing is created before the configuration is right.");
    }

    [Fact]
    public async Task A_store_that_is_not_migrated_or_cannot_be_opened_exits_4_with_one_line_naming_the_fix()
    {
        var folder = NewFolder();
        var (exit, _, error) = await RunAsync("Development", [$"--Data:Directory={folder}", "--Database:MigrateAtStartup=false"]);
        Assert.Equal(ExitCodes.Store, exit);
        Assert.Contains("The database is not migrated:", error, StringComparison.Ordinal);
        Assert.Contains("Remove Database:MigrateAtStartup=false", error, StringComparison.Ordinal);
        Assert.Equal(2, error.Trim().Split('\n').Length);

        var (unopened, _, message) = await RunAsync("Development", [$"--Data:Directory={folder}", $"--ConnectionStrings:Reminders=Data Source={Path.Combine(folder, "missing.db")};Mode=ReadWrite"]);
        Assert.Equal(ExitCodes.Store, unopened);
        Assert.Contains("The SQLite file cannot be opened or written:", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_SQL_Server_exits_4_with_one_line_and_no_stack_trace()
    {
        var (exit, _, error) = await RunAsync("Development", [
            $"--Data:Directory={NewFolder()}", "--Database:Provider=SqlServer",
            "--ConnectionStrings:Reminders=Server=tcp:127.0.0.1,1;Database=Reminders;User Id=x;Password=y;Connect Timeout=2;ConnectRetryCount=0;Encrypt=false"]);

        Assert.Equal(ExitCodes.Store, exit);
        Assert.Contains("SQL Server cannot be reached:", error, StringComparison.Ordinal);
        Assert.Contains("Check ConnectionStrings:Reminders", error, StringComparison.Ordinal);
        Assert.Equal(2, error.Trim().Split('\n').Length);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public async Task Create_admin_on_an_empty_store_adds_the_admin_and_no_demo_data_checking_only_the_database_settings(string environment)
    {
        // Production here has no key-ring certificate and the Sink provider: the command uses neither.
        var folder = NewFolder();
        var (exit, output, error) = await RunAsync(environment, ["create-admin", "first.admin@region.invalid", $"--Data:Directory={folder}"]);

        Assert.True(exit == ExitCodes.Done, error);
        using var report = JsonDocument.Parse(output);
        Assert.Equal("first.admin@region.invalid", report.RootElement.GetProperty("email").GetString());
        Assert.True(report.RootElement.GetProperty("password").GetString()!.Length >= 16);

        var options = new DbContextOptionsBuilder<Infrastructure.Persistence.RemindersDbContext>();
        options.UseRemindersStore(Infrastructure.Persistence.DatabaseProvider.Sqlite, $"Data Source={Path.Combine(folder, "reminders.db")}");
        await using var db = new Infrastructure.Persistence.RemindersDbContext(options.Options);
        Assert.Equal("first.admin@region.invalid", (await db.Users.SingleAsync()).Email);
        Assert.Equal(0, await db.Units.CountAsync());
        Assert.Equal(0, await db.Patients.CountAsync());
        Assert.Equal(0, await db.Bookings.CountAsync());
    }

    [Fact]
    public async Task Commands_answer_help_and_usage_errors_with_the_documented_exit_codes()
    {
        var folder = NewFolder();
        var (help, helpText, _) = await RunAsync("Production", ["import-vas", "--help", $"--Data:Directory={folder}"]);
        Assert.Equal(ExitCodes.Done, help);
        Assert.Contains("Usage: import-vas FILE", helpText, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 done; 1 the input could not be used; 2 usage", helpText, StringComparison.Ordinal);

        var (usage, usageOutput, usageError) = await RunAsync("Production", ["create-admin", $"--Data:Directory={folder}"]);
        Assert.Equal(ExitCodes.Usage, usage);
        Assert.Empty(usageOutput);
        Assert.Contains("Usage: create-admin EMAIL", usageError, StringComparison.Ordinal);
    }

    private static string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "reminders-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The real entry: builds the app with these arguments and environment and runs it as Program does.</summary>
    private static async Task<(int Exit, string Output, string Error)> RunAsync(string environment, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var app = RemindersApp.Build(args, new WebApplicationOptions { EnvironmentName = environment });
        var exit = await RemindersApp.RunAsync(app, args, output, error);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (exit, output.ToString(), error.ToString());
    }
}
