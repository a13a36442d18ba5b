using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Notifications;

namespace R2Meta.Functions;

/// <summary>
/// One timer trigger per maintenance job (the Kestrel host runs the same jobs from MaintenanceScheduler).
/// The Functions host holds a lease per timer function, so one instance runs each at a time; the jobs are
/// safe to overlap anyway. Schedules are NCRONTAB with seconds.
/// </summary>
public sealed class MaintenanceFunctions
{
    public const string OrphanSweeperSchedule = "0 */15 * * * *";
    public const string ExpiredUploadsSchedule = "0 30 * * * *";
    public const string EmptyDirectorySweeperSchedule = "0 45 * * * *";
    public const string LifecycleSchedule = "0 5 * * * *";
    /// <summary>Pending event notifications: every 10 seconds (commits also start delivery at once in-process).</summary>
    public const string NotificationDispatcherSchedule = "*/10 * * * * *";

    private readonly IServiceProvider _services;

    public MaintenanceFunctions(IServiceProvider services) => _services = services;

    [Function(OrphanBlobSweeper.JobName)]
    public Task SweepOrphanBlobsAsync([TimerTrigger(OrphanSweeperSchedule)] TimerInfo timer, CancellationToken cancellationToken) => RunAsync<OrphanBlobSweeper>(timer, cancellationToken);

    [Function(ExpiredUploadsJob.JobName)]
    public Task AbortExpiredUploadsAsync([TimerTrigger(ExpiredUploadsSchedule)] TimerInfo timer, CancellationToken cancellationToken) => RunAsync<ExpiredUploadsJob>(timer, cancellationToken);

    [Function(EmptyDirectorySweeper.JobName)]
    public Task SweepEmptyDirectoriesAsync([TimerTrigger(EmptyDirectorySweeperSchedule)] TimerInfo timer, CancellationToken cancellationToken) => RunAsync<EmptyDirectorySweeper>(timer, cancellationToken);

    [Function(LifecycleJob.JobName)]
    public Task RunLifecycleAsync([TimerTrigger(LifecycleSchedule)] TimerInfo timer, CancellationToken cancellationToken) => RunAsync<LifecycleJob>(timer, cancellationToken);

    [Function(NotificationDispatcher.JobName)]
    public Task DispatchNotificationsAsync([TimerTrigger(NotificationDispatcherSchedule)] TimerInfo timer, CancellationToken cancellationToken) => RunAsync<NotificationDispatcher>(timer, cancellationToken);

    /// <summary>A failure propagates, so the Functions host records the invocation as failed (and r2meta.maintenance.job.runs counts it).</summary>
    private Task RunAsync<TJob>(TimerInfo timer, CancellationToken cancellationToken)
        where TJob : IMaintenanceJob
    {
        ArgumentNullException.ThrowIfNull(timer);
        return MaintenanceRun.RunAsync(_services.GetRequiredService<TJob>(), cancellationToken);
    }
}
