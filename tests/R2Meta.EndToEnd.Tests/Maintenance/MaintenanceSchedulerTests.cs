using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using R2Meta.Domain.Maintenance;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Hosting;

namespace R2Meta.EndToEnd.Tests.Maintenance;

/// <summary>The Kestrel host's periodic runner of maintenance jobs.</summary>
public sealed class MaintenanceSchedulerTests(TablesHost host) : IClassFixture<TablesHost>
{
    [Fact]
    public async Task Scheduler_JobKeepsFailing_OtherJobsAndLaterRoundsStillRun()
    {
        var failing = new CountingJob("failing", fail: true);
        var healthy = new CountingJob("healthy", fail: false);
        var schedule = new MaintenanceSchedule { FirstRun = TimeSpan.FromMilliseconds(10), Interval = TimeSpan.FromMilliseconds(50) };
        using var scheduler = new MaintenanceScheduler([failing, healthy], schedule, TimeProvider.System, NullLogger<MaintenanceScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await healthy.WaitForRunsAsync(3);
        Assert.True(failing.Runs >= 3, $"the failing job ran {failing.Runs} times");
        Assert.False(scheduler.ExecuteTask!.IsCompleted, "the scheduler stopped after a failure");

        await scheduler.StopAsync(CancellationToken.None);
        Assert.True(scheduler.ExecuteTask.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Scheduler_IntervalZero_RunsNothing()
    {
        var job = new CountingJob("job", fail: false);
        var schedule = new MaintenanceSchedule { FirstRun = TimeSpan.Zero, Interval = TimeSpan.Zero };
        using var scheduler = new MaintenanceScheduler([job], schedule, TimeProvider.System, NullLogger<MaintenanceScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await Task.Delay(100);
        await scheduler.StopAsync(CancellationToken.None);

        Assert.Equal(0, job.Runs);
    }

    [Fact]
    public void KestrelHost_RunsTheSchedulerOverTheRegisteredJobs()
    {
        Assert.Contains(host.Services.GetServices<IHostedService>(), s => s is MaintenanceScheduler);
        var sweeper = host.Services.GetRequiredService<OrphanBlobSweeper>();
        Assert.Contains(host.Services.GetServices<IMaintenanceJob>(), j => ReferenceEquals(j, sweeper));
        Assert.Equal(OrphanBlobSweeper.JobName, sweeper.Name);
        Assert.Equal(TimeSpan.FromMinutes(15), host.Services.GetRequiredService<MaintenanceSchedule>().Interval);
    }

    private sealed class CountingJob(string name, bool fail) : IMaintenanceJob
    {
        private int _runs;
        private readonly SemaphoreSlim _ran = new(0);

        public string Name => name;

        public int Runs => Volatile.Read(ref _runs);

        public Task RunAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            _ran.Release();
            return fail ? throw new InvalidOperationException("job failed") : Task.CompletedTask;
        }

        public async Task WaitForRunsAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _ran.WaitAsync(TimeSpan.FromSeconds(10)), $"{name} ran only {i} times");
            }
        }
    }
}
