using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Maintenance;

namespace R2Meta.Domain.Notifications;

/// <summary>Whether commits start delivery at once in-process (tests of crash recovery turn it off).</summary>
public sealed record NotificationOptions
{
    public bool DispatchAfterCommit { get; init; } = true;
    /// <summary>Events read per store query while draining a bucket.</summary>
    public int Page { get; init; } = 100;
}

/// <summary>
/// Delivers pending events (<see cref="IEventOutbox"/>) to their queues and clears each after the queue took it:
/// at least once — a crash between send and clear sends that event again — and never lost, since an event is only
/// cleared after its send succeeded. Per bucket it goes in sequencer order and stops at the first event it cannot
/// send (a missing queue, an outage), so a key's events never overtake each other; the next run starts there again.
/// Runs after every commit that recorded events (in the background, at most one drain per bucket per process), on the
/// Kestrel host's notification scheduler and on a Functions timer trigger; runs on several instances may overlap,
/// which costs only duplicate deliveries.
/// </summary>
public sealed class NotificationDispatcher : IMaintenanceJob
{
    public const string JobName = "NotificationDispatcher";

    private readonly IEventOutbox _outbox;
    private readonly IEventQueue _queue;
    private readonly NotificationOptions _options;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _draining = new(StringComparer.Ordinal);

    public NotificationDispatcher(IEventOutbox outbox, IEventQueue queue, NotificationOptions options, ILogger<NotificationDispatcher> logger)
    {
        _outbox = outbox;
        _queue = queue;
        _options = options;
        _logger = logger;
    }

    public string Name => JobName;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var bucket in await _outbox.ListNotifyingBucketsAsync(cancellationToken).ConfigureAwait(false))
        {
            await DrainAsync(bucket, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Starts draining <paramref name="bucket"/> in the background after a commit recorded events there (unless turned off).</summary>
    public void AfterCommit(string bucket)
    {
        if (_options.DispatchAfterCommit)
        {
            // Not the request's context: its round-trip count, cost and span must not include the delivery.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => DrainAsync(bucket, CancellationToken.None));
            }
        }
    }

    /// <summary>Delivers the bucket's pending events; returns how many it delivered. Failures are logged: the events stay pending.</summary>
    public async Task<int> DrainAsync(string bucket, CancellationToken cancellationToken)
    {
        var gate = _draining.GetOrAdd(bucket, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var delivered = 0;
        try
        {
            while (true)
            {
                var page = await _outbox.ReadPendingAsync(bucket, _options.Page, cancellationToken).ConfigureAwait(false);
                foreach (var pending in page)
                {
                    await _queue.SendAsync(pending.Queue, S3EventMessage.QueueText(pending), cancellationToken).ConfigureAwait(false);
                    await _outbox.ClearAsync(pending, cancellationToken).ConfigureAwait(false);
                    delivered++;
                }

                if (page.Count < _options.Page)
                {
                    return delivered;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.NotificationDeliveryFailed(_logger, e, bucket, delivered);
            return delivered;
        }
        finally
        {
            gate.Release();
        }
    }
}
