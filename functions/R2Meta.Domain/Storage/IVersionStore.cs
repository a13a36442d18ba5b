namespace R2Meta.Domain.Storage;

/// <summary>
/// The version history of versioned buckets, beside <see cref="IMetadataStore"/> (both adapters implement both).
/// The current version of a key stays its <see cref="IMetadataStore"/> record, the commit point of every
/// mutation, read in one point read; the noncurrent versions are history entries in a key range of their own
/// (<see cref="Keys.VersionIds.SortKey"/>), so listing current objects never reads them. A history entry is only
/// ever a copy of a version that was committed as current (written before the write that supersedes it) or
/// removed after a version left the history, so a crash leaves at most a duplicate of a committed version,
/// which readers drop (the current record wins over an entry with its id).
/// </summary>
public interface IVersionStore
{
    /// <summary>Writes (create or replace) the history entry of <paramref name="version"/>, whose <see cref="ObjectRecord.VersionId"/> is set. Idempotent.</summary>
    Task PutVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the history entry of <paramref name="version"/> if its store version (<see cref="ObjectRecord.Version"/>,
    /// as read) still matches; an entry changed or removed since is PreconditionFailed. For changes to a noncurrent
    /// version (its tags), which must never bring back an entry a version delete removed.
    /// </summary>
    Task<StoreStatus> ReplaceVersionAsync(ObjectRecord version, CancellationToken cancellationToken = default);

    /// <summary>The history entry of that version (its <see cref="ObjectRecord.Version"/> set), or NotFound.</summary>
    Task<StoreResult<ObjectRecord>> GetVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default);

    /// <summary>Removes the history entry of that version; NotFound when there is none. Idempotent.</summary>
    Task<StoreStatus> DeleteVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="limit"/> history entries whose history sort key is in [<paramref name="fromSortKey"/>,
    /// <paramref name="toSortKey"/>), ordered by it: by key, then newest first. One round trip.
    /// </summary>
    Task<IReadOnlyList<ObjectRecord>> ReadVersionsAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="IMetadataStore.ReadRangeAsync"/> including current records that are delete markers (which
    /// object listings skip). One round trip.
    /// </summary>
    Task<IReadOnlyList<ObjectRecord>> ReadCurrentAsync(string bucket, string fromSortKey, string? toSortKey, int limit, CancellationToken cancellationToken = default);
}
