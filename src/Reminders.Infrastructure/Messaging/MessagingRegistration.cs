using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Reminders.Infrastructure.Messaging;

/// <summary>Registers the gateways, the dispatcher and delivery reports.</summary>
public static class MessagingRegistration
{
    /// <summary>Adds messaging; options are bound from configuration when first needed.</summary>
    public static IServiceCollection AddRemindersMessaging(this IServiceCollection services)
    {
        services.AddOptions<SmsOptions>().BindConfiguration("Sms");
        services.AddOptions<FortySixElksOptions>().BindConfiguration("Sms:FortySixElks");
        services.AddOptions<DispatcherOptions>().BindConfiguration("Dispatcher");

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
        return services;
    }
}
