namespace R2Meta.Domain.Notifications;

/// <summary>The notification destination port: Azure Storage queues of the notification queue account.</summary>
public interface IEventQueue
{
    /// <summary>Whether the queue exists (PutBucketNotificationConfiguration validates its destinations).</summary>
    Task<bool> ExistsAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Sends one message (already encoded, see <see cref="S3EventMessage.QueueText"/>); throws when the queue did not take it.</summary>
    Task SendAsync(string queue, string message, CancellationToken cancellationToken = default);
}

/// <summary>
/// The pending events a metadata adapter recorded with its commits (see <see cref="PendingEvent"/>), for the
/// dispatcher. Both adapters implement it beside <see cref="Storage.IMetadataStore"/>.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Names of the buckets whose record has a notification configuration (possibly emptied since): where events can be pending.</summary>
    Task<IReadOnlyList<string>> ListNotifyingBucketsAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> of the bucket's pending events, in sequencer order.</summary>
    Task<IReadOnlyList<PendingEvent>> ReadPendingAsync(string bucket, int limit, CancellationToken cancellationToken = default);

    /// <summary>Removes a delivered event. Idempotent: an event already cleared is no error.</summary>
    Task ClearAsync(PendingEvent pending, CancellationToken cancellationToken = default);
}
