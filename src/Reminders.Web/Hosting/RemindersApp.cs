using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using NodaTime;
using NodaTime.Extensions;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Seeding;
using Reminders.Web.Security;
using Reminders.Web.Api;
using Reminders.Infrastructure.VasImport;
using Microsoft.EntityFrameworkCore;
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

        // One time source: tests replace TimeProvider and NodaTime's IClock follows it.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IClock>(sp => sp.GetRequiredService<TimeProvider>().ToClock());
        builder.Services.AddRemindersStore();
        builder.Services.AddScoped<DemoDataSeeder>();
        builder.Services.AddScoped<ReminderPlanner>();
        builder.Services.AddScoped<Features.Reports.ReportScope>();
        builder.Services.AddScoped<Features.Reports.ReportQueries>();
        builder.Services.AddSingleton<Features.VasImport.VasImportRuns>();
        builder.Services.AddVasImport();
        // R26/R28: the admin settings page's values, configuration as the default (docs/decisions/0012).
        builder.Services.AddSingleton(sp => new DatabaseSmsPolicySource(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            (sp.GetRequiredService<IConfiguration>().GetSection("Sms").Get<SmsPolicyOptions>() ?? new SmsPolicyOptions()).ToPolicy()));
        builder.Services.AddSingleton<ISmsPolicySource>(sp => sp.GetRequiredService<DatabaseSmsPolicySource>());

        builder.Services.AddHostedService<StoreInitializer>();
        builder.Services.AddStaffSecurity();
        // After the store initializer: the dispatcher and the nightly job start on a migrated store.
        builder.Services.AddRemindersApi();
        builder.Services.AddRazorPages();
        builder.Services.AddScoped<Features.CheckIn.CheckInQueries>();
        builder.Services.AddOptions<Features.CheckIn.CheckInOptions>().BindConfiguration("CheckIn");
        // The database check reads a table, so an unmigrated or unreadable store is unhealthy, not just unreachable.
        builder.Services.AddHealthChecks().AddDbContextCheck<RemindersDbContext>("database",
            customTestQuery: async (db, ct) =>
            {
                await db.Units.AnyAsync(ct);
                return true;
            });
        builder.Services.AddProblemDetails();
        builder.Services.AddRemindersTelemetry();

        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    /// <summary>Runs a command if one is given (the store prepared first), else serves until stopped.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        try
        {
            if (Commands.Find(args) is { } command)
            {
                await StoreInitializer.PrepareAsync(app.Services, app.Configuration, app.Environment, CancellationToken.None);
                return await command(app.Services, args, Console.Out, CancellationToken.None);
            }

            await app.RunAsync();
            return 0;
        }
        finally
        {
            // Disposing the container disposes the logger, which drains the async sinks (RunAsync has disposed
            // already when serving; a command has not).
            await app.DisposeAsync();
        }
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        // Serilog from configuration (console + rolling file, each behind an async sink, see appsettings.json);
        // personal data is never logged: handlers log internal ids only.
        // The logger is made when first resolved, so it reads the final configuration (tests' too). The static
        // Log.Logger is left alone: several hosts share a process in tests, and one's Log.CloseAndFlush would
        // close another's logger. The container owns the logger and disposing it flushes the sinks.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            (services, configuration) => configuration
                .ReadFrom.Configuration(JsonLogging.Apply(services.GetRequiredService<IConfiguration>()))
                .Enrich.FromLogContext()
                .Enrich.With(new PersonalDataEnricher()),
            preserveStaticLogger: true);
    }

    private static void ConfigurePipeline(WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
            app.UseHsts();
            app.UseMiddleware<HttpsOnlyMiddleware>();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseSerilogRequestLogging(options => RequestLogging.Configure(options, app.Services.GetRequiredService<Serilog.ILogger>()));
        // Static files (CSS only; no script is needed) are public and served before authentication.
        app.UseStaticFiles();
        app.UseRouting();
        app.UseNetworkRestrictions();
        app.UseAuthentication();
        app.UseMiddleware<UnitChoiceMiddleware>();
        app.UseAuthorization();

        // Load balancers and operators poll /health without an account; it reveals status only.
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).AllowAnonymous();
        app.MapRemindersMetrics();
        app.MapRemindersApi();
        app.MapRazorPages();
    }
}
