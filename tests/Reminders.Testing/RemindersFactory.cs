using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using Reminders.Infrastructure.Persistence;

namespace Reminders.Testing;

/// <summary>
/// The real application on a real SQLite file of its own (migrated at start like production's embedded
/// default), with a fake time source. Never the InMemory provider.
/// </summary>
public class RemindersFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly List<Action<IServiceCollection>> _services = [];

    /// <summary>Creates a factory with its own database file in a fresh temporary folder.</summary>
    public RemindersFactory()
    {
        Directory = Path.Combine(Path.GetTempPath(), "reminders-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        DatabasePath = Path.Combine(Directory, "reminders.db");

        // Outside Development the app is HTTPS-only, as in production.
        ClientOptions.BaseAddress = new Uri("https://localhost");
    }

    /// <summary>The folder holding this factory's database and logs (<c>Data:Directory</c>; logs under <c>logs</c>).</summary>
    public string Directory { get; }

    /// <summary>The SQLite file.</summary>
    public string DatabasePath { get; }

    /// <summary>The fake time source; by default a Thursday morning in Stockholm (2025-03-27 09:00 local).</summary>
    public FakeTimeProvider Time { get; } = new(Instant.FromUtc(2025, 3, 27, 8, 0));

    /// <summary>The environment name; "Testing" unless a test needs another.</summary>
    public string EnvironmentName { get; set; } = "Testing";

    /// <summary>Adds a configuration setting before the app starts.</summary>
    public RemindersFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Changes the app's services before it starts (e.g. an interceptor that plays another writer).</summary>
    public RemindersFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>A context on the same database file, for arranging and asserting.</summary>
    public RemindersDbContext NewDbContext()
    {
        // Starting the host (TestServer or Kestrel) migrates the file first.
        _ = Services;
        var options = new Microsoft.EntityFrameworkCore.DbContextOptionsBuilder<RemindersDbContext>();
        options.UseRemindersStore(DatabaseProvider.Sqlite, $"Data Source={DatabasePath}");
        // Arranging counts as a change in this app (its cached unit list is dropped when a unit is saved here);
        // a change by another instance is a plain SQL update (UnitDirectoryTests).
        options.AddInterceptors(Services.GetRequiredService<Reminders.Infrastructure.Units.UnitDirectory>().ChangeInterceptor);
        return new RemindersDbContext(options.Options);
    }

    /// <summary>
    /// The log files' text once every line logged so far is written. The sinks write on a background thread, so
    /// this logs a marker through the app's logger and waits for it: the lines logged before it are in the file.
    /// </summary>
    public async Task<string> ReadLogAsync()
    {
        var marker = Guid.NewGuid().ToString("N");
        Services.GetRequiredService<Serilog.ILogger>().Information("Log marker {Marker}", marker);
        var folder = Path.Combine(Directory, "logs");
        var log = "";
        await Eventually.TrueAsync(() =>
        {
            log = System.IO.Directory.Exists(folder)
                ? string.Concat(System.IO.Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(ReadShared))
                : "";
            return Task.FromResult(log.Contains(marker, StringComparison.Ordinal));
        }, "the log marker to reach the log file");
        return log;
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.ConfigureAppConfiguration(config =>
        {
            var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["ConnectionStrings:Reminders"] = $"Data Source={DatabasePath}",
                ["Data:Directory"] = Directory,
                ["Seed:Demo"] = "false",
                // Tests drive the dispatcher and the R13 job themselves, with the fake clock.
                ["Dispatcher:Enabled"] = "false",
                ["Jobs:GuardianNumbersAt13:Enabled"] = "false",
                // Production's start-up checks hold in tests too: the Sink provider on purpose, an encrypted key ring.
                ["Sms:AllowSink"] = "true",
                // A start-up failure reaches the test as an exception, not as an exit code.
                ["Hosting:ThrowStartupFailures"] = "true",
                // And the replanning job (rule book revisions, policy changes): tests run it, or switch it on.
                ["Jobs:Replanning:Enabled"] = "false",
                ["DataProtection:Certificate:Path"] = TestCertificate.Path,
                ["DataProtection:Certificate:Password"] = TestCertificate.Password,
            };
            foreach (var (key, value) in _settings)
            {
                settings[key] = value;
            }

            config.AddInMemoryCollection(settings);
        });
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            foreach (var configure in _services)
            {
                configure(services);
            }
            services.AddSingleton<IStartupFilter, RemoteAddressStartupFilter>();
        });
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on some platforms; the temp folder is cleaned by the OS.
            }
        }
    }
}
