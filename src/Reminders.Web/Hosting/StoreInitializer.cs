using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Seeding;

namespace Reminders.Web.Hosting;

/// <summary>
/// Prepares the store before the server takes requests: checks it can be reached, applies migrations (SQLite by
/// default; SQL Server only with <c>Database:MigrateAtStartup=true</c>, production applies the idempotent script)
/// or refuses a store with pending migrations, and seeds demo data in Development only, into an empty store only.
/// A store that cannot be used stops the start with one line saying what to do (<see cref="ExitCodes.Store"/>).
/// </summary>
internal sealed class StoreInitializer(IServiceProvider services, StorePreparation preparation) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        preparation.Done ? Task.CompletedTask : PrepareAsync(services, seedDemo: true, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Prepares the store; <paramref name="seedDemo"/> is false for commands (demo data is never seeded by one).
    /// Throws <see cref="StartupFailureException"/> when the store cannot be reached or is not migrated.
    /// </summary>
    public static async Task PrepareAsync(IServiceProvider services, bool seedDemo, CancellationToken cancellationToken)
    {
        StartupFailureException.Check<DatabaseOptions>(services);
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<StoreSettings>();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();

        // SQL Server: opened through ADO.NET, not EF (EF logs a failed open as an error with its stack trace, and this
        // one line is the whole story). A SQLite file is created by the migration; its failures are caught below.
        if (store.Provider == DatabaseProvider.SqlServer)
        {
            var connection = db.Database.GetDbConnection();
            try
            {
                await connection.OpenAsync(cancellationToken);
                await connection.CloseAsync();
            }
            catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException)
            {
                throw Failure($"SQL Server cannot be reached: {OneLine(e.Message)} Check ConnectionStrings:Reminders and that the server accepts connections from this host.");
            }
        }

        try
        {
            if (database.Migrates)
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            else if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList() is { Count: > 0 } pending)
            {
                throw Failure(store.Provider == DatabaseProvider.SqlServer
                    ? $"The database is not migrated: {pending.Count} migration(s) pending, the newest {pending[^1]}. Apply the idempotent script: dotnet ef migrations script --idempotent --project src/Reminders.Migrations.SqlServer --startup-project src/Reminders.Web -o reminders-sqlserver.sql -- --Database:Provider=SqlServer \"--ConnectionStrings:Reminders=<the connection string>\" (README and docs/operations.md, SQL Server), apply it, then start again."
                    : $"The database is not migrated: {pending.Count} migration(s) pending, the newest {pending[^1]}. Remove Database:MigrateAtStartup=false: SQLite is migrated at start.");
            }

            await scope.ServiceProvider.GetRequiredService<StaffAccounts>().EnsureRolesAsync();
        }
        catch (DbException e)
        {
            throw Failure(store.Provider == DatabaseProvider.SqlServer
                ? $"The database cannot be prepared: {OneLine(e.Message)} Check that the account in ConnectionStrings:Reminders may read and write the Reminders tables."
                : $"The SQLite file cannot be opened or written: {OneLine(e.Message)} Check ConnectionStrings:Reminders or Data:Directory ({store.DataDirectory}) and that this user may write there.");
        }

        var environment = services.GetRequiredService<IHostEnvironment>();
        var seed = services.GetRequiredService<IOptions<SeedOptions>>().Value;
        if (seedDemo && environment.IsDevelopment() && seed.Demo != false)
        {
            // Into an empty store only: the seeder adds nothing where units, accounts or patients exist.
            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        }

        services.GetRequiredService<StorePreparation>().Done = true;
    }

    private static StartupFailureException Failure(string line) => new(ExitCodes.Store, [line]);

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
}

/// <summary>Whether the store was prepared before the host started (the server's path), so the hosted step skips.</summary>
internal sealed class StorePreparation
{
    public bool Done { get; set; }
}

/// <summary><c>Seed:Demo</c>: demo data in Development (default on there); refused in any other environment.</summary>
internal sealed class SeedOptions
{
    public bool? Demo { get; set; }
}

/// <summary>Demo units, patients and accounts never belong outside Development.</summary>
internal sealed class SeedOptionsValidator(IHostEnvironment environment) : IValidateOptions<SeedOptions>
{
    public ValidateOptionsResult Validate(string? name, SeedOptions options) => new OptionsFailures()
        .Check(options.Demo == true && !environment.IsDevelopment(), "Seed:Demo",
            $"demo data is seeded only in Development, never in {environment.EnvironmentName}; remove the setting.")
        .Result();
}
