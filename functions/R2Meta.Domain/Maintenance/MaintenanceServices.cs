using Microsoft.Extensions.DependencyInjection;

namespace R2Meta.Domain.Maintenance;

/// <summary>Registers maintenance jobs so both hosts find them: by type (a timer trigger) and as <see cref="IMaintenanceJob"/> (the Kestrel scheduler).</summary>
public static class MaintenanceServices
{
    public static IServiceCollection AddMaintenanceJob<TJob>(this IServiceCollection services)
        where TJob : class, IMaintenanceJob
    {
        services.AddSingleton<TJob>();
        services.AddSingleton<IMaintenanceJob>(static provider => provider.GetRequiredService<TJob>());
        return services;
    }

    public static IServiceCollection AddMaintenanceJob<TJob>(this IServiceCollection services, Func<IServiceProvider, TJob> factory)
        where TJob : class, IMaintenanceJob
    {
        services.AddSingleton(factory);
        services.AddSingleton<IMaintenanceJob>(static provider => provider.GetRequiredService<TJob>());
        return services;
    }
}
