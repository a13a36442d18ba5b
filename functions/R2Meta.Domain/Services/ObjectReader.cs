using R2Meta.Domain.Accounts;
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

    public ObjectReader(IMetadataStore metadata, IBlobStore blobs, BucketService buckets)
    {
        _metadata = metadata;
        _blobs = blobs;
        _buckets = buckets;
    }

    public async Task<Outcome<ObjectRecord>> GetRecordAsync(Account account, string bucket, string key, CancellationToken cancellationToken = default)
    {
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        return owned.IsOk ? await ReadRecordAsync(bucket, key, cancellationToken).ConfigureAwait(false) : owned.Error;
    }

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

        var found = await _metadata.GetObjectAsync(source.Bucket, source.Key, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return new DomainError(Failure.NoSuchKey, source.Key);
        }

        return conditions.HoldFor(found.Value!) ? found.Value! : new DomainError(Failure.PreconditionFailed);
    }

    /// <summary>
    /// Opens the bytes of the current version. A concurrent overwrite may delete the blob between
    /// our metadata read and the open; then the newer version is read instead, so a reader always
    /// gets one complete version. <paramref name="selection"/> is chosen again for each version it meets.
    /// </summary>
    public async Task<Outcome<(ObjectRecord Record, Stream Body, ByteRange? Range)>> OpenAsync(
        string bucket,
        string key,
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

            var again = await ReadRecordAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (!again.IsOk)
            {
                return again.Error;
            }

            if (again.Value.BlobName == record.BlobName)
            {
                throw new InvalidOperationException($"Object {bucket}/{key} references missing blob {record.BlobName}.");
            }

            record = again.Value;
        }

        return new DomainError(Failure.Busy, "The object kept changing while being read; retry.");
    }

    private async Task<Outcome<ObjectRecord>> ReadRecordAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        if (ObjectKeys.Check(key) is { } invalid)
        {
            return invalid;
        }

        var found = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return found.IsOk ? found.Value! : new DomainError(Failure.NoSuchKey, key);
    }
}
