using R2Meta.Domain.Accounts;
using R2Meta.Domain.Errors;
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

    public async Task<ObjectRecord> GetRecordAsync(Account account, string bucket, string key, CancellationToken cancellationToken = default)
    {
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        return await ReadRecordAsync(bucket, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The object a copy reads from (CopyObject, UploadPartCopy): the account must own its bucket and
    /// the <c>x-amz-copy-source-if-*</c> conditions must hold.
    /// </summary>
    public async Task<ObjectRecord> GetCopySourceAsync(Account account, CopySource source, CopySourceConditions conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(conditions);
        await _buckets.GetOwnedAsync(account, source.Bucket, cancellationToken).ConfigureAwait(false);
        var found = await _metadata.GetObjectAsync(source.Bucket, source.Key, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            throw S3Errors.NoSuchKey.WithDetail("Key", source.Key).ToException();
        }

        conditions.Evaluate(found.Value!);
        return found.Value!;
    }

    /// <summary>
    /// Opens the bytes of the current version. A concurrent overwrite may delete the blob between
    /// our metadata read and the open; then the newer version is read instead, so a reader always
    /// gets one complete version. <paramref name="choose"/> re-evaluates conditions and the range
    /// for each version it sees and may throw.
    /// </summary>
    public async Task<(ObjectRecord Record, Stream Body, ByteRange? Range)> OpenAsync(
        string bucket,
        string key,
        ObjectRecord first,
        Func<ObjectRecord, ByteRange?> choose,
        CancellationToken cancellationToken = default)
    {
        var record = first;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var range = choose(record);
            var opened = await _blobs.OpenReadAsync(record.BlobName, range?.Offset ?? 0, range?.Length ?? record.Size, cancellationToken).ConfigureAwait(false);
            if (opened.IsOk)
            {
                return (record, opened.Value!, range);
            }

            var again = await ReadRecordAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (again.BlobName == record.BlobName)
            {
                throw new InvalidOperationException($"Object {bucket}/{key} references missing blob {record.BlobName}.");
            }

            record = again;
        }

        throw S3Errors.SlowDown.With("The object kept changing while being read; retry.").ToException();
    }

    private async Task<ObjectRecord> ReadRecordAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        if (ObjectKeys.IsTooLong(key))
        {
            throw S3Errors.KeyTooLongError.ToException();
        }

        var found = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return found.IsOk ? found.Value! : throw S3Errors.NoSuchKey.WithDetail("Key", key).ToException();
    }
}
