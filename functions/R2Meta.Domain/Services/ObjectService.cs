using R2Meta.Domain.Accounts;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>PutObject, CopyObject and DeleteObject on the write-path invariant (see <see cref="ObjectCommitter"/>).</summary>
public sealed class ObjectService
{
    private const int MaxSourceAttempts = 8;
    private readonly BucketService _buckets;
    private readonly ObjectCommitter _committer;
    private readonly ObjectReader _reader;
    private readonly IVersionStore _versions;
    private readonly TimeProvider _time;

    public ObjectService(BucketService buckets, ObjectCommitter committer, ObjectReader reader, IVersionStore versions, TimeProvider time)
    {
        _buckets = buckets;
        _committer = committer;
        _reader = reader;
        _versions = versions;
        _time = time;
    }

    /// <param name="tags">x-amz-tagging (null or empty: no tags).</param>
    /// <param name="storageClass">x-amz-storage-class, one of <see cref="StorageClasses"/> (STANDARD when absent).</param>
    /// <param name="eventName">The event the write notifies: <see cref="S3EventNames.ObjectCreatedPut"/>, or Post for a form upload.</param>
    public async Task<Outcome<ObjectRecord>> PutAsync(Account account, string bucket, string key, UploadBody body, ContentHeaders headers, IReadOnlyList<Tag>? tags, string storageClass, WriteConditions conditions, string eventName = S3EventNames.ObjectCreatedPut, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(headers);
        var owned = await _buckets.GetOwnedForKeyAsync(account, bucket, key, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        var check = await _committer.CheckAsync(bucket, key, conditions, cancellationToken).ConfigureAwait(false);
        if (!check.IsOk)
        {
            return check.Error;
        }

        await using var pending = await _committer.WriteAsync(bucket, body, storageClass, cancellationToken).ConfigureAwait(false);
        var blobName = pending.Name;

        var checksums = new Dictionary<string, string>();
        if (body.ChecksumAlgorithm is { } algorithm && body.ChecksumBase64 is { } value)
        {
            checksums[algorithm] = value;
        }

        var now = _time.GetUtcNow();
        var record = VersionIds.Stamp(new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            BlobName = blobName,
            Size = body.BytesRead,
            ETag = ETags.Quote(Convert.ToHexStringLower(body.Md5)),
            LastModified = now,
            Headers = headers,
            StorageClass = storageClass,
            Checksums = checksums,
            ChecksumType = checksums.Count > 0 ? "FULL_OBJECT" : null,
            Tags = tags is { Count: > 0 } ? tags : null,
        }, owned.Value.Versioning, now);
        return await pending.CommitAsync(record, conditions, check.Value, EventIntent.For(owned.Value, eventName), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies inside Blob Storage (bytes never pass through this process) to a new blob, then commits.
    /// <paramref name="replaceHeaders"/> is null for the COPY metadata directive, <paramref name="replaceTags"/> for the
    /// COPY tagging directive (REPLACE without x-amz-tagging: an empty set). <paramref name="storageClass"/> is
    /// x-amz-storage-class, null when absent: the copy is then STANDARD, whatever the source's class (as in S3).
    /// </summary>
    public async Task<Outcome<ObjectRecord>> CopyAsync(Account account, CopySource source, string bucket, string key, ContentHeaders? replaceHeaders, IReadOnlyList<Tag>? replaceTags, string? storageClass, CopySourceConditions sourceConditions, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var owned = await _buckets.GetOwnedForKeyAsync(account, bucket, key, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        for (var attempt = 0; attempt < MaxSourceAttempts; attempt++)
        {
            var found = await _reader.GetCopySourceAsync(account, source, sourceConditions, cancellationToken).ConfigureAwait(false);
            if (!found.IsOk)
            {
                return found.Error;
            }

            var src = found.Value;
            // A copy onto itself must change something: the metadata (REPLACE) or the storage class.
            if (replaceHeaders is null && (storageClass ?? src.StorageClass) == src.StorageClass
                && source.Bucket == bucket && source.Key == key && source.VersionId is null)
            {
                return new DomainError(Failure.CopyToItself);
            }

            var check = await _committer.CheckAsync(bucket, key, conditions, cancellationToken).ConfigureAwait(false);
            if (!check.IsOk)
            {
                return check.Error;
            }

            await using var pending = await _committer.CopyAsync(src.BlobName, bucket, storageClass ?? StorageClasses.Standard, cancellationToken).ConfigureAwait(false);
            if (pending is null)
            {
                // The source was overwritten or deleted after we read it; read it again.
                continue;
            }

            var blobName = pending.Name;
            var now = _time.GetUtcNow();
            var record = VersionIds.Stamp(src with
            {
                Bucket = bucket,
                Key = key,
                BlobName = blobName,
                LastModified = now,
                Version = null,
                VersionId = null,
                IsNullVersion = false,
                Headers = replaceHeaders ?? src.Headers,
                StorageClass = storageClass ?? StorageClasses.Standard,
                Tags = replaceTags is null ? src.Tags : replaceTags.Count > 0 ? replaceTags : null,
            }, owned.Value.Versioning, now);
            return await pending.CommitAsync(record, conditions, check.Value, EventIntent.For(owned.Value, S3EventNames.ObjectCreatedCopy), cancellationToken).ConfigureAwait(false);
        }

        return new DomainError(Failure.Busy, "The copy source kept changing; retry.");
    }

    /// <summary>
    /// PutObjectTagging (a tag set) and DeleteObjectTagging (null) of one version (<paramref name="versionId"/>; null:
    /// the current one). The current version's tag set is replaced conditioned on the version read
    /// (<see cref="ObjectCommitter.UpdateAsync"/>); a noncurrent version's history entry is replaced conditioned on the
    /// entry read (the entry is that version's only record). Returns the tagged version.
    /// </summary>
    public async Task<Outcome<ObjectRecord>> SetTagsAsync(Account account, string bucket, string key, string? versionId, IReadOnlyList<Tag>? tags, CancellationToken cancellationToken = default)
    {
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        if (ObjectKeys.IsTooLong(key))
        {
            return new DomainError(Failure.NoSuchKey, key);
        }

        var set = tags is { Count: > 0 } ? tags : null;
        if (versionId is not null)
        {
            // Checked before the key is read, as in S3: the bucket, then the version id.
            var found = await _reader.ReadRecordAsync(bucket, key, versionId, cancellationToken).ConfigureAwait(false);
            if (!found.IsOk)
            {
                return found.Error;
            }

            if (!found.Value.IsCurrent)
            {
                // Conditioned on the entry read: a version deleted (or retagged) meanwhile is never brought back.
                var tagged = found.Value.Record with { Tags = set };
                return await _versions.ReplaceVersionAsync(tagged, cancellationToken).ConfigureAwait(false) switch
                {
                    StoreStatus.Ok => tagged with { Version = null },
                    _ => new DomainError(Failure.Busy, "The version changed while its tags were set; retry."),
                };
            }
        }

        return await _committer.UpdateAsync(bucket, key, current => current with { Tags = set }, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="versionId">DeleteObject's versionId: that version goes (no delete marker); null deletes the key
    /// (unversioned), or writes a delete marker (versioned).</param>
    /// <param name="conditions">If-Match of a conditional delete (<see cref="WriteConditions.IfMatchOf"/>), else None.</param>
    /// <param name="byLifecycle">A lifecycle expiration: its events are s3:LifecycleExpiration:Delete / DeleteMarkerCreated
    /// instead of s3:ObjectRemoved:…; everything else is the client's delete path.</param>
    public async Task<Outcome<ObjectCommitter.DeleteOutcome>> DeleteAsync(Account account, string bucket, string key, string? versionId, WriteConditions conditions, bool byLifecycle = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        if (versionId is not null && versionId != VersionIds.Null && !VersionIds.IsWellFormed(versionId))
        {
            return new DomainError(Failure.InvalidVersionId, versionId);
        }

        if (ObjectKeys.IsTooLong(key))
        {
            // No such key can exist: only a condition that wants it can fail.
            return conditions.IfMatch is not null ? new DomainError(Failure.NoSuchKey) : new ObjectCommitter.DeleteOutcome(versionId, DeleteMarker: false);
        }

        if (versionId is not null)
        {
            return await _committer.DeleteVersionAsync(bucket, key, versionId, EventIntent.For(owned.Value, S3EventNames.Removed(deleteMarker: false, byLifecycle)), cancellationToken).ConfigureAwait(false);
        }

        if (owned.Value.Versioning != BucketVersioning.Unversioned)
        {
            return await _committer.WriteDeleteMarkerAsync(bucket, key, owned.Value.Versioning, conditions, EventIntent.For(owned.Value, S3EventNames.Removed(deleteMarker: true, byLifecycle)), cancellationToken).ConfigureAwait(false);
        }

        var deleted = await _committer.DeleteAsync(bucket, key, conditions, EventIntent.For(owned.Value, S3EventNames.Removed(deleteMarker: false, byLifecycle)), cancellationToken).ConfigureAwait(false);
        return deleted.IsOk ? new ObjectCommitter.DeleteOutcome(null, DeleteMarker: false) : deleted.Error;
    }
}
