using R2Meta.Domain.Accounts;
using R2Meta.Domain.Errors;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>PutObject, CopyObject and DeleteObject on the write-path invariant (see <see cref="ObjectCommitter"/>).</summary>
public sealed class ObjectService
{
    private const int MaxSourceAttempts = 8;
    private readonly IBlobStore _blobs;
    private readonly BucketService _buckets;
    private readonly ObjectCommitter _committer;
    private readonly ObjectReader _reader;
    private readonly TimeProvider _time;

    public ObjectService(IBlobStore blobs, BucketService buckets, ObjectCommitter committer, ObjectReader reader, TimeProvider time)
    {
        _blobs = blobs;
        _buckets = buckets;
        _committer = committer;
        _reader = reader;
        _time = time;
    }

    public async Task<ObjectRecord> PutAsync(Account account, string bucket, string key, UploadBody body, ContentHeaders headers, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        await _committer.CheckAsync(bucket, key, conditions, cancellationToken).ConfigureAwait(false);

        var blobName = ObjectKeys.NewBlobName(bucket, _time.GetUtcNow());
        try
        {
            await _blobs.WriteAsync(blobName, body, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _committer.DeleteBlobQuietlyAsync(blobName).ConfigureAwait(false);
            throw;
        }

        var checksums = new Dictionary<string, string>();
        if (body.ChecksumAlgorithm is { } algorithm && body.ChecksumBase64 is { } value)
        {
            checksums[algorithm] = value;
        }

        var record = new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            BlobName = blobName,
            Size = body.BytesRead,
            ETag = ETags.Quote(Convert.ToHexStringLower(body.Md5)),
            LastModified = _time.GetUtcNow(),
            Headers = headers,
            Checksums = checksums,
            ChecksumType = checksums.Count > 0 ? "FULL_OBJECT" : null,
        };
        return await _committer.CommitAsync(record, conditions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies inside Blob Storage (bytes never pass through this process) to a new blob, then commits.
    /// <paramref name="replaceHeaders"/> is null for the COPY metadata directive.
    /// </summary>
    public async Task<ObjectRecord> CopyAsync(Account account, CopySource source, string bucket, string key, ContentHeaders? replaceHeaders, CopySourceConditions sourceConditions, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxSourceAttempts; attempt++)
        {
            var src = await _reader.GetCopySourceAsync(account, source, sourceConditions, cancellationToken).ConfigureAwait(false);
            if (replaceHeaders is null && source.Bucket == bucket && source.Key == key)
            {
                throw S3Errors.InvalidRequest.With("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.").ToException();
            }

            await _committer.CheckAsync(bucket, key, conditions, cancellationToken).ConfigureAwait(false);
            var blobName = ObjectKeys.NewBlobName(bucket, _time.GetUtcNow());
            var copied = await _blobs.CopyAsync(src.BlobName, blobName, cancellationToken).ConfigureAwait(false);
            if (copied == StoreStatus.NotFound)
            {
                // The source was overwritten or deleted after we read it; read it again.
                continue;
            }

            var record = src with
            {
                Bucket = bucket,
                Key = key,
                BlobName = blobName,
                LastModified = _time.GetUtcNow(),
                Version = null,
                Headers = replaceHeaders ?? src.Headers,
            };
            return await _committer.CommitAsync(record, conditions, cancellationToken).ConfigureAwait(false);
        }

        throw S3Errors.SlowDown.With("The copy source kept changing; retry.").ToException();
    }

    /// <param name="conditions">If-Match of a conditional delete (<see cref="WriteConditions.IfMatchOf"/>), else None.</param>
    public async Task DeleteAsync(Account account, string bucket, string key, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (ObjectKeys.IsTooLong(key))
        {
            // No such key can exist: only a condition that wants it can fail.
            if (conditions.IfMatch is not null)
            {
                throw S3Errors.NoSuchKey.ToException();
            }

            return;
        }

        await _committer.DeleteAsync(bucket, key, conditions, cancellationToken).ConfigureAwait(false);
    }
}
