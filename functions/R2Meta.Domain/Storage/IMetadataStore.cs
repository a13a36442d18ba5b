namespace R2Meta.Domain.Storage;

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

    /// <summary>
    /// Replaces the bucket record if its <see cref="BucketRecord.Version"/> still matches; a bucket changed or
    /// deleted since it was read is <see cref="StoreStatus.PreconditionFailed"/>. Returns the record with its new version.
    /// </summary>
    Task<StoreResult<BucketRecord>> ReplaceBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default);

    /// <summary>Deletes the bucket record and whatever is left of the bucket's directory index.</summary>
    Task<StoreStatus> DeleteBucketAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Buckets of one owner, ordered by name.</summary>
    Task<IReadOnlyList<BucketRecord>> ListBucketsAsync(string ownerId, CancellationToken cancellationToken = default);

    Task<StoreResult<ObjectRecord>> GetObjectAsync(string bucket, string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// The commit point of a mutation: one conditional write of the object's document. Returns the record
    /// with its new version. On success the object and every directory above it (each prefix of the key
    /// ending in "/") are in the directory index; see <see cref="ReadDirectoryAsync"/>.
    /// </summary>
    Task<StoreResult<ObjectRecord>> PutObjectAsync(ObjectRecord record, WriteCondition condition, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the document if its version still matches, and takes the object out of the directory
    /// index. Directories the delete leaves empty leave the index before this returns (a concurrent put
    /// into such a directory keeps it); this costs extra round trips only when a directory empties.
    /// </summary>
    /// <param name="pendingEvents">Event notifications to record atomically with the delete (see
    /// <see cref="ObjectRecord.PendingEvents"/>); null or empty: none, and the delete costs what it did before.</param>
    Task<StoreStatus> DeleteObjectAsync(string bucket, string key, string version, IReadOnlyList<Notifications.PendingEvent>? pendingEvents = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> objects whose sort key (see <see cref="Keys.SortKeyCodec"/>) is in
    /// [<paramref name="fromSortKey"/>, <paramref name="toSortKey"/>), ordered by sort key. One round trip.
    /// </summary>
    Task<IReadOnlyList<ObjectRecord>> ReadRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="ReadRangeAsync"/> for a listing page: each record need carry only what a listing shows, as the
    /// object entries of <see cref="ReadDirectoryAsync"/> do. An adapter whose store can project leaves out content
    /// headers, tags and per-part data (80 KB of part sizes on a 10,000-part object's row); the records must never
    /// be written back or served as an object.
    /// </summary>
    Task<IReadOnlyList<ObjectRecord>> ReadListingRangeAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default) =>
        ReadRangeAsync(bucket, fromSortKey, toSortKey, limit, cancellationToken);

    /// <summary>
    /// The directory index: the entries directly in <paramref name="directory"/> (empty for the bucket's
    /// top level, else ending in "/") — objects whose key has no "/" after it, and subdirectories, named
    /// by their prefix ending in "/" with a null <see cref="ListEntry.Object"/> — whose sort key
    /// (<see cref="Keys.SortKeyCodec.Encode"/> of the entry's name) is in [<paramref name="fromSortKey"/>,
    /// <paramref name="toSortKey"/>) and in the directory's own range (<see cref="Keys.SortKeyCodec.PrefixRange"/>),
    /// at most <paramref name="limit"/> of them ordered by sort key. A directory longer than
    /// <see cref="Keys.SortKeyCodec.MaxSortableBytes"/> shares that range with the rest of its overflow
    /// group, so callers filter entries by name. A subdirectory is listed exactly while some object lies below it. One round trip: this is what
    /// makes a "/"-delimited listing cost one read per page, however many keys lie below its common
    /// prefixes. Complete only for buckets whose <see cref="BucketRecord.HasDirectoryIndex"/> is true.
    /// An entry's object carries what a listing shows (key, size, ETag, last modified, storage class, checksum
    /// algorithms, version); a store may leave out its content headers, tags and per-part data.
    /// </summary>
    Task<IReadOnlyList<ListEntry>> ReadDirectoryAsync(string bucket, string directory, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes <paramref name="directory"/> (a prefix ending in "/"; "" does nothing), and then its ancestors,
    /// from the directory index while it is empty; stops at the first that is not. Safe against concurrent
    /// puts: a directory a put writes into stays. Repairs what a delete that died before its own cleanup
    /// left behind (see <see cref="DeleteObjectAsync"/>). Costs one read when the directory is not empty.
    /// </summary>
    Task PruneDirectoryAsync(string bucket, string directory, CancellationToken cancellationToken = default);
}
