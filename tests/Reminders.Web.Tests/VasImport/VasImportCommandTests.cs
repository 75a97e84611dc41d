using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Reminders.Infrastructure.Seeding;
using Reminders.Testing;
using Reminders.Web.Hosting;

namespace Reminders.Web.Tests.VasImport;

/// <summary>The import-vas command, called directly on the real app (RemindersFactory).</summary>
public sealed class VasImportCommandTests : IDisposable
{
    private readonly RemindersFactory _factory = new();

    private async Task<(int Exit, string Output, string Progress)> RunAsync(params string[] args)
    {
        _ = _factory.Services; // starts the app: the store is migrated
        await using (var db = _factory.NewDbContext())
        {
            if (!await db.Units.AnyAsync())
            {
                db.Units.AddRange(DemoDataSeeder.CreateUnits());
                await db.SaveChangesAsync();
            }
        }

        var output = new StringWriter();
        var progress = new StringWriter();
        var exit = await VasImportCommand.RunAsync(_factory.Services, ["import-vas", .. args], output, progress, CancellationToken.None);
        return (exit, output.ToString(), progress.ToString());
    }

    private string WriteFile(string name, byte[] content)
    {
        var path = Path.Combine(_factory.Directory, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    [Fact]
    public async Task R36_a_readable_file_with_bad_rows_exits_0_and_prints_progress_and_the_report()
    {
        var path = WriteFile("vas.csv", Encoding.UTF8.GetBytes(VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n19800505-1234,J,,,,,N\n"));

        var (exit, output, progress) = await RunAsync(path, "--go-live", "2025-03-29");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("activated").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("rejected")[0].GetProperty("line").GetInt32());
        Assert.Matches(@"import-vas: 2 rows, \d+ rows/s", progress);
        Assert.DoesNotContain("19800505", progress, StringComparison.Ordinal);
        Assert.DoesNotContain("0701740605", progress, StringComparison.Ordinal);

        // R55: the run is audited once, by whoever ran it (the command: the system), with its counts.
        await using var db = _factory.NewDbContext();
        var audit = await db.AuditEvents.SingleAsync(a => a.Action == "Migration");
        Assert.Equal("system", audit.Actor);
        Assert.Equal("Migration", audit.Channel);
        Assert.Null(audit.PatientId);
        Assert.Contains("\"Rows\":2", audit.Details!, StringComparison.Ordinal);
        Assert.Contains("\"Activated\":1", audit.Details!, StringComparison.Ordinal);
        Assert.DoesNotContain("19800505", audit.Details!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R32_carry_blocks_flag_is_passed()
    {
        var path = WriteFile("vas.csv", Encoding.UTF8.GetBytes(VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,SE2321000115-K01075,,N\n"));
        var (exit, output, _) = await RunAsync(path, "--carry-blocks");
        Assert.Equal(0, exit);
        Assert.Contains("\"activated\": 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task R36_missing_file_wrong_header_empty_or_not_UTF8_exit_1_naming_the_full_path_and_write_nothing()
    {
        var cases = new[]
        {
            Path.Combine(_factory.Directory, "missing.csv"),
            WriteFile("header.csv", Encoding.UTF8.GetBytes("pnr,consent\n19800505-1233,J\n")),
            WriteFile("empty.csv", []),
            WriteFile("latin1.csv", Encoding.Latin1.GetBytes(VasStore.Header + "\n19800505-1233,J,,,,,N\nÅ\n")),
        };
        foreach (var path in cases)
        {
            var (exit, output, progress) = await RunAsync(path);
            Assert.Equal(ExitCodes.InputUnusable, exit);
            Assert.Empty(output);
            Assert.Contains("cannot read the file", progress, StringComparison.Ordinal);
            Assert.Contains($"'{path}'", progress, StringComparison.Ordinal);
        }

        await using var db = _factory.NewDbContext();
        Assert.Equal(0, await db.Patients.CountAsync());
    }

    [Fact]
    public async Task R36_while_another_import_runs_the_command_exits_5_with_one_line_and_writes_nothing()
    {
        _ = _factory.Services;
        await Api.VasImportApiTests.HoldClaimAsync(_factory);
        var path = WriteFile("vas.csv", Encoding.UTF8.GetBytes(Api.VasImportApiTests.Csv(0, 2)));

        var (exit, output, progress) = await RunAsync(path);

        Assert.Equal(ExitCodes.Busy, exit);
        Assert.Empty(output);
        var line = Assert.Single(progress.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("import-vas: Another VAS import is running", line, StringComparison.Ordinal);
        Assert.Contains("Nothing was imported", line, StringComparison.Ordinal);
        await using var db = _factory.NewDbContext();
        Assert.False(await db.Patients.AnyAsync());
        Assert.False(await db.AuditEvents.AnyAsync(a => a.Action == "Migration"));
    }

    [Theory]
    [InlineData]
    [InlineData("a.csv", "--go-live", "29/3/2025")]
    [InlineData("a.csv", "--unknown")]
    public async Task Wrong_arguments_exit_2_with_usage(params string[] args)
    {
        var (exit, _, progress) = await RunAsync(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("Usage: import-vas FILE", progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_path_is_the_callers_current_directory_and_a_missing_one_is_named_in_full()
    {
        var name = $"vas-relative-{Guid.NewGuid():N}.csv";
        var path = Path.Combine(Environment.CurrentDirectory, name);
        await File.WriteAllTextAsync(path, VasStore.Header + "\n19800505-1233,J,0701740605,2024-07-01,,,N\n");
        try
        {
            var (exit, output, _) = await RunAsync(name);
            Assert.Equal(ExitCodes.Done, exit);
            using var json = JsonDocument.Parse(output);
            Assert.Equal(1, json.RootElement.GetProperty("activated").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }

        var (missingExit, _, message) = await RunAsync(Path.Combine("no-such-folder", "vas.csv"));
        Assert.Equal(ExitCodes.InputUnusable, missingExit);
        Assert.Contains($"'{Path.Combine(Environment.CurrentDirectory, "no-such-folder", "vas.csv")}' does not exist", message, StringComparison.Ordinal);
    }

    public void Dispose() => _factory.Dispose();
}
