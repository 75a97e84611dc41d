using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;

namespace Reminders.Infrastructure.Messaging;

/// <summary>Registers the gateways, the dispatcher, delivery reports, and the replanning signal and state.</summary>
public static class MessagingRegistration
{
    /// <summary>Adds messaging; options are bound from configuration when first needed.</summary>
    public static IServiceCollection AddRemindersMessaging(this IServiceCollection services)
    {
        // Checked when the app starts: a wrong value stops it with a line naming the key (docs/operations.md).
        services.AddCheckedOptions<SmsOptions>("Sms");
        services.AddCheckedOptions<FortySixElksOptions>("Sms:FortySixElks");
        services.AddCheckedOptions<DispatcherOptions>("Dispatcher");
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();
        services.AddSingleton<IValidateOptions<FortySixElksOptions>, FortySixElksOptionsValidator>();
        services.AddSingleton<IValidateOptions<DispatcherOptions>, DispatcherOptionsValidator>();

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
        services.AddSingleton<Replanning.ReplanningSignal>();
        services.AddSingleton<Replanning.PlanningStateStore>();
        return services;
    }
}
