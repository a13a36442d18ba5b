using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>Objects, the directory index and version history, routed by bucket (see <see cref="ClusterRouter"/>).</summary>
public sealed partial class ClusterRouter
{
    public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Metadata.GetObjectAsync(p.StoreName, key, cancellationToken).ConfigureAwait(false), bucket), r => !r.IsOk, cancellationToken);

    public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(
            record.Bucket,
            async p => Named(await p.Cluster.Metadata.PutObjectAsync(record with { Bucket = p.StoreName }, condition, cancellationToken).ConfigureAwait(false), record.Bucket),
            r => r.IsOk,
            (p, r) => p.Cluster.Metadata.DeleteObjectAsync(p.StoreName, record.Key, r.Value!.Version!, cancellationToken: CancellationToken.None),
            cancellationToken);
    }

    public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<Notifications.PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default) =>
        WriteAsync(bucket, p => p.Cluster.Metadata.DeleteObjectAsync(p.StoreName, key, version, pendingEvents, cancellationToken), s => s == StoreStatus.Ok, null, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Metadata.ReadRangeAsync(p.StoreName, fromSortKey, toSortKey, limit, cancellationToken).ConfigureAwait(false), bucket), r => r.Count == 0, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadListingRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Metadata.ReadListingRangeAsync(p.StoreName, fromSortKey, toSortKey, limit, cancellationToken).ConfigureAwait(false), bucket), r => r.Count == 0, cancellationToken);

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<ListEntry>>(
            bucket,
            async p => (await p.Cluster.Metadata.ReadDirectoryAsync(p.StoreName, directory, fromSortKey, toSortKey, limit, cancellationToken).ConfigureAwait(false))
                .Select(e => e.Object is null ? e : e with { Object = e.Object with { Bucket = bucket } }).ToList(),
            r => r.Count == 0,
            cancellationToken);

    public async Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default)
    {
        var (entry, _) = await _directory.GetAsync(bucket, cancellationToken).ConfigureAwait(false);
        if (entry is not null)
        {
            var placement = _directory.PlacementOf(entry);
            await placement.Cluster.Metadata.PruneDirectoryAsync(placement.StoreName, directory, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task PutVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(version.Bucket, async p =>
        {
            await p.Cluster.Versions.PutVersionAsync(version with { Bucket = p.StoreName }, cancellationToken).ConfigureAwait(false);
            return true;
        }, static done => done, null, cancellationToken);
    }

    public Task<StoreStatus> ReplaceVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return WriteAsync(version.Bucket, p => p.Cluster.Versions.ReplaceVersionAsync(version with { Bucket = p.StoreName }, cancellationToken), s => s == StoreStatus.Ok, null, cancellationToken);
    }

    public Task<StoreResult<ObjectRecord>> GetVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Versions.GetVersionAsync(p.StoreName, key, versionId, cancellationToken).ConfigureAwait(false), bucket), r => !r.IsOk, cancellationToken);

    public Task<StoreStatus> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default) =>
        WriteAsync(bucket, p => p.Cluster.Versions.DeleteVersionAsync(p.StoreName, key, versionId, cancellationToken), s => s == StoreStatus.Ok, null, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadVersionsAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Versions.ReadVersionsAsync(p.StoreName, fromSortKey, toSortKey, limit, cancellationToken).ConfigureAwait(false), bucket), r => r.Count == 0, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadCurrentAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync(bucket, async p => Named(await p.Cluster.Versions.ReadCurrentAsync(p.StoreName, fromSortKey, toSortKey, limit, cancellationToken).ConfigureAwait(false), bucket), r => r.Count == 0, cancellationToken);

    /// <summary>
    /// A read through the remembered entry; one that finds nothing (<paramref name="isMiss"/>) through a remembered
    /// entry reads the directory again and asks the bucket's current placement when it changed.
    /// </summary>
    private async Task<T> ReadAsync<T>(string bucket, Func<BucketPlacement, Task<T>> read, Func<T, bool> isMiss, CancellationToken cancellationToken)
    {
        var (entry, remembered) = await _directory.GetAsync(bucket, cancellationToken).ConfigureAwait(false);
        var placement = PlacementOrNowhere(bucket, entry);
        var result = await read(placement).ConfigureAwait(false);
        if (!remembered || !isMiss(result))
        {
            return result;
        }

        var now = PlacementOrNowhere(bucket, await _directory.ReadAsync(bucket, cancellationToken).ConfigureAwait(false));
        return now.Cluster.Name == placement.Cluster.Name && now.Incarnation == placement.Incarnation ? result : await read(now).ConfigureAwait(false);
    }

    /// <summary>
    /// A write through an entry that accepts writes, then the fence check (see <see cref="ClusterRouter"/>) when it
    /// changed something (<paramref name="changed"/>). <paramref name="undo"/> takes a write back out of an
    /// incarnation that is gone.
    /// </summary>
    private async Task<T> WriteAsync<T>(string bucket, Func<BucketPlacement, Task<T>> write, Func<T, bool> changed, Func<BucketPlacement, T, Task>? undo, CancellationToken cancellationToken)
    {
        var (entry, _) = await _directory.GetAsync(bucket, cancellationToken).ConfigureAwait(false);
        if (entry is null || !BucketDirectory.AcceptsWrites(entry))
        {
            _directory.Forget(bucket);
            throw Moving(bucket);
        }

        var placement = _directory.PlacementOf(entry);
        var result = await write(placement).ConfigureAwait(false);
        if (!changed(result))
        {
            return result;
        }

        var record = await placement.Cluster.Metadata.GetBucketAsync(placement.StoreName, cancellationToken).ConfigureAwait(false);
        if (BucketDirectory.AdmitsWrite(record.IsOk ? record.Value : null, placement.Incarnation))
        {
            return result;
        }

        _directory.Forget(bucket);
        if (!record.IsOk && undo is not null)
        {
            await undo(placement, result).ConfigureAwait(false);
        }

        throw Moving(bucket);
    }

    /// <summary>
    /// The entry's placement; for a bucket with no entry (deleted: maintenance jobs still ask about its blobs and
    /// uploads) the home cluster under the plain name, where nothing of it is, so reads find nothing.
    /// </summary>
    private BucketPlacement PlacementOrNowhere(string bucket, BucketRecord? entry) =>
        entry is null ? new BucketPlacement(_clusters.Home, bucket, null) : _directory.PlacementOf(entry);

    private static StoreResult<ObjectRecord> Named(StoreResult<ObjectRecord> result, string bucket) =>
        result.Value is { } value ? result with { Value = value with { Bucket = bucket } } : result;

    private static IReadOnlyList<ObjectRecord> Named(IReadOnlyList<ObjectRecord> records, string bucket) =>
        records.Select(r => r with { Bucket = bucket }).ToList();
}
