namespace R2Meta.Core.Storage;

/// <summary>
/// The metadata port. One implementation per backend (Table Storage, Cosmos DB); a shared contract
/// suite proves they behave the same. Every method is one store round trip unless it says otherwise.
/// </summary>
public interface IMetadataStore
{
    /// <summary>Creates the tables/containers if missing. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<StoreResult<BucketRecord>> GetBucketAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Create-if-absent; <see cref="StoreStatus.AlreadyExists"/> returns the existing record.</summary>
    Task<StoreResult<BucketRecord>> CreateBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default);

    Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Buckets of one owner, ordered by name.</summary>
    Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default);

    Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>The commit point of a mutation: one conditional single-document write. Returns the record with its new version.</summary>
    Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default);

    /// <summary>Deletes the document if its version still matches.</summary>
    Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> objects whose sort key (see <see cref="Keys.SortKeyCodec"/>) is in
    /// [<paramref name="fromSortKey"/>, <paramref name="toSortKey"/>), ordered by sort key. One round trip.
    /// </summary>
    Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default);
}
