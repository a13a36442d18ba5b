using Azure;
using Azure.Data.Tables;
using R2Meta.Domain.Notifications;

namespace R2Meta.Storage.Tables;

/// <summary>
/// <see cref="IEventOutbox"/>: the dispatcher reads a bucket's outbox rows (<see cref="OutboxEntityMapper"/>), one range
/// query of one partition, and deletes each row after delivery. Buckets that may hold events are those whose entity
/// has a notification configuration (a filter on the buckets partition).
/// </summary>
public sealed partial class TableMetadataStore : IEventOutbox
{
    public Task<IReadOnlyList<string>> ListNotifyingBucketsAsync(CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        // The property name is part of the filter's text, not a value CreateQueryFilter would quote.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {BucketEntityMapper.Partition}") + $" and {BucketEntityMapper.HasNotificationsProperty} eq true";
        var names = new List<string>();
        await foreach (var entity in _buckets.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            names.Add(entity.RowKey);
        }

        return (IReadOnlyList<string>)names;
    }, cancellationToken);

    public Task<IReadOnlyList<PendingEvent>> ReadPendingAsync(string bucket, int limit, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {OutboxEntityMapper.From} and RowKey lt {OutboxEntityMapper.To}");
        return TableGuard.RunAsync(() => ReadRowsAsync(_objects, filter, limit, OutboxEntityMapper.FromEntity, keep: null, select: null, cancellationToken), cancellationToken);
    }

    public Task ClearAsync(PendingEvent pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        // The SDK answers a delete of a missing entity (cleared already) with its 404 response: idempotent.
        return TableGuard.RunAsync(
            () => _objects.DeleteEntityAsync(pending.Bucket, OutboxEntityMapper.RowKey(pending), ETag.All, cancellationToken),
            cancellationToken);
    }
}
