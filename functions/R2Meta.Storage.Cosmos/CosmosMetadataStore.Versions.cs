using System.Net;
using Microsoft.Azure.Cosmos;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// The version history (<see cref="IVersionStore"/>): history entries are object documents in the bucket's
/// partition of the objects container with <c>kind</c> "version", id <see cref="ObjectDocument.HistoryIdOf"/> and
/// sort key <see cref="VersionIds.SortKey"/>, and no <c>level</c>, so neither object range queries nor the directory
/// index read them. Each call is one single-document request or one query: no transaction is needed (see
/// <see cref="IVersionStore"/> for why a crash leaves at most a duplicate of a committed version).
/// </summary>
public sealed partial class CosmosMetadataStore
{
    internal const string VersionRangeQuery =
        "SELECT TOP @limit * FROM c WHERE c.bucket = @bucket AND c.kind = @kind AND c.sortKey >= @from AND c.sortKey < @to ORDER BY c.sortKey";
    internal const string VersionOpenRangeQuery =
        "SELECT TOP @limit * FROM c WHERE c.bucket = @bucket AND c.kind = @kind AND c.sortKey >= @from ORDER BY c.sortKey";
    internal const string CurrentRangeQuery =
        "SELECT TOP @limit * FROM c WHERE c.bucket = @bucket AND c.sortKey >= @from AND c.sortKey < @to AND (NOT IS_DEFINED(c.kind) OR c.kind = @kind) ORDER BY c.sortKey";
    internal const string CurrentOpenRangeQuery =
        "SELECT TOP @limit * FROM c WHERE c.bucket = @bucket AND c.sortKey >= @from AND (NOT IS_DEFINED(c.kind) OR c.kind = @kind) ORDER BY c.sortKey";

    public Task PutVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var document = ObjectDocument.HistoryFromRecord(version);
        return CosmosGuard.RunAsync(async () =>
        {
            await _objects.UpsertItemAsync(document, _partitioning.Of(version.Bucket, version.Key), WithoutContent(), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task<StoreStatus> ReplaceVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var document = ObjectDocument.HistoryFromRecord(version);
        var ifMatch = RequireVersion(version.Version);
        return CosmosGuard.RunAsync(async () =>
        {
            try
            {
                await _objects.ReplaceItemAsync(document, document.Id, _partitioning.Of(version.Bucket, version.Key), WithoutContent(ifMatch), cancellationToken).ConfigureAwait(false);
                return StoreStatus.Ok;
            }
            catch (CosmosException e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
            {
                return StoreStatus.PreconditionFailed;
            }
        }, cancellationToken);
    }

    public Task<StoreResult<ObjectRecord>> GetVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            var response = await _objects.ReadItemAsync<ObjectDocument>(
                ObjectDocument.HistoryIdOf(key, versionId), _partitioning.Of(bucket, key), cancellationToken: cancellationToken).ConfigureAwait(false);
            return StoreResult<ObjectRecord>.Ok(response.Resource.ToRecord(response.ETag));
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
        }
    }, cancellationToken);

    public Task<StoreStatus> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) => CosmosGuard.RunAsync(async () =>
    {
        try
        {
            await _objects.DeleteItemAsync<ObjectDocument>(
                ObjectDocument.HistoryIdOf(key, versionId), _partitioning.Of(bucket, key), WithoutContent(), cancellationToken).ConfigureAwait(false);
            return StoreStatus.Ok;
        }
        catch (CosmosException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return StoreStatus.NotFound;
        }
    }, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadVersionsAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync(toSortKey is null ? VersionOpenRangeQuery : VersionRangeQuery, CosmosModel.VersionKind, bucket, fromSortKey, toSortKey, limit, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadCurrentAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        QueryRecordsAsync(toSortKey is null ? CurrentOpenRangeQuery : CurrentRangeQuery, CosmosModel.MarkerKind, bucket, fromSortKey, toSortKey, limit, cancellationToken);

    /// <summary>Records of one bucket in a sort-key range, by one of the range queries (<paramref name="kind"/> for those that name a document kind).</summary>
    private Task<IReadOnlyList<ObjectRecord>> QueryRecordsAsync(string text, string? kind, string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = new QueryDefinition(text)
            .WithParameter("@limit", limit)
            .WithParameter("@bucket", bucket)
            .WithParameter("@from", fromSortKey);
        if (kind is not null)
        {
            query = query.WithParameter("@kind", kind);
        }

        if (toSortKey is not null)
        {
            query = query.WithParameter("@to", toSortKey);
        }

        var options = BucketQuery(bucket, limit);
        return CosmosGuard.RunAsync(async () =>
        {
            using var iterator = _objects.GetItemQueryIterator<ObjectDocument>(query, requestOptions: options);
            var records = new List<ObjectRecord>(Math.Min(limit, 1000));
            // A page may come back short (time or RU budget per page) with more to read.
            while (records.Count < limit && iterator.HasMoreResults)
            {
                var page = await iterator.ReadNextAsync(cancellationToken).ConfigureAwait(false);
                records.AddRange(page.Take(limit - records.Count).Select(document => document.ToRecord()));
            }

            return (IReadOnlyList<ObjectRecord>)records;
        }, cancellationToken);
    }
}
