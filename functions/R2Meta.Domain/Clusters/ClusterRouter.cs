using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>
/// The metadata ports of a deployment with several clusters: every call about a bucket goes to the cluster the
/// bucket directory names, under the incarnation's store name, and comes back with the bucket's own name.
/// <para>
/// Fencing. A write first needs an entry that accepts writes (else 503 SlowDown: a move is switching). After its
/// commit it reads the cluster's record of the bucket (one point read): only a record of the same incarnation that
/// is Active or Copying lets the write stand. Otherwise the bucket was fenced for a move or deleted meanwhile; the
/// entry is forgotten and the request answers 503 SlowDown, so the client retries through a fresh entry. A mover
/// or deleter changes that record before it looks at the objects, so a write the check admitted is one the mover's
/// final copy or the deleter's emptiness check sees: no acknowledged write is lost. A write into an incarnation
/// that is gone is taken back out of its (unread) key range.
/// </para>
/// <para>
/// Reads go to the remembered entry's cluster. A read that finds nothing through a remembered entry reads the
/// directory again and, when the bucket now lives elsewhere, asks there: a stale entry costs one more read,
/// never a wrong NoSuchKey.
/// </para>
/// </summary>
public sealed partial class ClusterRouter : IMetadataStore, IVersionStore, IUploadStore
{
    private readonly ClusterSet _clusters;
    private readonly BucketDirectory _directory;

    public ClusterRouter(ClusterSet clusters, BucketDirectory directory)
    {
        _clusters = clusters;
        _directory = directory;
    }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        foreach (var cluster in _clusters.All)
        {
            await cluster.Metadata.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The directory entry (read fresh: this is the bucket cache's miss path) joined with the cluster's record of
    /// the incarnation, which holds the bucket's settings; NotFound while either is missing.
    /// </summary>
    public async Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default)
    {
        var entry = await _directory.ReadAsync(name, cancellationToken).ConfigureAwait(false);
        if (entry is null || BucketPlacement.IsStoreRecord(entry))
        {
            return StoreResult<BucketRecord>.Fail(StoreStatus.NotFound);
        }

        if (entry.Incarnation is null)
        {
            return StoreResult<BucketRecord>.Ok(entry);
        }

        var placement = _directory.PlacementOf(entry);
        var record = await placement.Cluster.Metadata.GetBucketAsync(placement.StoreName, cancellationToken).ConfigureAwait(false);
        return record.IsOk ? StoreResult<BucketRecord>.Ok(Join(entry, record.Value!)) : StoreResult<BucketRecord>.Fail(StoreStatus.NotFound);
    }

    /// <summary>
    /// Creates the cluster's record of a new incarnation (<see cref="BucketRecord.Incarnation"/> and
    /// <see cref="BucketRecord.Cluster"/> set), then the directory entry, which is the commit point: a crash in
    /// between leaves a record no entry names. A name taken meanwhile removes the record again.
    /// </summary>
    public async Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (bucket.Incarnation is null)
        {
            return await _clusters.Home.Metadata.CreateBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }

        var placement = new BucketPlacement(_clusters.Get(bucket.Cluster), bucket.Name, bucket.Incarnation);
        var existing = await _clusters.Home.Metadata.GetBucketAsync(bucket.Name, cancellationToken).ConfigureAwait(false);
        if (existing.IsOk)
        {
            return new StoreResult<BucketRecord>(StoreStatus.AlreadyExists, existing.Value);
        }

        var created = await placement.Cluster.Metadata.CreateBucketAsync(bucket with { Name = placement.StoreName }, cancellationToken).ConfigureAwait(false);
        if (!created.IsOk)
        {
            throw new InvalidOperationException($"Unexpected store status {created.Status} creating the record of a new incarnation.");
        }

        var entry = await _clusters.Home.Metadata.CreateBucketAsync(EntryOf(bucket), cancellationToken).ConfigureAwait(false);
        if (!entry.IsOk)
        {
            await placement.Cluster.Metadata.DeleteBucketAsync(placement.StoreName, cancellationToken).ConfigureAwait(false);
            return entry;
        }

        _directory.Forget(bucket.Name);
        return StoreResult<BucketRecord>.Ok(Join(entry.Value!, created.Value!));
    }

    /// <summary>Replaces the record the bucket's settings were read from (the cluster's record of that incarnation), conditioned on its version.</summary>
    public async Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (bucket.Incarnation is null)
        {
            return await _clusters.Home.Metadata.ReplaceBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        }

        var placement = new BucketPlacement(_clusters.Get(bucket.Cluster), bucket.Name, bucket.Incarnation);
        var replaced = await placement.Cluster.Metadata.ReplaceBucketAsync(StoreRecordOf(bucket, placement), cancellationToken).ConfigureAwait(false);
        return replaced.IsOk ? StoreResult<BucketRecord>.Ok(bucket with { Version = replaced.Value!.Version }) : replaced;
    }

    /// <summary>
    /// DeleteBucket under the fence: marks the cluster's record Deleting (writes admitted before that are seen by the
    /// emptiness check after it; writes after it fail their check), checks that no object, version, delete marker or
    /// upload is left, then deletes the directory entry (the commit point) and the cluster's record. A bucket found
    /// not empty is Active again and answers <see cref="StoreStatus.PreconditionFailed"/> (BucketNotEmpty).
    /// </summary>
    public async Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default)
    {
        var entry = await _directory.ReadAsync(name, cancellationToken).ConfigureAwait(false);
        _directory.Forget(name);
        if (entry is null)
        {
            return StoreStatus.NotFound;
        }

        if (entry.State != BucketState.Active)
        {
            throw Moving(name);
        }

        var placement = _directory.PlacementOf(entry);
        var store = placement.Cluster.Metadata;
        var record = entry.Incarnation is null ? entry : (await store.GetBucketAsync(placement.StoreName, cancellationToken).ConfigureAwait(false)).Value;
        if (record is null)
        {
            return StoreStatus.NotFound;
        }

        var marked = await store.ReplaceBucketAsync(record with { State = BucketState.Deleting }, cancellationToken).ConfigureAwait(false);
        if (!marked.IsOk)
        {
            throw Moving(name);
        }

        if (!await BucketCopier.IsEmptyAsync(placement, cancellationToken).ConfigureAwait(false))
        {
            await store.ReplaceBucketAsync(marked.Value! with { State = BucketState.Active }, cancellationToken).ConfigureAwait(false);
            return StoreStatus.PreconditionFailed;
        }

        var status = await _clusters.Home.Metadata.DeleteBucketAsync(name, cancellationToken).ConfigureAwait(false);
        if (entry.Incarnation is not null)
        {
            await store.DeleteBucketAsync(placement.StoreName, cancellationToken).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>ListBuckets reads only the directory: the home cluster's entries of the owner.</summary>
    public async Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default)
    {
        var entries = await _clusters.Home.Metadata.ListBucketsAsync(ownerId, cancellationToken).ConfigureAwait(false);
        return entries.Where(e => !BucketPlacement.IsStoreRecord(e)).ToList();
    }

    /// <summary>What the directory entry holds of a new bucket: who owns it, where it is, which incarnation.</summary>
    private static BucketRecord EntryOf(BucketRecord bucket) => new()
    {
        Name = bucket.Name,
        OwnerId = bucket.OwnerId,
        CreatedAt = bucket.CreatedAt,
        Region = bucket.Region,
        HasDirectoryIndex = bucket.HasDirectoryIndex,
        Cluster = bucket.Cluster,
        Incarnation = bucket.Incarnation,
    };

    /// <summary>The bucket as services see it: the cluster record's settings under the entry's name, owner and location.</summary>
    private static BucketRecord Join(BucketRecord entry, BucketRecord record) => record with
    {
        Name = entry.Name,
        OwnerId = entry.OwnerId,
        CreatedAt = entry.CreatedAt,
        Region = entry.Region,
        Cluster = entry.Cluster,
    };

    private static BucketRecord StoreRecordOf(BucketRecord bucket, BucketPlacement placement) => bucket with { Name = placement.StoreName };

    internal static StoreUnavailableException Moving(string bucket) =>
        new(StoreUnavailableReason.BucketMoving, $"The bucket '{bucket}' is being moved or deleted; retry.");
}
