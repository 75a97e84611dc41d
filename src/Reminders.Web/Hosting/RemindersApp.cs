using NodaTime;
using NodaTime.Extensions;
using Reminders.Infrastructure.Persistence;
using Reminders.Infrastructure.Planning;
using Reminders.Infrastructure.Seeding;
using Reminders.Web.Security;
using Reminders.Web.Api;
using Reminders.Infrastructure.VasImport;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Messaging;
using Serilog;

namespace Reminders.Web.Hosting;

/// <summary>Builds and runs the application; shared by Program, the commands and WebApplicationFactory.</summary>
public static class RemindersApp
{
    /// <summary>
    /// Builds the web application from <paramref name="args"/> and the usual configuration sources;
    /// <paramref name="options"/> (environment, content root) for callers that start it in-process.
    /// </summary>
    public static WebApplication Build(string[] args, WebApplicationOptions? options = null)
    {
        var builder = WebApplication.CreateBuilder(options is null ? new WebApplicationOptions { Args = args } : new WebApplicationOptions
        {
            Args = args,
            EnvironmentName = options.EnvironmentName,
            ContentRootPath = options.ContentRootPath,
            ApplicationName = options.ApplicationName ?? typeof(RemindersApp).Assembly.GetName().Name,
        });
        ConfigureLogging(builder);

        // One time source: tests replace TimeProvider and NodaTime's IClock follows it.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IClock>(sp => sp.GetRequiredService<TimeProvider>().ToClock());
        builder.Services.AddRemindersStore();
        builder.Services.AddScoped<DemoDataSeeder>();
        builder.Services.AddVasImport();
        // R26/R28: the admin settings page's values, configuration as the default (docs/decisions/0012).
        builder.Services.AddCheckedOptions<SmsPolicyOptions>("Sms");
        builder.Services.AddSingleton<IValidateOptions<SmsPolicyOptions>, SmsPolicyOptionsValidator>();
        builder.Services.AddSingleton(sp => new DatabaseSmsPolicySource(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<SmsPolicyOptions>>().Value.ToPolicy()));
        builder.Services.AddSingleton<ISmsPolicySource>(sp => sp.GetRequiredService<DatabaseSmsPolicySource>());

        builder.Services.AddSingleton<StorePreparation>();
        builder.Services.AddCheckedOptions<SeedOptions>("Seed");
        builder.Services.AddSingleton<IValidateOptions<SeedOptions>, SeedOptionsValidator>();
        builder.Services.AddHostedService<StoreInitializer>();
        builder.Services.AddCheckedOptions<MemoryOptions>("Memory");
        builder.Services.AddSingleton<IValidateOptions<MemoryOptions>, MemoryOptionsValidator>();
        builder.Services.AddSingleton<NativeHeapTrimming>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NativeHeapTrimming>());
        builder.Services.AddStaffSecurity();
        builder.Services.AddRemindersRateLimits();
        // After the store initializer (hosted services start in registration order): the dispatcher, then the nightly
        // R13 job and the replanning job, start on a migrated store.
        builder.Services.AddRemindersMessaging();
        builder.Services.AddRemindersApplication();
        builder.Services.AddRemindersApi();
        builder.Services.AddRemindersApiDocument();
        builder.Services.AddRazorPages();
        // The database check reads a table and the migration history, so an unmigrated store is not ready.
        builder.Services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("database", tags: [ReadinessProbe.Tag])
            .AddCheck<DispatcherHealthCheck>("dispatcher", tags: [ReadinessProbe.Tag]);
        builder.Services.AddSingleton<ReadinessProbe>();
        builder.Services.AddProblemDetails();
        builder.Services.AddRemindersTelemetry();

        var app = builder.Build();
        ConfigurePipeline(app);
        return app;
    }

    /// <summary>
    /// A host that embeds the app (WebApplicationFactory in tests) sets this: a start-up failure is then thrown to it
    /// instead of being written and turned into an exit code.
    /// </summary>
    public const string ThrowStartupFailuresKey = "Hosting:ThrowStartupFailures";

    /// <summary>
    /// Runs a command if one is given (the configuration it uses checked, the store prepared, never seeded), else
    /// checks every setting and the store and serves until stopped. A failure an operator can fix is written to
    /// <paramref name="error"/> as lines naming the key or the fix, with its exit code (<see cref="ExitCodes"/>).
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        try
        {
            if (Commands.Find(args) is { } command)
            {
                if (Commands.WantsHelp(args))
                {
                    await output.WriteLineAsync(command.Help);
                    return ExitCodes.Done;
                }

                await StoreInitializer.PrepareAsync(app.Services, seedDemo: false, CancellationToken.None);
                return await command.RunAsync(app.Services, args, output, error, CancellationToken.None);
            }

            // Every setting at once (ValidateOnStart), then the store, before the host logs anything about starting.
            try
            {
                app.Services.GetRequiredService<IStartupValidator>().Validate();
            }
            catch (Exception e) when (StartupFailureException.FromOptions(e) is not null)
            {
                throw StartupFailureException.FromOptions(e)!;
            }

            await StoreInitializer.PrepareAsync(app.Services, seedDemo: true, CancellationToken.None);
            var memoryLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MallocArenas));
            MallocArenas.LogOutcome(memoryLogger, MallocArenas.Applied, MallocArenas.Bound);
            ManagedHeap.LogCollector(memoryLogger);
            await app.RunAsync();
            return ExitCodes.Done;
        }
        catch (StartupFailureException failure) when (!app.Configuration.GetValue<bool>(ThrowStartupFailuresKey))
        {
            failure.WriteTo(error);
            return failure.ExitCode;
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
        // Serilog from configuration (levels and the console sink, behind an async sink, see appsettings.json) and
        // the rolling file below; personal data is never logged: handlers log internal ids only.
        // The logger is made when first resolved, so it reads the final configuration (tests' too). The static
        // Log.Logger is left alone: several hosts share a process in tests, and one's Log.CloseAndFlush would
        // close another's logger. The container owns the logger and disposing it flushes the sinks.
        builder.Logging.ClearProviders();
        // Console lines go to stderr (stdout is a command's report alone); the file sink writes under the data
        // folder (Data:Directory/logs), rolling daily, 31 files kept.
        builder.Services.AddSerilog(
            (services, configuration) =>
            {
                var settings = services.GetRequiredService<IConfiguration>();
                var logs = Path.Combine(StoreRegistration.DataDirectoryFrom(settings, services.GetRequiredService<IHostEnvironment>()), "logs");
                var json = settings.GetValue<bool>(JsonLogging.Key);
                configuration
                    .ReadFrom.Configuration(JsonLogging.Apply(settings))
                    .Enrich.FromLogContext()
                    .Enrich.With(new PersonalDataEnricher())
                    .WriteTo.Async(
                        sink =>
                        {
                            var path = Path.Combine(logs, "reminders-.log");
                            if (json)
                            {
                                sink.File(new Serilog.Formatting.Compact.CompactJsonFormatter(), path, rollingInterval: RollingInterval.Day, retainedFileCountLimit: 31);
                            }
                            else
                            {
                                sink.File(
                                    path,
                                    rollingInterval: RollingInterval.Day,
                                    retainedFileCountLimit: 31,
                                    outputTemplate: "{Timestamp:o} [{Level:u3}] {SourceContext}: {Message:lj} {Properties:j}{NewLine}{Exception}",
                                    formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                            }
                        },
                        blockWhenFull: true);
            },
            preserveStaticLogger: true);
        builder.Services.RedactDatabaseErrors();
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
        app.UseSerilogRequestLogging(options => RequestLogging.Configure(options, PersonalDataRedaction.Redacting(app.Services.GetRequiredService<Serilog.ILogger>())));
        // Static files (CSS only; no script is needed) are public and served before authentication.
        app.UseStaticFiles();
        app.UseRouting();
        app.UseNetworkRestrictions();
        app.UseAuthentication();
        app.UseMiddleware<UnitChoiceMiddleware>();
        app.UseAuthorization();
        // After authorization: the API's limit is per key, and the key is known only then.
        app.UseRateLimiter();

        // Load balancers and operators poll /health without an account; it reveals status only.
        app.MapRemindersHealth();
        app.MapRemindersMetrics();
        app.MapRemindersApi();
        app.MapRemindersApiDocument();
        app.MapRazorPages();
    }
}
