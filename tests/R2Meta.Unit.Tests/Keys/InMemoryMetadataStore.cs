using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Keys;

/// <summary>Just enough of a metadata store to drive <see cref="OrderedScanner"/>: objects by (bucket, sort key), read in ordinal order.</summary>
internal sealed class InMemoryMetadataStore : IMetadataStore
{
    private readonly SortedDictionary<(string Bucket, string SortKey), ObjectRecord> _objects = new(Comparer<(string Bucket, string SortKey)>.Create(
        (x, y) => string.CompareOrdinal(x.Bucket, y.Bucket) is var c and not 0 ? c : string.CompareOrdinal(x.SortKey, y.SortKey)));

    public int Reads { get; private set; }

    public void Add(string bucket, string key) =>
        _objects.Add((bucket, SortKeyCodec.Encode(key)), new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            BlobName = key,
            Size = 0,
            ETag = "\"0\"",
            LastModified = DateTimeOffset.UnixEpoch,
        });

    public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        Reads++;
        IReadOnlyList<ObjectRecord> page =
        [
            .. _objects
                .Where(e => e.Key.Bucket == bucket
                    && string.CompareOrdinal(e.Key.SortKey, fromSortKey) >= 0
                    && (toSortKey is null || string.CompareOrdinal(e.Key.SortKey, toSortKey) < 0))
                .Take(limit)
                .Select(e => e.Value),
        ];
        return Task.FromResult(page);
    }

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<R2Meta.Domain.Notifications.PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
