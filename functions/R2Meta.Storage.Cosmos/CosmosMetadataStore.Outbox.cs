using System.Net;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// Event notifications on Cosmos DB without transactions across documents (cosmosdb-server cannot run a
/// TransactionalBatch, and none is needed): every pending event lives in the document of the key whose commit caused
/// it (<see cref="ObjectDocument.Events"/>), so the one conditional write that commits a put, copy, complete or delete
/// marker records its events too, and the next commit of the key carries the undelivered ones on (it is conditioned on
/// the version it read, events included). A delete in a notifying bucket cannot remove the document without losing
/// them: it replaces the document, conditioned on the version it deletes, by a tombstone (kind "outbox") holding the
/// events still pending plus its own. A tombstone is invisible: point reads answer NotFound, and no range query
/// (objects, markers, history, directories) selects its kind. A create that finds a tombstone replaces it conditioned
/// on the tombstone's version and keeps its events. The dispatcher finds documents by the indexed flag
/// <c>pending</c>, and clears a delivered event with a replace conditioned on the document's version (a commit in
/// between makes it read again), deleting a tombstone once it holds no event.
/// </summary>
public sealed partial class CosmosMetadataStore : IEventOutbox
{
    private const string NotifyingBucketsQuery = "SELECT c.id FROM c WHERE c.notifying = true";
    private const string PendingQuery = "SELECT TOP @limit * FROM c WHERE c.bucket = @bucket AND c.pending = true";
    private const int ClearAttempts = 16;

    public Task<IReadOnlyList<string>> ListNotifyingBucketsAsync(CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        using var iterator = _buckets.GetItemQueryIterator<IdOnly>(new QueryDefinition(NotifyingBucketsQuery));
        var names = new List<string>();
        while (iterator.HasMoreResults)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            names.AddRange(page.Select(d => d.Id));
        }

        return (IReadOnlyList<string>)names;
    }, cancellationToken);

    /// <summary>Up to <paramref name="limit"/> documents' events, each document's in sequencer order (the order that matters: per key).</summary>
    public Task<IReadOnlyList<PendingEvent>> ReadPendingAsync(string bucket, int limit, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        var query = new QueryDefinition(PendingQuery).WithParameter("@bucket", bucket).WithParameter("@limit", limit);
        using var iterator = _objects.GetItemQueryIterator<ObjectDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = _partitioning.OfBucket(bucket) });
        var events = new List<PendingEvent>();
        while (iterator.HasMoreResults && events.Count < limit)
        {
            var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
            events.AddRange(page.SelectMany(d => d.Events ?? []));
        }

        return (IReadOnlyList<PendingEvent>)[.. events.OrderBy(e => e.Sequencer, StringComparer.Ordinal).ThenBy(e => e.Id, StringComparer.Ordinal)];
    }, cancellationToken);

    public Task ClearAsync(PendingEvent pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        return CosmosGuard.RunAsync(async () =>
        {
            var id = ObjectDocument.IdOf(pending.Key);
            var partitionKey = _partitioning.Of(pending.Bucket, pending.Key);
            for (var attempt = 0; attempt < ClearAttempts; attempt++)
            {
                ObjectDocument document;
                try
                {
                    document = (await _objects.ReadItemAsync<ObjectDocument>(id, partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Resource;
                }
                catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    return;
                }

                if (document.Events?.Any(e => e.Id == pending.Id) != true)
                {
                    return;
                }

                List<PendingEvent> rest = [.. document.Events.Where(e => e.Id != pending.Id)];
                try
                {
                    if (document.IsTombstone && rest.Count == 0)
                    {
                        await _objects.DeleteItemAsync<ObjectDocument>(id, partitionKey, WithoutContent(document.CosmosETag), cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        var cleared = document.IsTombstone
                            ? ObjectDocument.Tombstone(pending.Bucket, pending.Key, rest)
                            : ObjectDocument.FromRecord(document.ToRecord() with { PendingEvents = rest });
                        await _objects.ReplaceItemAsync(cleared, id, partitionKey, WithoutContent(document.CosmosETag), cancellationToken).ConfigureAwait(false);
                    }

                    return;
                }
                catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
                {
                    // A commit in between: read the document it wrote, which carries the event on (or deleted it).
                }
            }

            throw new InvalidOperationException($"Event {pending.Id} of {pending.Bucket} could not be cleared: its document kept changing.");
        }, cancellationToken);
    }

    /// <summary>
    /// A create of a key whose document exists: a tombstone is replaced, conditioned on its version, by the new object
    /// carrying the tombstone's events first; anything else is AlreadyExists, as before.
    /// </summary>
    private async Task<StoreResult<ObjectRecord>> ReplaceTombstoneAsync(ObjectRecord record, CancellationToken cancellationToken)
    {
        var partitionKey = _partitioning.Of(record.Bucket, record.Key);
        try
        {
            var found = await _objects.ReadItemAsync<ObjectDocument>(ObjectDocument.IdOf(record.Key), partitionKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!found.Resource.IsTombstone)
            {
                return StoreResult<ObjectRecord>.Fail(StoreStatus.AlreadyExists);
            }

            var merged = record with { PendingEvents = EventRecorder.Merge(found.Resource.Events, record.PendingEvents) };
            var document = ObjectDocument.FromRecord(merged);
            var response = await _objects.ReplaceItemAsync(document, document.Id, partitionKey, WithoutContent(found.ETag), cancellationToken).ConfigureAwait(false);
            return StoreResult<ObjectRecord>.Ok(merged with { Version = response.ETag });
        }
        catch (CosmosException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            // The tombstone went or changed meanwhile: the caller's next round tries again.
            return StoreResult<ObjectRecord>.Fail(StoreStatus.AlreadyExists);
        }
    }
}
