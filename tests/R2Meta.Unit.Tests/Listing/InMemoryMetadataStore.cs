using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Unit.Tests.Listing;

/// <summary>
/// Objects of one bucket in a sorted dictionary by sort key; the directory index is derived from them.
/// Counts reads (ReadRangeAsync and ReadDirectoryAsync calls).
/// </summary>
internal sealed class InMemoryMetadataStore : IMetadataStore
{
    private readonly SortedDictionary<string, ObjectRecord> _objects = new(StringComparer.Ordinal);

    public int ReadCalls { get; private set; }

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
        ReadCalls++;
        var rows = _objects
            .Where(p => string.CompareOrdinal(p.Key, fromSortKey) >= 0 && (toSortKey is null || string.CompareOrdinal(p.Key, toSortKey) < 0))
            .Take(limit)
            .Select(p => p.Value)
            .ToList();
        RowsRead += rows.Count;
        return Task.FromResult<IReadOnlyList<ObjectRecord>>(rows);
    }

    public Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ReadCalls++;
        var entries = _objects.Values
            .Where(o => o.Key.StartsWith(directory, StringComparison.Ordinal))
            .Select(o => o.Key.IndexOf('/', directory.Length) is var slash and >= 0 ? ListEntry.Prefix(o.Key[..(slash + 1)]) : ListEntry.Of(o))
            .DistinctBy(e => (e.Name, e.IsCommonPrefix))
            .Select(e => (SortKey: SortKeyCodec.Encode(e.Name), Entry: e))
            .Where(e => string.CompareOrdinal(e.SortKey, fromSortKey) >= 0 && (toSortKey is null || string.CompareOrdinal(e.SortKey, toSortKey) < 0))
            .OrderBy(e => e.SortKey, StringComparer.Ordinal)
            .Take(limit)
            .Select(e => e.Entry)
            .ToList();
        RowsRead += entries.Count;
        return Task.FromResult<IReadOnlyList<ListEntry>>(entries);
    }

    public Task InitializeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<R2Meta.Domain.Notifications.PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    // Directories are derived from the objects here, so none is ever left empty.
    public Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
