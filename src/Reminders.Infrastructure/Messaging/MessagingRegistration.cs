using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Jobs;

namespace Reminders.Infrastructure.Messaging;

/// <summary>Registers the gateways, the dispatcher, delivery reports and the nightly R13 job.</summary>
public static class MessagingRegistration
{
    /// <summary>Adds messaging; options are bound from configuration when first needed.</summary>
    public static IServiceCollection AddRemindersMessaging(this IServiceCollection services)
    {
        services.AddOptions<SmsOptions>().BindConfiguration("Sms");
        services.AddOptions<FortySixElksOptions>().BindConfiguration("Sms:FortySixElks");
        services.AddOptions<DispatcherOptions>().BindConfiguration("Dispatcher");
        services.AddOptions<GuardianNumbersAt13Options>().BindConfiguration("Jobs:GuardianNumbersAt13");

        services.AddHttpClient<FortySixElksGateway>((sp, client) =>
            FortySixElksGateway.Configure(client, sp.GetRequiredService<IOptions<FortySixElksOptions>>().Value));
        services.AddScoped<SinkSmsGateway>();
        services.AddScoped<ISmsGateway>(sp => sp.GetRequiredService<IOptions<SmsOptions>>().Value.Provider switch
        {
            SmsProvider.FortySixElks => sp.GetRequiredService<FortySixElksGateway>(),
            _ => sp.GetRequiredService<SinkSmsGateway>(),
        });

        services.AddSingleton<CallbackUrls>();
        services.AddSingleton<DispatcherState>();
        services.AddSingleton<SmsDispatcher>();
        services.AddScoped<DeliveryReports>();
        services.AddSingleton<GuardianNumbersAt13Job>();
        services.AddHostedService<DispatcherService>();
        // Graceful shutdown: a stopping host waits for in-flight provider calls, which end by the provider's time-out
        // at the latest, so an SMS being sent during a deploy is recorded Sent (or retried), never "outcome unknown".
        services.AddOptions<Microsoft.Extensions.Hosting.HostOptions>().Configure<IOptions<FortySixElksOptions>>((host, elks) =>
        {
            var needed = elks.Value.Timeout + TimeSpan.FromSeconds(10);
            if (host.ShutdownTimeout < needed)
            {
                host.ShutdownTimeout = needed;
            }
        });
        services.AddHostedService<GuardianNumbersAt13Service>();
        return services;
    }
}
