using Microsoft.Extensions.Logging;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Errors;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>CompleteMultipartUpload: marks the upload completing, commits the object with one conditional write, then forgets the upload.</summary>
public sealed partial class MultipartService
{
    /// <summary>CompleteMultipartUpload; <paramref name="requested"/> is the client's part list, already non-empty.</summary>
    /// <param name="expectedChecksums">x-amz-checksum-* of the request by algorithm: a FULL_OBJECT checksum the client computed, checked.</param>
    public async Task<ObjectRecord> CompleteAsync(Account account, string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> requested, WriteConditions conditions, IReadOnlyDictionary<string, string>? expectedChecksums = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requested);
        await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        var upload = await FindAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            return await FindCompletedAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false)
                ?? throw S3Errors.NoSuchUpload.WithDetail("UploadId", uploadId).ToException();
        }

        for (var i = 1; i < requested.Count; i++)
        {
            if (requested[i].PartNumber <= requested[i - 1].PartNumber)
            {
                throw S3Errors.InvalidPartOrder.ToException();
            }
        }

        // A retry after a crash between the object commit and the clean-up: the object is this upload's.
        var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        if (current.IsOk && current.Value!.BlobName == upload.BlobName)
        {
            await ForgetAsync(upload, cancellationToken).ConfigureAwait(false);
            return current.Value;
        }

        await _committer.CheckAsync(bucket, key, conditions, cancellationToken).ConfigureAwait(false);
        var stored = (await _uploads.ListPartsAsync(bucket, uploadId, 0, AllParts, cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.PartNumber);
        var chosen = new List<PartRecord>(requested.Count);
        foreach (var wanted in requested)
        {
            if (!stored.TryGetValue(wanted.PartNumber, out var part)
                || ETags.Unquote(wanted.ETag) != ETags.Unquote(part.ETag)
                || (wanted.Checksum is not null && upload.ChecksumAlgorithm is not null && wanted.Checksum != part.Checksum))
            {
                throw S3Errors.InvalidPart
                    .WithDetail("UploadId", uploadId)
                    .WithDetail("PartNumber", wanted.PartNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .WithDetail("ETag", wanted.ETag)
                    .ToException();
            }

            chosen.Add(part);
        }

        for (var i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Size < MinPartSize)
            {
                var invariant = System.Globalization.CultureInfo.InvariantCulture;
                throw S3Errors.EntityTooSmall
                    .WithDetail("ProposedSize", chosen[i].Size.ToString(invariant))
                    .WithDetail("MinSizeAllowed", MinPartSize.ToString(invariant))
                    .WithDetail("PartNumber", chosen[i].PartNumber.ToString(invariant))
                    .WithDetail("ETag", ETags.Unquote(chosen[i].ETag))
                    .ToException();
            }
        }

        upload = await MarkCompletingAsync(upload, cancellationToken).ConfigureAwait(false);
        var blocks = await _blobs.CommitBlocksAsync(upload.BlobName, [.. chosen.SelectMany(p => p.BlockIds)], cancellationToken).ConfigureAwait(false);
        if (blocks != StoreStatus.Ok)
        {
            // A part's blocks are gone: an earlier Complete committed a list without them, and the
            // service discarded the blocks it left out. That part must be uploaded again.
            throw S3Errors.InvalidPart.ToException();
        }

        var checksums = new Dictionary<string, string>();
        string? checksumType = null;
        if (upload.ChecksumAlgorithm is { } algorithm && chosen.All(p => p.Checksum is not null))
        {
            if (upload.ChecksumType == MultipartChecksums.FullObject && MultipartChecksums.SupportsFullObject(algorithm))
            {
                checksums[algorithm] = MultipartChecksums.FullObjectChecksum(algorithm, [.. chosen.Select(p => (p.Checksum!, p.Size))]);
                checksumType = MultipartChecksums.FullObject;
                if (expectedChecksums?.GetValueOrDefault(algorithm) is { } expected && expected != checksums[algorithm])
                {
                    throw S3Errors.BadDigest.With($"The {algorithm} you specified for the object did not match the calculated checksum.").ToException();
                }
            }
            else
            {
                checksums[algorithm] = MultipartChecksums.CompositeChecksum(algorithm, [.. chosen.Select(p => p.Checksum!)]);
                checksumType = MultipartChecksums.Composite;
            }
        }

        var record = new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            BlobName = upload.BlobName,
            Size = chosen.Sum(p => p.Size),
            ETag = MultipartChecksums.ETag(chosen),
            LastModified = _time.GetUtcNow(),
            Headers = upload.Headers,
            StorageClass = upload.StorageClass,
            Checksums = checksums,
            ChecksumType = checksumType,
            PartsCount = chosen.Count,
            PartSizes = [.. chosen.Select(p => p.Size)],
        };

        // A failed condition leaves the upload (and its committed blocks) for another Complete or an Abort.
        var committed = await _committer.CommitAsync(record, conditions, deleteBlobOnFailure: false, cancellationToken).ConfigureAwait(false);
        await ForgetAsync(upload, cancellationToken).ConfigureAwait(false);
        return committed;
    }

    /// <summary>
    /// For a Complete retried after it succeeded (its answer lost), which S3 answers again: the key's
    /// current object when that upload made it (its blob ends in the upload id), else null.
    /// </summary>
    private async Task<ObjectRecord?> FindCompletedAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken)
    {
        if (!MultipartIds.IsWellFormed(uploadId))
        {
            return null;
        }

        var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return current.IsOk && ObjectKeys.IsMultipartBlobOf(current.Value!.BlobName, bucket, uploadId) ? current.Value : null;
    }

    /// <summary>Marks the upload as completing with a conditional replace, so a racing Abort leaves its blob alone.</summary>
    private async Task<UploadRecord> MarkCompletingAsync(UploadRecord upload, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (upload.Completing)
            {
                return upload;
            }

            var replaced = await _uploads.ReplaceUploadAsync(upload with { Completing = true }, upload.Version!, cancellationToken).ConfigureAwait(false);
            if (replaced.IsOk)
            {
                return replaced.Value!;
            }

            var again = await _uploads.GetUploadAsync(upload.Bucket, upload.UploadId, cancellationToken).ConfigureAwait(false);
            upload = again.IsOk ? again.Value! : throw S3Errors.NoSuchUpload.WithDetail("UploadId", upload.UploadId).ToException();
        }

        throw S3Errors.SlowDown.With("The upload kept changing; retry.").ToException();
    }
}
