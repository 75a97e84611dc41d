using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Seeding;
using Serilog;

namespace Reminders.Web.Hosting;

/// <summary>Builds and runs the application; shared by Program, the commands and WebApplicationFactory.</summary>
public static class RemindersApp
{
    /// <summary>Builds the web application from <paramref name="args"/> and the usual configuration sources.</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        ConfigureLogging(builder);

        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        var dataDirectory = DataDirectory(builder.Configuration, builder.Environment);
        builder.Services.AddRemindersStore(builder.Configuration, dataDirectory);
        builder.Services.AddScoped<DemoDataSeeder>();
        builder.Services.AddScoped<ReminderPlanner>();
        builder.Services.AddSingleton<ISmsPolicySource>(new FixedSmsPolicySource(
            (builder.Configuration.GetSection("Sms").Get<SmsPolicyOptions>() ?? new SmsPolicyOptions()).ToPolicy()));

        builder.Services.AddRazorPages();
        builder.Services.AddHealthChecks().AddDbContextCheck<RemindersDbContext>("database");
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    /// <summary>Prepares the store, runs a command if one is given, else serves until stopped.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await PrepareStoreAsync(app.Services, app.Configuration, app.Environment, app.Lifetime.ApplicationStopping);
        try
        {
            await app.RunAsync();
            return 0;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
        }
    }

    /// <summary>
    /// Applies migrations (SQLite by default; SQL Server only when <c>Database:MigrateAtStartup</c> is true,
    /// production uses the idempotent script) and seeds demo data where configured.
    /// </summary>
    public static async Task PrepareStoreAsync(IServiceProvider services, IConfiguration configuration, IHostEnvironment environment, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<StoreSettings>();
        var db = scope.ServiceProvider.GetRequiredService<RemindersDbContext>();
        var migrate = configuration.GetValue<bool?>("Database:MigrateAtStartup") ?? store.Provider == DatabaseProvider.Sqlite;
        if (migrate)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

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

    private static string DataDirectory(ConfigurationManager configuration, IHostEnvironment environment) =>
        configuration["Data:Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, environment.ContentRootPath)
            : Path.Combine(environment.ContentRootPath, "data");

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        // Serilog from configuration (console + rolling file by default, see appsettings.json); personal data is
        // never logged: handlers log internal ids only.
        var logger = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
        }

        app.UseMiddleware<RequestLoggingMiddleware>();
        app.UseStatusCodePages();
        app.UseRouting();
        app.UseAuthorization();

        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
    }
}
