using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Jobs;

namespace Reminders.Infrastructure.Messaging;

/// <summary>Registers the gateways, the dispatcher, delivery reports and the nightly R13 job.</summary>
public static class MessagingRegistration
{
    /// <summary>Adds messaging; options are bound from configuration when first needed.</summary>
    public static IServiceCollection AddRemindersMessaging(this IServiceCollection services)
    {
        // Checked when the app starts: a wrong value stops it with a line naming the key (docs/operations.md).
        services.AddCheckedOptions<SmsOptions>("Sms");
        services.AddCheckedOptions<FortySixElksOptions>("Sms:FortySixElks");
        services.AddCheckedOptions<DispatcherOptions>("Dispatcher");
        services.AddCheckedOptions<GuardianNumbersAt13Options>("Jobs:GuardianNumbersAt13");
        services.AddSingleton<IValidateOptions<SmsOptions>, SmsOptionsValidator>();
        services.AddSingleton<IValidateOptions<FortySixElksOptions>, FortySixElksOptionsValidator>();
        services.AddSingleton<IValidateOptions<DispatcherOptions>, DispatcherOptionsValidator>();
        services.AddSingleton<IValidateOptions<GuardianNumbersAt13Options>, GuardianNumbersAt13OptionsValidator>();

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
        return services;
    }
}
