using Microsoft.Extensions.Logging;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>CompleteMultipartUpload: marks the upload completing, commits the object with one conditional write, then forgets the upload.</summary>
public sealed partial class MultipartService
{
    /// <summary>CompleteMultipartUpload; <paramref name="requested"/> is the client's part list, already non-empty.</summary>
    /// <param name="stated">The request's x-amz-checksum-* and x-amz-checksum-type: what the client computed for the whole object, checked.</param>
    public async Task<Outcome<ObjectRecord>> CompleteAsync(Account account, string bucket, string key, string uploadId, IReadOnlyList<CompletedPart> requested, WriteConditions conditions, StatedChecksum? stated = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var owned = await _buckets.GetOwnedAsync(account, bucket, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        var upload = await FindAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
        if (upload is null)
        {
            var completed = await FindCompletedAsync(bucket, key, uploadId, cancellationToken).ConfigureAwait(false);
            return completed is null ? new DomainError(Failure.NoSuchUpload, uploadId) : completed;
        }

        for (var i = 1; i < requested.Count; i++)
        {
            if (requested[i].PartNumber <= requested[i - 1].PartNumber)
            {
                return new DomainError(Failure.InvalidPartOrder);
            }
        }

        // A retry after a crash between the object commit and the clean-up: the object is this upload's.
        var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        if (current.IsOk && current.Value!.BlobName == upload.BlobName)
        {
            await ForgetAsync(upload, cancellationToken).ConfigureAwait(false);
            return current.Value;
        }

        var check = ObjectCommitter.CheckAgainst(current.IsOk ? current.Value : null, conditions);
        if (!check.IsOk)
        {
            return check.Error;
        }

        var stored = (await _uploads.ListPartsAsync(bucket, uploadId, 0, AllParts, cancellationToken).ConfigureAwait(false))
            .ToDictionary(p => p.PartNumber);
        var chosen = new List<PartRecord>(requested.Count);
        foreach (var wanted in requested)
        {
            if (!stored.TryGetValue(wanted.PartNumber, out var part) || ETags.Unquote(wanted.ETag) != ETags.Unquote(part.ETag))
            {
                return new DomainError(Failure.InvalidPart, uploadId)
                {
                    Facts = [new("UploadId", uploadId), new("PartNumber", wanted.PartNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("ETag", wanted.ETag)],
                };
            }

            if (MultipartChecksums.CheckPart(upload, wanted, part) is { } wrongChecksum)
            {
                return wrongChecksum;
            }

            chosen.Add(part);
        }

        for (var i = 0; i < chosen.Count - 1; i++)
        {
            if (chosen[i].Size < MinPartSize)
            {
                var invariant = System.Globalization.CultureInfo.InvariantCulture;
                return new DomainError(Failure.PartTooSmall)
                {
                    Facts =
                    [
                        new("ProposedSize", chosen[i].Size.ToString(invariant)),
                        new("MinSizeAllowed", MinPartSize.ToString(invariant)),
                        new("PartNumber", chosen[i].PartNumber.ToString(invariant)),
                        new("ETag", ETags.Unquote(chosen[i].ETag)),
                    ],
                };
            }
        }

        // Judged before anything is committed: a stated checksum that does not hold leaves the upload as it was.
        var checksum = MultipartChecksums.ForCompletedObject(upload, chosen, stated);
        if (!checksum.IsOk)
        {
            return checksum.Error;
        }

        var marked = await MarkCompletingAsync(upload, cancellationToken).ConfigureAwait(false);
        if (!marked.IsOk)
        {
            return marked.Error;
        }

        upload = marked.Value;
        var blocks = await _blobs.CommitBlocksAsync(upload.BlobName, [.. chosen.SelectMany(p => p.BlockIds)], StorageClasses.TierOf(upload.StorageClass), cancellationToken).ConfigureAwait(false);
        if (blocks != StoreStatus.Ok)
        {
            // A part's blocks are gone: an earlier Complete committed a list without them, and the
            // service discarded the blocks it left out. That part must be uploaded again.
            return new DomainError(Failure.InvalidPart, uploadId);
        }

        var checksums = new Dictionary<string, string>();
        if (checksum.Value is { } whole)
        {
            checksums[whole.Algorithm] = whole.Value;
        }

        var now = _time.GetUtcNow();
        var record = Keys.VersionIds.Stamp(new ObjectRecord
        {
            Bucket = bucket,
            Key = key,
            BlobName = upload.BlobName,
            Size = chosen.Sum(p => p.Size),
            ETag = MultipartChecksums.ETag(chosen),
            LastModified = now,
            Headers = upload.Headers,
            StorageClass = upload.StorageClass,
            Tags = upload.Tags,
            Checksums = checksums,
            ChecksumType = checksum.Value?.Type,
            PartsCount = chosen.Count,
            PartSizes = [.. chosen.Select(p => p.Size)],
            PartChecksums = checksums.Count > 0 ? [.. chosen.Select(p => p.Checksum!)] : null,
        }, owned.Value.Versioning, now);

        // The blob is the upload's, not a pending write's: a failed condition leaves the upload (and its
        // committed blocks) for another Complete or an Abort.
        var committed = await _committer.CommitAsync(record, conditions, check.Value, EventIntent.For(owned.Value, S3EventNames.ObjectCreatedCompleteMultipartUpload), cancellationToken).ConfigureAwait(false);
        if (committed.IsOk)
        {
            await ForgetAsync(upload, cancellationToken).ConfigureAwait(false);
        }

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
    private async Task<Outcome<UploadRecord>> MarkCompletingAsync(UploadRecord upload, CancellationToken cancellationToken)
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
            if (!again.IsOk)
            {
                return new DomainError(Failure.NoSuchUpload, upload.UploadId);
            }

            upload = again.Value!;
        }

        return new DomainError(Failure.Busy, "The upload kept changing; retry.");
    }
}
