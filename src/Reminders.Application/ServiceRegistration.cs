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

/// <summary>Registers the use cases, the write primitive and the jobs (R13 nightly, replanning).</summary>
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
        services.AddScoped<ReportScope>();
        services.AddScoped<ReportQueries>();
        services.AddScoped<RegionQueries>();
        services.AddSingleton<VasImportRuns>();
        services.AddScoped<Admin.AuditQueries>();
        services.AddScoped<Admin.AdminSettings>();
        services.AddScoped<Admin.StaffDirectory>();
        services.AddCheckedOptions<GuardianNumbersAt13Options>("Jobs:GuardianNumbersAt13");
        services.AddSingleton<IValidateOptions<GuardianNumbersAt13Options>, GuardianNumbersAt13OptionsValidator>();
        services.AddSingleton<GuardianNumbersAt13Job>();
        services.AddHostedService<GuardianNumbersAt13Service>();

        // Rule book revisions and policy changes (R26, R28) replan the pending SMS (docs/decisions/0015).
        services.AddCheckedOptions<ReplanningOptions>("Jobs:Replanning");
        services.AddSingleton<ReplanningJob>();
        services.AddHostedService<ReplanningService>();
        return services;
    }
}
