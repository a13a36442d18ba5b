using Azure;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// The version history (<see cref="IVersionStore"/>) in its own table, <c>{prefix}versions</c>: PartitionKey =
/// bucket, RowKey = <see cref="VersionIds.SortKey"/> (the encoded key, then the version id packed to 7 units: at
/// most 512 UTF-16 units, which leaves no room for a marker prefix in the objects table). Entities have the object
/// entity's shape (<see cref="ObjectEntityMapper"/>, schema version 3). A separate table keeps the history out of
/// every scan of current objects and of the directory index by construction.
/// </summary>
public sealed partial class TableMetadataStore
{
    public Task PutVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var entity = ObjectEntityMapper.ToEntity(version);
        entity.RowKey = VersionIds.SortKey(version.Key, version.VersionId ?? throw new ArgumentException("A history entry needs a version id.", nameof(version)));
        return TableGuard.RunAsync(() => _versions.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken), cancellationToken);
    }

    public Task<StoreStatus> ReplaceVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var entity = ObjectEntityMapper.ToEntity(version);
        entity.RowKey = VersionIds.SortKey(version.Key, version.VersionId ?? throw new ArgumentException("A history entry needs a version id.", nameof(version)));
        var etag = new ETag(version.Version ?? throw new ArgumentException("A replace needs the version read.", nameof(version)));
        return TableGuard.RunAsync(async () =>
        {
            try
            {
                await _versions.UpdateEntityAsync(entity, etag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return StoreStatus.Ok;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                return StoreStatus.PreconditionFailed;
            }
        }, cancellationToken);
    }

    public Task<StoreResult<ObjectRecord>> GetVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        var entity = await GetEntityIfExistsAsync(_versions, bucket, VersionIds.SortKey(key, versionId), select: null, cancellationToken).ConfigureAwait(false);
        if (entity is null)
        {
            return StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
        }

        var record = ObjectEntityMapper.FromEntity(entity);
        return record.Key == key ? StoreResult<ObjectRecord>.Ok(record) : StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
    }, cancellationToken);

    public Task<StoreStatus> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) => TableGuard.RunAsync(async () =>
    {
        try
        {
            // The SDK answers a delete of a missing entity with the 404 response instead of throwing.
            var response = await _versions.DeleteEntityAsync(bucket, VersionIds.SortKey(key, versionId), ETag.All, cancellationToken).ConfigureAwait(false);
            return response.Status == 404 ? StoreStatus.NotFound : StoreStatus.Ok;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return StoreStatus.NotFound;
        }
    }, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadVersionsAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var filter = toSortKey is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {fromSortKey}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {fromSortKey} and RowKey lt {toSortKey}");
        return TableGuard.RunAsync(() => ReadRowsAsync(_versions, filter, limit, ObjectEntityMapper.FromEntity, keep: null, select: null, cancellationToken), cancellationToken);
    }

    public Task<IReadOnlyList<ObjectRecord>> ReadCurrentAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var aboveAll = SortKeyCodec.AboveAll.ToString();
        var to = toSortKey is null || string.CompareOrdinal(toSortKey, aboveAll) > 0 ? aboveAll : toSortKey;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {bucket} and RowKey ge {fromSortKey} and RowKey lt {to}");
        return TableGuard.RunAsync(() => ReadRowsAsync(_objects, filter, limit, ObjectEntityMapper.FromEntity, keep: null, select: null, cancellationToken), cancellationToken);
    }
}
