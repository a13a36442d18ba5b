using R2Meta.Core.Keys;
using R2Meta.Core.Storage;

namespace R2Meta.Core.Tests.Listing;

/// <summary>Objects of one bucket in a sorted dictionary by sort key; counts ReadRangeAsync calls.</summary>
internal sealed class InMemoryMetadataStore : IMetadataStore
{
    private readonly SortedDictionary<string, ObjectRecord> _objects = new(StringComparer.Ordinal);

    public int ReadRangeCalls { get; private set; }

    public int RowsRead { get; private set; }

    public static InMemoryMetadataStore With(params string[] keys)
    {
        var store = new InMemoryMetadataStore();
        foreach (var key in keys)
        {
            store.Add(key);
        }

        return store;
    }

    public void Add(string key) => _objects[SortKeyCodec.Encode(key)] = new ObjectRecord
    {
        Bucket = "b",
        Key = key,
        BlobName = "blob",
        Size = key.Length,
        ETag = "\"e\"",
        LastModified = DateTimeOffset.UnixEpoch,
    };

    public Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ReadRangeCalls++;
        var rows = _objects
            .Where(p => string.CompareOrdinal(p.Key, fromSortKey) >= 0 && (toSortKey is null || string.CompareOrdinal(p.Key, toSortKey) < 0))
            .Take(limit)
            .Select(p => p.Value)
            .ToList();
        RowsRead += rows.Count;
        return Task.FromResult<IReadOnlyList<ObjectRecord>>(rows);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
