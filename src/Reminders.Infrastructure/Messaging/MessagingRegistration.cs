using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Jobs;

namespace Reminders.Infrastructure.Messaging;

/// <summary>Registers the gateways, the dispatcher, delivery reports, the nightly R13 job and the replanning service.</summary>
public static class MessagingRegistration
{
    /// <summary>Adds messaging; options are bound from configuration when first needed.</summary>
    public static IServiceCollection AddRemindersMessaging(this IServiceCollection services)
    {
        services.AddOptions<SmsOptions>().BindConfiguration("Sms");
        services.AddOptions<FortySixElksOptions>().BindConfiguration("Sms:FortySixElks");
        services.AddOptions<DispatcherOptions>().BindConfiguration("Dispatcher");
        services.AddOptions<GuardianNumbersAt13Options>().BindConfiguration("Jobs:GuardianNumbersAt13");
        services.AddOptions<Replanning.ReplanningOptions>().BindConfiguration("Jobs:Replanning");

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
        services.AddHostedService<GuardianNumbersAt13Service>();

        // Rule book revisions and policy changes (R26, R28) replan the pending SMS (docs/decisions/0015).
        services.AddSingleton<Replanning.ReplanningJob>();
        services.AddSingleton<Replanning.ReplanningSignal>();
        services.AddHostedService<Replanning.ReplanningService>();
        return services;
    }
}
