using System.Collections.Concurrent;
using R2Meta.Domain.Storage;

namespace R2Meta.EndToEnd.Tests.Faults;

/// <summary>
/// A deliberately broken metadata store for the checker's negative test: it remembers each key's state
/// before its latest committed write and serves that stale state to a share of point reads, as a
/// lagging replica would. Everything else goes to the real store underneath.
/// </summary>
public sealed class StaleReadMetadataStore(IMetadataStore inner, double staleShare, int seed) : IMetadataStore, IStoreProbe
{
    private readonly ConcurrentDictionary<(string Bucket, string Key), (ObjectRecord? Current, ObjectRecord? Previous)> _states = new();
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();
    private int _staleReads;

    public int StaleReads => Volatile.Read(ref _staleReads);

    public async Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default)
    {
        bool stale;
        lock (_lock)
        {
            stale = _random.NextDouble() < staleShare;
        }

        if (stale && _states.TryGetValue((bucket, key), out var state))
        {
            Interlocked.Increment(ref _staleReads);
            return state.Previous is { } previous ? StoreResult<ObjectRecord>.Ok(previous) : StoreResult<ObjectRecord>.Fail(StoreStatus.NotFound);
        }

        return await inner.GetObjectAsync(bucket, key, cancellationToken);
    }

    public async Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default)
    {
        var result = await inner.PutObjectAsync(record, condition, cancellationToken);
        if (result.IsOk)
        {
            _states.AddOrUpdate((record.Bucket, record.Key), (result.Value, null), (_, s) => (result.Value, s.Current));
        }

        return result;
    }

    public async Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<R2Meta.Domain.Notifications.PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default)
    {
        var status = await inner.DeleteObjectAsync(bucket, key, version, pendingEvents, cancellationToken);
        if (status == StoreStatus.Ok)
        {
            _states.AddOrUpdate((bucket, key), (null, null), (_, s) => (null, s.Current));
        }

        return status;
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

    public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => inner.GetBucketAsync(name, cancellationToken);

    public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => inner.CreateBucketAsync(bucket, cancellationToken);

    public Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => inner.ReplaceBucketAsync(bucket, cancellationToken);

    public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteBucketAsync(name, cancellationToken);

    public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => inner.ListBucketsAsync(ownerId, cancellationToken);

    public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(bucket, fromSortKey, toSortKey, limit, cancellationToken);

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadDirectoryAsync(bucket, directory, fromSortKey, toSortKey, limit, cancellationToken);

    public Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default) => inner.PruneDirectoryAsync(bucket, directory, cancellationToken);

    /// <summary>Readiness asks the wrapped store; only reads are made stale.</summary>
    public Task ProbeAsync(CancellationToken cancellationToken = default) => ((IStoreProbe)inner).ProbeAsync(cancellationToken);
}
