using Microsoft.Extensions.DependencyInjection;

namespace Reminders.Infrastructure.VasImport;

/// <summary>Registers the VAS migration (R30–R36).</summary>
public static class VasImportRegistration
{
    /// <summary>Adds <see cref="VasImporter"/> (scoped: it uses the scope's context).</summary>
    public static IServiceCollection AddVasImport(this IServiceCollection services) => services.AddScoped<VasImporter>();
}
