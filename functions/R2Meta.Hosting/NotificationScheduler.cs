using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Notifications;

namespace R2Meta.Hosting;

/// <summary>
/// The Kestrel host's periodic notification dispatch (the Functions host runs the same job on a timer trigger): every
/// R2META_NOTIFICATION_DISPATCH_SECONDS it delivers whatever is pending — events of commits whose in-process dispatch
/// failed, was turned off, or died with a previous process. Starts with a run, so a restarted host delivers at once.
/// </summary>
public sealed partial class NotificationScheduler : BackgroundService
{
    private readonly NotificationDispatcher _dispatcher;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger<NotificationScheduler> _logger;

    public NotificationScheduler(NotificationDispatcher dispatcher, R2MetaSettings settings, TimeProvider time, ILogger<NotificationScheduler> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _dispatcher = dispatcher;
        _interval = TimeSpan.FromSeconds(settings.NotificationDispatchSeconds);
        _time = time;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(_interval, _time);
            do
            {
                try
                {
                    await MaintenanceRun.RunAsync(_dispatcher, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    DispatchFailed(_logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }
    }

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "Notification dispatch failed; it runs again next interval")]
    private static partial void DispatchFailed(ILogger logger, Exception exception);
}
