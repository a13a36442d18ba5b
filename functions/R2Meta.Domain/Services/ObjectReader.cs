using R2Meta.Domain.Accounts;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>Reads committed objects: metadata, then the bytes of the blob it names.</summary>
public sealed class ObjectReader
{
    private const int MaxAttempts = 8;
    private readonly IMetadataStore _metadata;
    private readonly IBlobStore _blobs;
    private readonly BucketService _buckets;
    private readonly ObjectCommitter _committer;

    public ObjectReader(IMetadataStore metadata, IBlobStore blobs, BucketService buckets, ObjectCommitter committer)
    {
        _metadata = metadata;
        _blobs = blobs;
        _buckets = buckets;
        _committer = committer;
    }

    public Task<Outcome<ObjectRecord>> GetRecordAsync(Account account, string bucket, string key, CancellationToken cancellationToken = default) =>
        GetRecordAsync(account, bucket, key, versionId: null, cancellationToken);

    /// <param name="versionId">A version id or "null" (GET/HEAD ?versionId=); null reads the current version.</param>
    public async Task<Outcome<ObjectRecord>> GetRecordAsync(Account account, string bucket, string key, string? versionId, CancellationToken cancellationToken = default)
    {
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        var read = await ReadRecordAsync(bucket, key, versionId, cancellationToken).ConfigureAwait(false);
        return read.IsOk ? read.Value.Record : read.Error;
    }

    /// <summary>
    /// The version <paramref name="versionId"/> of the key (null: the current one), and whether it is the current
    /// one. A delete marker is answered as S3 does: NoSuchKey when current (read without an id), MethodNotAllowed
    /// when asked for by id; both carry its id. A current read costs one point read; a noncurrent one two.
    /// </summary>
    public async Task<Outcome<(ObjectRecord Record, bool IsCurrent)>> ReadRecordAsync(string bucket, string key, string? versionId, CancellationToken cancellationToken = default)
    {
        if (ObjectKeys.Check(key) is { } invalid)
        {
            return invalid;
        }

        if (versionId is null)
        {
            var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (!current.IsOk)
            {
                return new DomainError(Failure.NoSuchKey, key);
            }

            return current.Value!.IsDeleteMarker
                ? new DomainError(Failure.NoSuchKey, key) { Facts = MarkerFacts(current.Value) }
                : (current.Value, true);
        }

        if (versionId != VersionIds.Null && !VersionIds.IsWellFormed(versionId))
        {
            return new DomainError(Failure.InvalidVersionId, versionId);
        }

        var (version, found) = await _committer.FindVersionAsync(bucket, key, versionId, cancellationToken).ConfigureAwait(false);
        if (version is null)
        {
            return new DomainError(Failure.NoSuchVersion, versionId) { Facts = [new("Key", key)] };
        }

        return version.IsDeleteMarker
            ? new DomainError(Failure.DeleteMarkerVersion, versionId) { Facts = MarkerFacts(version) }
            : (version, ReferenceEquals(version, found));
    }

    /// <summary>What S3 answers about a delete marker it met: the x-amz-delete-marker and x-amz-version-id headers.</summary>
    private static KeyValuePair<string, string>[] MarkerFacts(ObjectRecord marker) =>
        [new(DeleteMarkerFact, "true"), new(VersionIdFact, marker.S3VersionId)];

    /// <summary>Fact name of a failure caused by a delete marker ("true").</summary>
    public const string DeleteMarkerFact = "DeleteMarker";

    /// <summary>Fact name of the version id a failure concerns.</summary>
    public const string VersionIdFact = "VersionId";

    /// <summary>
    /// The object a copy reads from (CopyObject, UploadPartCopy): the account must own its bucket and
    /// the <c>x-amz-copy-source-if-*</c> conditions must hold.
    /// </summary>
    public async Task<Outcome<ObjectRecord>> GetCopySourceAsync(Account account, CopySource source, CopySourceConditions conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(conditions);
        var owned = await _buckets.GetOwnedAsync(account, source.Bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        var found = await ReadRecordAsync(source.Bucket, source.Key, source.VersionId, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            // S3 refuses a delete marker as a copy source with 400 when named by id; as current it is NoSuchKey.
            return found.Error.Failure == Failure.DeleteMarkerVersion ? new DomainError(Failure.InvalidCopySourceVersion, source.VersionId) : found.Error;
        }

        var record = found.Value.Record;
        return conditions.HoldFor(record) ? record : new DomainError(Failure.PreconditionFailed);
    }

    /// <summary>
    /// Opens the bytes of the current version. A concurrent overwrite may delete the blob between
    /// our metadata read and the open; then the newer version is read instead, so a reader always
    /// gets one complete version. <paramref name="selection"/> is chosen again for each version it meets.
    /// </summary>
    /// <param name="versionId">The version read by id (null: the current one); a version's blob never changes, so
    /// one that disappears was deleted meanwhile.</param>
    public async Task<Outcome<(ObjectRecord Record, Stream Body, ByteRange? Range)>> OpenAsync(
        string bucket,
        string key,
        string? versionId,
        ObjectRecord first,
        ReadSelection selection,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        var record = first;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var chosen = selection.For(record);
            if (!chosen.IsOk)
            {
                return chosen.Error;
            }

            var range = chosen.Value;
            var opened = await _blobs.OpenReadAsync(record.BlobName, range?.Offset ?? 0, range?.Length ?? record.Size, cancellationToken).ConfigureAwait(false);
            if (opened.IsOk)
            {
                return (record, opened.Value!, range);
            }

            var again = await ReadRecordAsync(bucket, key, versionId, cancellationToken).ConfigureAwait(false);
            if (!again.IsOk)
            {
                return again.Error;
            }

            if (again.Value.Record.BlobName == record.BlobName)
            {
                throw new InvalidOperationException($"Object {bucket}/{key} references missing blob {record.BlobName}.");
            }

            record = again.Value.Record;
        }

        return new DomainError(Failure.Busy, "The object kept changing while being read; retry.");
    }
}
