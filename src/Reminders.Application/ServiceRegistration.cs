using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Reminders.Application.Bookings;
using Reminders.Application.Changes;
using Reminders.Application.CheckIn;
using Reminders.Application.EService;
using Reminders.Application.Jobs;
using Reminders.Application.Patients;
using Reminders.Application.Reports;
using Reminders.Application.Units;
using Reminders.Application.VasImport;
using Reminders.Infrastructure.Configuration;
using Reminders.Infrastructure.Planning;

namespace Reminders.Application;

/// <summary>Registers the use cases, the write primitive and the nightly R13 job.</summary>
public static class ServiceRegistration
{
    /// <summary>Adds the application layer; the store, audit and messaging services are registered by their owners.</summary>
    public static IServiceCollection AddRemindersApplication(this IServiceCollection services)
    {
        services.AddScoped<ReminderPlanner>();
        services.AddScoped<ChangeWriter>();
        services.AddScoped<UnitsHandler>();
        services.AddScoped<PatientsHandler>();
        services.AddScoped<BookingsHandler>();
        services.AddScoped<EServiceRequestsHandler>();
        services.AddScoped<EServiceInbox>();
        services.AddScoped<CheckInQueries>();
        services.AddCheckedOptions<CheckInOptions>("CheckIn");
        services.AddSingleton<IValidateOptions<CheckInOptions>, CheckInOptionsValidator>();
        services.AddScoped<ReportScope>();
        services.AddScoped<ReportQueries>();
        services.AddSingleton<VasImportRuns>();
        services.AddScoped<Admin.AuditQueries>();
        services.AddScoped<Admin.AdminSettings>();
        services.AddScoped<Admin.StaffDirectory>();
        services.AddCheckedOptions<GuardianNumbersAt13Options>("Jobs:GuardianNumbersAt13");
        services.AddSingleton<IValidateOptions<GuardianNumbersAt13Options>, GuardianNumbersAt13OptionsValidator>();
        services.AddSingleton<GuardianNumbersAt13Job>();
        services.AddHostedService<GuardianNumbersAt13Service>();
        return services;
    }
}
