using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Aborts multipart uploads: for AbortMultipartUpload, for the expiry job, and for DeleteBucket, which
/// takes a bucket's in-progress uploads with it. Its own class so that both <see cref="MultipartService"/>
/// and <see cref="BucketService"/> can use it (the multipart service depends on the bucket service).
/// </summary>
public sealed class UploadAborter
{
    private const int MaxAttempts = 8;
    private readonly IMetadataStore _metadata;
    private readonly IUploadStore _uploads;
    private readonly ObjectCommitter _committer;

    public UploadAborter(IMetadataStore metadata, IUploadStore uploads, ObjectCommitter committer)
    {
        _metadata = metadata;
        _uploads = uploads;
        _committer = committer;
    }

    /// <summary>Aborts every in-progress upload of <paramref name="bucket"/>. Returns how many.</summary>
    public async Task<Outcome<int>> AbortAllAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var aborted = 0;
        foreach (var upload in await _uploads.ListUploadsAsync(bucket, cancellationToken).ConfigureAwait(false))
        {
            var outcome = await AbortAsync(upload, expired: false, cancellationToken).ConfigureAwait(false);
            if (!outcome.IsOk)
            {
                return outcome.Error;
            }

            aborted += outcome.Value ? 1 : 0;
        }

        return aborted;
    }

    /// <summary>
    /// Removes the upload record (conditionally, so a Complete that marked it in between is noticed), then
    /// its parts, then releases its blob unless a Complete may be committing it or an object references it.
    /// False when the upload was already gone.
    /// </summary>
    public async Task<Outcome<bool>> AbortAsync(UploadRecord upload, bool expired, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
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
                return new DomainError(Failure.Busy, "The upload kept changing; retry.");
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
}
