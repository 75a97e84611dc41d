using Microsoft.EntityFrameworkCore;
using Reminders.Infrastructure.Identity;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Seeding;

namespace Reminders.Web.Hosting;

/// <summary>
/// Prepares the store before the server takes requests: applies migrations (SQLite by default; SQL Server
/// only with <c>Database:MigrateAtStartup=true</c>, production applies the idempotent script) and seeds
/// demo data where configured (never in Production).
/// </summary>
internal sealed class StoreInitializer(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => PrepareAsync(services, configuration, environment, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static async Task PrepareAsync(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<StoreSettings>();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var migrate = configuration.GetValue<bool?>("Database:MigrateAtStartup") ?? store.Provider == DatabaseProvider.Sqlite;
        if (migrate)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        await scope.ServiceProvider.GetRequiredService<StaffAccounts>().EnsureRolesAsync();

        var seed = configuration.GetValue<bool?>("Seed:Demo") ?? environment.IsDevelopment();
        if (seed)
        {
            if (environment.IsProduction())
            {
                throw new InvalidOperationException("Seed:Demo is refused in Production: demo data and demo accounts never belong there.");
            }

            await scope.ServiceProvider.GetRequiredService<DemoDataSeeder>().SeedAsync(cancellationToken);
        }
    }
}
