using R2Meta.Domain.Keys;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Lifecycle actions through the client's write path: each method acts only if the version it is given is still
/// exactly what was judged (the store version read), so an object written, retagged or deleted since is left alone
/// and a lost race is no error (the executor moves on). What each does is what the matching client request does.
/// </summary>
public sealed partial class ObjectCommitter
{
    /// <summary>
    /// Expires the current version <paramref name="judged"/>: deleted in an unversioned bucket (record, then blob); in a
    /// versioned bucket a delete marker supersedes it (it stays as a noncurrent version; while suspended the marker
    /// is the null version and replaces a null one). False when the key changed since it was read.
    /// </summary>
    public async Task<bool> ExpireCurrentAsync(ObjectRecord judged, BucketVersioning versioning, EventIntent? events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (versioning == BucketVersioning.Unversioned)
        {
            return await DeleteRecordAsync(judged, events, cancellationToken).ConfigureAwait(false) == StoreStatus.Ok;
        }

        var now = _time.GetUtcNow();
        var marker = VersionIds.Stamp(
            new ObjectRecord { Bucket = judged.Bucket, Key = judged.Key, BlobName = string.Empty, Size = 0, ETag = string.Empty, LastModified = now, IsDeleteMarker = true },
            versioning,
            now);
        return (await CommitVersionOverAsync(marker, judged, events, cancellationToken).ConfigureAwait(false)).IsOk;
    }

    /// <summary>
    /// Removes the noncurrent version <paramref name="judged"/> (a history entry as read) as DeleteObject with its version
    /// id would. False when it is current now, or was changed or removed since it was read.
    /// </summary>
    public async Task<bool> ExpireNoncurrentAsync(ObjectRecord judged, EventIntent? events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var (version, current) = await FindVersionAsync(judged.Bucket, judged.Key, judged.S3VersionId, cancellationToken).ConfigureAwait(false);
        if (version is null || ReferenceEquals(version, current) || version.VersionId != judged.VersionId || version.Version != judged.Version)
        {
            return false;
        }

        return (await DeleteVersionAsync(judged.Bucket, judged.Key, judged.S3VersionId, events, cancellationToken).ConfigureAwait(false)).IsOk;
    }

    /// <summary>
    /// Removes the current delete marker <paramref name="judged"/> once no other version of its key is left (S3's expired
    /// object delete marker). False when the key changed since it was read or still has versions.
    /// </summary>
    public async Task<bool> ExpireDeleteMarkerAsync(ObjectRecord judged, EventIntent? events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var (from, to) = VersionIds.RangeOf(judged.Key);
        // Two: one may be a crash's duplicate of the marker itself.
        var history = await _versions.ReadVersionsAsync(judged.Bucket, from, to, 2, cancellationToken).ConfigureAwait(false);
        if (!judged.IsDeleteMarker || history.Any(v => v.VersionId != judged.VersionId))
        {
            return false;
        }

        var current = await _metadata.GetObjectAsync(judged.Bucket, judged.Key, cancellationToken).ConfigureAwait(false);
        if (!current.IsOk || current.Value!.Version != judged.Version)
        {
            return false;
        }

        return await DeleteCurrentVersionAsync(current.Value, events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves the current version <paramref name="judged"/> to <paramref name="storageClass"/>: its blob into that class's
    /// tier first, then the record replaced conditioned on the version read (the record never names a class its blob is
    /// not in). False when the key changed since it was read (its blob may then have moved for nothing: it is being
    /// superseded) or the blob is gone.
    /// </summary>
    public async Task<bool> TransitionCurrentAsync(ObjectRecord judged, string storageClass, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (await _blobs.SetAccessTierAsync(judged.BlobName, StorageClasses.TierOf(storageClass), cancellationToken).ConfigureAwait(false) != StoreStatus.Ok)
        {
            return false;
        }

        var changed = judged with { StorageClass = storageClass, Version = null };
        return (await _metadata.PutObjectAsync(changed, WriteCondition.IfVersion(judged.Version!), cancellationToken).ConfigureAwait(false)).IsOk;
    }

    /// <summary>
    /// Moves the noncurrent version <paramref name="judged"/> (a history entry as read) to <paramref name="storageClass"/>:
    /// blob first, then the entry replaced conditioned on the entry read, so a version deleted meanwhile never comes back.
    /// </summary>
    public async Task<bool> TransitionNoncurrentAsync(ObjectRecord judged, string storageClass, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (await _blobs.SetAccessTierAsync(judged.BlobName, StorageClasses.TierOf(storageClass), cancellationToken).ConfigureAwait(false) != StoreStatus.Ok)
        {
            return false;
        }

        return await _versions.ReplaceVersionAsync(judged with { StorageClass = storageClass }, cancellationToken).ConfigureAwait(false) == StoreStatus.Ok;
    }
}
