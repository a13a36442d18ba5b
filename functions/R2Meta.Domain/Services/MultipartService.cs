using Microsoft.Extensions.Logging;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Outcomes;
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
    private readonly UploadAborter _aborter;
    private readonly ObjectReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger<MultipartService> _logger;

    public MultipartService(IMetadataStore metadata, IUploadStore uploads, IBlobStore blobs, BucketService buckets, ObjectCommitter committer, UploadAborter aborter, ObjectReader reader, TimeProvider time, ILogger<MultipartService> logger)
    {
        _aborter = aborter;
        _metadata = metadata;
        _uploads = uploads;
        _blobs = blobs;
        _buckets = buckets;
        _committer = committer;
        _reader = reader;
        _time = time;
        _logger = logger;
    }

    /// <param name="tags">x-amz-tagging: the completed object's tag set (null or empty: none).</param>
    /// <param name="storageClass">x-amz-storage-class: the completed object's (its blob's tier is set by the block list commit).</param>
    public async Task<Outcome<UploadRecord>> CreateAsync(Account account, string bucket, string key, ContentHeaders headers, IReadOnlyList<Tag>? tags, string storageClass, string? checksumAlgorithm, string? checksumType, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(headers);
        var owned = await _buckets.GetOwnedForKeyAsync(account, bucket, key, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

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
            StorageClass = storageClass,
            Tags = tags is { Count: > 0 } ? tags : null,
            ChecksumAlgorithm = checksumAlgorithm,
            ChecksumType = checksumAlgorithm is null ? null : checksumType ?? MultipartChecksums.Composite,
        };
        var created = await _uploads.CreateUploadAsync(upload, cancellationToken).ConfigureAwait(false);
        return created.IsOk ? created.Value! : throw new InvalidOperationException($"Unexpected store status {created.Status} creating an upload.");
    }

    /// <summary>Streams one part into staged blocks; the part record is written only after the body passed its checks.</summary>
    public async Task<Outcome<PartRecord>> UploadPartAsync(Account account, string bucket, string key, string uploadId, int partNumber, UploadBody body, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var found = await GetOwnedAsync(account, bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return found.Error;
        }

        var upload = found.Value;
        if (upload.ChecksumAlgorithm is { } expected && body.ChecksumAlgorithm is { } sent && expected != sent)
        {
            return new DomainError(Failure.ChecksumAlgorithmMismatch) { Facts = [new("Expected", expected), new("Actual", sent)] };
        }

        // The request names no checksum but the upload has one: compute it on the way through.
        using var extra = upload.ChecksumAlgorithm is not null && body.ChecksumAlgorithm is null ? new HashingStream(body, upload.ChecksumAlgorithm) : null;
        Stream source = extra is null ? body : extra;
        var blockIds = await StageAsync(upload.BlobName, partNumber, source, length, cancellationToken).ConfigureAwait(false);

        // Reading to the end runs the body's length, Content-MD5 and checksum checks before anything is recorded.
        if (await source.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
        {
            return new DomainError(Failure.BodyLongerThanDeclared);
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
        var recorded = await RecordPartAsync(part, cancellationToken).ConfigureAwait(false);
        return recorded.IsOk ? part : recorded.Error;
    }

    /// <summary>Streams a byte range of another object through MD5 (and the upload's checksum) into staged blocks.</summary>
    /// <returns>The part and the upload's checksum algorithm (the one its checksum is in).</returns>
    public async Task<Outcome<(PartRecord Part, string? ChecksumAlgorithm)>> UploadPartCopyAsync(Account account, string bucket, string key, string uploadId, int partNumber, CopySource source, string? copySourceRange, CopySourceConditions sourceConditions, CancellationToken cancellationToken = default)
    {
        var found = await GetOwnedAsync(account, bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return found.Error;
        }

        var upload = found.Value;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var read = await _reader.GetCopySourceAsync(account, source, sourceConditions, cancellationToken).ConfigureAwait(false);
            if (!read.IsOk)
            {
                return read.Error;
            }

            var src = read.Value;
            var range = ParseCopyRange(copySourceRange, src.Size);
            if (!range.IsOk)
            {
                return range.Error;
            }

            var (offset, length) = range.Value;
            if (length > MaxPartSize)
            {
                return new DomainError(Failure.CopySourceTooLarge);
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
                var recorded = await RecordPartAsync(part, cancellationToken).ConfigureAwait(false);
                return recorded.IsOk ? (part, upload.ChecksumAlgorithm) : recorded.Error;
            }
        }

        return new DomainError(Failure.Busy, "The copy source kept changing; retry.");
    }

    public async Task<Outcome> AbortAsync(Account account, string bucket, string key, string uploadId, CancellationToken cancellationToken = default)
    {
        var found = await GetOwnedAsync(account, bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return found.Error;
        }

        var aborted = await _aborter.AbortAsync(found.Value, expired: false, cancellationToken).ConfigureAwait(false);
        if (!aborted.IsOk)
        {
            return aborted.Error;
        }

        return aborted.Value ? Outcome.Ok : new DomainError(Failure.NoSuchUpload, uploadId);
    }

    /// <summary>Aborts every upload initiated before <paramref name="initiatedBefore"/>, in every bucket. Returns how many.</summary>
    public async Task<int> AbortExpiredAsync(DateTimeOffset initiatedBefore, CancellationToken cancellationToken = default)
    {
        var aborted = 0;
        await foreach (var upload in _uploads.ListUploadsInitiatedBeforeAsync(initiatedBefore, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                // An upload still changing (Busy) is left for the next run, like one that failed.
                var outcome = await _aborter.AbortAsync(upload, expired: true, cancellationToken).ConfigureAwait(false);
                aborted += outcome is { IsOk: true, Value: true } ? 1 : 0;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // One bad upload must not stop the sweep; the next run tries it again.
                Log.AbortExpiredFailed(_logger, e, upload.Bucket, upload.UploadId);
            }
        }

        return aborted;
    }

    public async Task<Outcome<(UploadRecord Upload, IReadOnlyList<PartRecord> Parts, bool IsTruncated)>> ListPartsAsync(Account account, string bucket, string key, string uploadId, int partNumberMarker, int maxParts, CancellationToken cancellationToken = default)
    {
        var found = await GetOwnedAsync(account, bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (!found.IsOk)
        {
            return found.Error;
        }

        var upload = found.Value;
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
    public async Task<Outcome<UploadListing>> ListUploadsAsync(Account account, string bucket, UploadListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        var all = await _uploads.ListUploadsAsync(bucket, cancellationToken).ConfigureAwait(false);
        return UploadListing.Page(all, query);
    }

    /// <summary>The upload, if the account owns its bucket and it is in progress for <paramref name="key"/>.</summary>
    private async Task<Outcome<UploadRecord>> GetOwnedAsync(Account account, string bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        var upload = await FindAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        return upload is null ? new DomainError(Failure.NoSuchUpload, uploadId) : upload;
    }

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
    private async Task<Outcome> RecordPartAsync(PartRecord part, CancellationToken cancellationToken)
    {
        await _uploads.PutPartAsync(part, cancellationToken).ConfigureAwait(false);
        var still = await _uploads.GetUploadAsync(part.Bucket, part.UploadId, cancellationToken).ConfigureAwait(false);
        if (still.Status == StoreStatus.NotFound)
        {
            await _uploads.DeletePartsAsync(part.Bucket, part.UploadId, cancellationToken).ConfigureAwait(false);
            return new DomainError(Failure.NoSuchUpload, part.UploadId);
        }

        return Outcome.Ok;
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
    private static Outcome<(long Offset, long Length)> ParseCopyRange(string? header, long size)
    {
        if (string.IsNullOrEmpty(header))
        {
            return new Outcome<(long, long)>((0, size));
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
            return new DomainError(Failure.InvalidCopySourceRange, header);
        }

        if (last >= size)
        {
            return new DomainError(Failure.CopySourceRangeNotSatisfiable, header) { Facts = [new("Size", size.ToString(invariant))] };
        }

        return new Outcome<(long, long)>((first, last - first + 1));
    }
}

/// <summary>One Part element of a CompleteMultipartUpload request.</summary>
/// <summary>A Part of a CompleteMultipartUpload body; <paramref name="ChecksumAlgorithm"/> names the element its <paramref name="Checksum"/> came from.</summary>
public sealed record CompletedPart(int PartNumber, string ETag, string? Checksum = null, string? ChecksumAlgorithm = null);
