using Microsoft.Extensions.Logging;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Errors;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Multipart uploads. Parts are staged as uncommitted blocks of the upload's own blob (named at create
/// time), each part described by its own record. Complete commits the chosen blocks in order (bytes are
/// never copied) and then the object through <see cref="ObjectCommitter"/>; only then are the upload's
/// records deleted. Each step is idempotent: a crash leaves the upload completable again or the object
/// committed, never half an object, and a retried Complete that finds its object committed succeeds.
/// </summary>
public sealed partial class MultipartService
{
    public const long MinPartSize = 5L * 1024 * 1024;
    public const long MaxPartSize = 5L * 1024 * 1024 * 1024;
    private const int MaxAttempts = 8;
    private const int AllParts = MultipartIds.MaxPartNumber;

    private readonly IMetadataStore _metadata;
    private readonly IUploadStore _uploads;
    private readonly IBlobStore _blobs;
    private readonly BucketService _buckets;
    private readonly ObjectCommitter _committer;
    private readonly ObjectReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger<MultipartService> _logger;

    public MultipartService(IMetadataStore metadata, IUploadStore uploads, IBlobStore blobs, BucketService buckets, ObjectCommitter committer, ObjectReader reader, TimeProvider time, ILogger<MultipartService> logger)
    {
        _metadata = metadata;
        _uploads = uploads;
        _blobs = blobs;
        _buckets = buckets;
        _committer = committer;
        _reader = reader;
        _time = time;
        _logger = logger;
    }

    public async Task<UploadRecord> CreateAsync(Account account, string bucket, string key, ContentHeaders headers, string? checksumAlgorithm, string? checksumType, CancellationToken cancellationToken = default)
    {
        ObjectKeys.Validate(key);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var uploadId = MultipartIds.NewUploadId(now);
        var upload = new UploadRecord
        {
            Bucket = bucket,
            Key = key,
            UploadId = uploadId,
            BlobName = ObjectKeys.MultipartBlobName(bucket, now, uploadId),
            Initiated = now,
            OwnerId = account.CanonicalUserId,
            Headers = headers,
            ChecksumAlgorithm = checksumAlgorithm,
            ChecksumType = checksumAlgorithm is null ? null : checksumType ?? MultipartChecksums.Composite,
        };
        var created = await _uploads.CreateUploadAsync(upload, cancellationToken).ConfigureAwait(false);
        return created.IsOk ? created.Value! : throw new InvalidOperationException($"Unexpected store status {created.Status} creating an upload.");
    }

    /// <summary>Streams one part into staged blocks; the part record is written only after the body passed its checks.</summary>
    public async Task<PartRecord> UploadPartAsync(Account account, string bucket, string key, string uploadId, int partNumber, UploadBody body, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var upload = await GetAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (upload.ChecksumAlgorithm is { } expected && body.ChecksumAlgorithm is { } sent && expected != sent)
        {
            throw S3Errors.InvalidRequest.With($"Checksum Type mismatch occurred, expected checksum Type: {expected.ToLowerInvariant()}, actual checksum Type: {sent.ToLowerInvariant()}").ToException();
        }

        // The request names no checksum but the upload has one: compute it on the way through.
        using var extra = upload.ChecksumAlgorithm is not null && body.ChecksumAlgorithm is null ? new HashingStream(body, upload.ChecksumAlgorithm) : null;
        Stream source = extra is null ? body : extra;
        var blockIds = await StageAsync(upload.BlobName, partNumber, source, length, cancellationToken).ConfigureAwait(false);

        // Reading to the end runs the body's length, Content-MD5 and checksum checks before anything is recorded.
        if (await source.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
        {
            throw S3Errors.IncompleteBody.With("The request body is longer than its declared length.").ToException();
        }

        var part = new PartRecord
        {
            Bucket = bucket,
            UploadId = uploadId,
            PartNumber = partNumber,
            Size = length,
            ETag = ETags.Quote(Convert.ToHexStringLower(body.Md5)),
            Checksum = upload.ChecksumAlgorithm is null ? null : extra?.ChecksumBase64 ?? body.ChecksumBase64,
            BlockIds = blockIds,
            LastModified = _time.GetUtcNow(),
        };
        await RecordPartAsync(part, cancellationToken).ConfigureAwait(false);
        return part;
    }

    /// <summary>Streams a byte range of another object through MD5 (and the upload's checksum) into staged blocks.</summary>
    /// <returns>The part and the upload's checksum algorithm (the one its checksum is in).</returns>
    public async Task<(PartRecord Part, string? ChecksumAlgorithm)> UploadPartCopyAsync(Account account, string bucket, string key, string uploadId, int partNumber, CopySource source, string? copySourceRange, CopySourceConditions sourceConditions, CancellationToken cancellationToken = default)
    {
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var upload = await GetAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var src = await _reader.GetCopySourceAsync(account, source, sourceConditions, cancellationToken).ConfigureAwait(false);
            var (offset, length) = ParseCopyRange(copySourceRange, src.Size);
            if (length > MaxPartSize)
            {
                throw S3Errors.InvalidRequest.With("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120").ToException();
            }

            var opened = await _blobs.OpenReadAsync(src.BlobName, offset, length, cancellationToken).ConfigureAwait(false);
            if (!opened.IsOk)
            {
                // The source was overwritten or deleted after we read it; read it again.
                continue;
            }

            var stream = opened.Value!;
            await using (stream.ConfigureAwait(false))
            {
                using var hashing = new HashingStream(stream, upload.ChecksumAlgorithm);
                var blockIds = await StageAsync(upload.BlobName, partNumber, hashing, length, cancellationToken).ConfigureAwait(false);
                if (hashing.BytesRead != length)
                {
                    throw new InvalidOperationException($"Blob {src.BlobName} is shorter than its object's recorded size.");
                }

                var part = new PartRecord
                {
                    Bucket = bucket,
                    UploadId = uploadId,
                    PartNumber = partNumber,
                    Size = length,
                    ETag = ETags.Quote(Convert.ToHexStringLower(hashing.Md5)),
                    Checksum = hashing.ChecksumBase64,
                    BlockIds = blockIds,
                    LastModified = _time.GetUtcNow(),
                };
                await RecordPartAsync(part, cancellationToken).ConfigureAwait(false);
                return (part, upload.ChecksumAlgorithm);
            }
        }

        throw S3Errors.SlowDown.With("The copy source kept changing; retry.").ToException();
    }

    public async Task AbortAsync(Account account, string bucket, string key, string uploadId, CancellationToken cancellationToken = default)
    {
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var upload = await GetAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (!await AbortUploadAsync(upload, expired: false, cancellationToken).ConfigureAwait(false))
        {
            throw S3Errors.NoSuchUpload.WithDetail("UploadId", uploadId).ToException();
        }
    }

    /// <summary>Aborts every in-progress upload of <paramref name="bucket"/>, which is being deleted. Returns how many.</summary>
    public async Task<int> AbortAllAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var aborted = 0;
        foreach (var upload in await _uploads.ListUploadsAsync(bucket, cancellationToken).ConfigureAwait(false))
        {
            if (await AbortUploadAsync(upload, expired: false, cancellationToken).ConfigureAwait(false))
            {
                aborted++;
            }
        }

        return aborted;
    }

    /// <summary>Aborts every upload initiated before <paramref name="initiatedBefore"/>, in every bucket. Returns how many.</summary>
    public async Task<int> AbortExpiredAsync(DateTimeOffset initiatedBefore, CancellationToken cancellationToken = default)
    {
        var aborted = 0;
        await foreach (var upload in _uploads.ListUploadsInitiatedBeforeAsync(initiatedBefore, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                if (await AbortUploadAsync(upload, expired: true, cancellationToken).ConfigureAwait(false))
                {
                    aborted++;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // One bad upload must not stop the sweep; the next run tries it again.
                Log.AbortExpiredFailed(_logger, e, upload.Bucket, upload.UploadId);
            }
        }

        return aborted;
    }

    public async Task<(UploadRecord Upload, IReadOnlyList<PartRecord> Parts, bool IsTruncated)> ListPartsAsync(Account account, string bucket, string key, string uploadId, int partNumberMarker, int maxParts, CancellationToken cancellationToken = default)
    {
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var upload = await GetAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (maxParts == 0)
        {
            return (upload, [], false);
        }

        var parts = await _uploads.ListPartsAsync(bucket, uploadId, partNumberMarker, maxParts + 1, cancellationToken).ConfigureAwait(false);
        return parts.Count > maxParts ? (upload, parts.Take(maxParts).ToList(), true) : (upload, parts, false);
    }

    /// <summary>
    /// One page of ListMultipartUploads. Reads every in-progress upload of the bucket and sorts in memory by
    /// (UTF-8 key order, upload id = initiation order): the cost follows in-progress uploads, not objects.
    /// </summary>
    public async Task<UploadListing> ListUploadsAsync(Account account, string bucket, UploadListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var all = await _uploads.ListUploadsAsync(bucket, cancellationToken).ConfigureAwait(false);
        return UploadListing.Page(all, query);
    }

    private async Task<UploadRecord> GetAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken) =>
        await FindAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false)
        ?? throw S3Errors.NoSuchUpload.WithDetail("UploadId", uploadId).ToException();

    private async Task<UploadRecord?> FindAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        if (!MultipartIds.IsWellFormed(uploadId))
        {
            return null;
        }

        var found = await _uploads.GetUploadAsync(bucket, uploadId, cancellationToken).ConfigureAwait(false);
        return found.IsOk && found.Value!.Key == key ? found.Value : null;
    }

    private async Task<IReadOnlyList<string>> StageAsync(string blobName, int partNumber, Stream source, long length, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return [];
        }

        var nonce = MultipartIds.NewAttemptNonce();
        var sizes = MultipartIds.BlockSizes(length);
        var ids = new List<string>(sizes.Count);
        for (var i = 0; i < sizes.Count; i++)
        {
            var id = MultipartIds.BlockId(partNumber, nonce, i);
            await using var block = new LengthLimitedStream(source, sizes[i]);
            await _blobs.StageBlockAsync(blobName, id, block, sizes[i], cancellationToken).ConfigureAwait(false);
            ids.Add(id);
        }

        return ids;
    }

    /// <summary>Writes the part record; if the upload was aborted meanwhile, removes what the abort could not see.</summary>
    private async Task RecordPartAsync(PartRecord part, CancellationToken cancellationToken)
    {
        await _uploads.PutPartAsync(part, cancellationToken).ConfigureAwait(false);
        var still = await _uploads.GetUploadAsync(part.Bucket, part.UploadId, cancellationToken).ConfigureAwait(false);
        if (still.Status == StoreStatus.NotFound)
        {
            await _uploads.DeletePartsAsync(part.Bucket, part.UploadId, cancellationToken).ConfigureAwait(false);
            throw S3Errors.NoSuchUpload.WithDetail("UploadId", part.UploadId).ToException();
        }
    }

    /// <summary>
    /// Removes the upload record (conditionally, so a Complete that marked it in between is noticed), then
    /// its parts, then releases its blob unless a Complete may be committing it or an object references it.
    /// Returns false when the upload was already gone.
    /// </summary>
    private async Task<bool> AbortUploadAsync(UploadRecord upload, bool expired, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var status = await _uploads.DeleteUploadAsync(upload.Bucket, upload.UploadId, upload.Version!, cancellationToken).ConfigureAwait(false);
            if (status == StoreStatus.Ok)
            {
                break;
            }

            var again = await _uploads.GetUploadAsync(upload.Bucket, upload.UploadId, cancellationToken).ConfigureAwait(false);
            if (status == StoreStatus.NotFound || !again.IsOk)
            {
                return false;
            }

            if (attempt == MaxAttempts)
            {
                throw S3Errors.SlowDown.With("The upload kept changing; retry.").ToException();
            }

            upload = again.Value!;
        }

        await _uploads.DeletePartsAsync(upload.Bucket, upload.UploadId, cancellationToken).ConfigureAwait(false);

        // A completing upload's blob may be (about to be) an object's: only an expired one, long past any
        // in-flight Complete, is released, and only when no object references it.
        if (upload.Completing)
        {
            if (!expired)
            {
                return true;
            }

            var current = await _metadata.GetObjectAsync(upload.Bucket, upload.Key, cancellationToken).ConfigureAwait(false);
            if (current.IsOk && current.Value!.BlobName == upload.BlobName)
            {
                return true;
            }
        }

        await _committer.DeleteBlobQuietlyAsync(upload.BlobName).ConfigureAwait(false);
        return true;
    }

    /// <summary>After the object committed: the parts, then the upload record (re-read: marking changed its version).</summary>
    private async Task ForgetAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        await _uploads.DeletePartsAsync(upload.Bucket, upload.UploadId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _uploads.GetUploadAsync(upload.Bucket, upload.UploadId, cancellationToken).ConfigureAwait(false);
            if (!current.IsOk)
            {
                return;
            }

            var status = await _uploads.DeleteUploadAsync(upload.Bucket, upload.UploadId, current.Value!.Version!, cancellationToken).ConfigureAwait(false);
            if (status != StoreStatus.PreconditionFailed)
            {
                return;
            }
        }
    }

    /// <summary>x-amz-copy-source-range: exactly <c>bytes=first-last</c> inside the source; absent means the whole source.</summary>
    private static (long Offset, long Length) ParseCopyRange(string? header, long size)
    {
        if (string.IsNullOrEmpty(header))
        {
            return (0, size);
        }

        var value = header.Trim();
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        var style = System.Globalization.NumberStyles.None;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (!value.StartsWith("bytes=", StringComparison.Ordinal)
            || dash < 0
            || !long.TryParse(value.AsSpan(6, dash - 6), style, invariant, out var first)
            || !long.TryParse(value.AsSpan(dash + 1), style, invariant, out var last)
            || last < first)
        {
            throw S3Errors.InvalidArgument
                .With("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
                .WithDetail("ArgumentName", "x-amz-copy-source-range")
                .WithDetail("ArgumentValue", header)
                .ToException();
        }

        if (last >= size)
        {
            throw S3Errors.InvalidArgument
                .With("Range specified is not valid for source object of size: " + size.ToString(invariant))
                .WithDetail("ArgumentName", "x-amz-copy-source-range")
                .WithDetail("ArgumentValue", header)
                .ToException();
        }

        return (first, last - first + 1);
    }
}

/// <summary>One Part element of a CompleteMultipartUpload request.</summary>
public sealed record CompletedPart(int PartNumber, string ETag, string? Checksum = null);
