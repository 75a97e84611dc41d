using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Reminders.Infrastructure.Messaging;

namespace Reminders.Web.Api;

/// <summary>Services of the integration API: the key scheme and policy, JSON settings, request validators, the delivery route's path.</summary>
internal static class ApiRegistration
{
    public static IServiceCollection AddRemindersApi(this IServiceCollection services)
    {
        services.AddOptions<ApiKeyOptions>().Configure<IConfiguration>((o, configuration) => o.Read(configuration)).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddSingleton<ApiKeys>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(ApiKeyAuthenticationHandler.Policy, policy => policy
            .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser());

        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.Converters.Add(new InstantJsonConverter());
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        });

        services.AddSingleton<IValidator<UnitRequest>, UnitRequestValidator>();
        services.AddSingleton<IValidator<PatientRequest>, PatientRequestValidator>();
        services.AddSingleton<IValidator<UnitRefRequest>, UnitRefRequestValidator>();
        services.AddSingleton<IValidator<GuardianNumbersRequest>, GuardianNumbersRequestValidator>();
        services.AddSingleton<IValidator<BookingRequest>, BookingRequestValidator>();
        services.AddSingleton<IValidator<OutcomeRequest>, OutcomeRequestValidator>();
        services.AddSingleton<IValidator<EServiceRequestBody>, EServiceRequestBodyValidator>();

        // The delivery report's route is mapped by ApiEndpoints; the dispatcher's callback URLs read its path from here.
        services.Configure<DeliveryReportRouteOptions>(route => route.PathBeforeToken = ApiEndpoints.DeliveryReportPath);
        return services;
    }
}
