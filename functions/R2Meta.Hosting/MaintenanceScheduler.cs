using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using R2Meta.Domain.Maintenance;

namespace R2Meta.Hosting;

/// <summary>When the Kestrel host runs its maintenance jobs.</summary>
public sealed record MaintenanceSchedule
{
    /// <summary>Delay before the first run: soon, but after start-up has settled.</summary>
    public TimeSpan FirstRun { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time between runs; zero or less turns the scheduler off.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(15);

    public static MaintenanceSchedule From(R2MetaSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new MaintenanceSchedule { Interval = TimeSpan.FromMinutes(settings.MaintenanceIntervalMinutes) };
    }
}

/// <summary>
/// The Kestrel host's stand-in for the Functions timer triggers: runs every <see cref="IMaintenanceJob"/>
/// one after another, then waits <see cref="MaintenanceSchedule.Interval"/>. A failing job is logged and
/// retried on the next round; it never stops the host or the other jobs.
/// </summary>
public sealed partial class MaintenanceScheduler : BackgroundService
{
    private readonly IReadOnlyList<IMaintenanceJob> _jobs;
    private readonly MaintenanceSchedule _schedule;
    private readonly TimeProvider _time;
    private readonly ILogger<MaintenanceScheduler> _logger;

    public MaintenanceScheduler(IEnumerable<IMaintenanceJob> jobs, MaintenanceSchedule schedule, TimeProvider time, ILogger<MaintenanceScheduler> logger)
    {
        _jobs = [.. jobs];
        _schedule = schedule;
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_schedule.Interval <= TimeSpan.Zero || _jobs.Count == 0)
        {
            return;
        }

        try
        {
            await Task.Delay(_schedule.FirstRun, _time, stoppingToken).ConfigureAwait(false);
            using var timer = new PeriodicTimer(_schedule.Interval, _time);
            do
            {
                foreach (var job in _jobs)
                {
                    await RunOneAsync(job, stoppingToken).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    private async Task RunOneAsync(IMaintenanceJob job, CancellationToken stoppingToken)
    {
        try
        {
            await MaintenanceRun.RunAsync(job, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            JobFailed(_logger, e, job.Name);
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Error, Message = "Maintenance job {Job} failed; it runs again next interval")]
    private static partial void JobFailed(ILogger logger, Exception exception, string job);
}
