using Microsoft.Extensions.Logging;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Errors;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// The commit step of every object mutation (write-path invariant): the bytes are already in a
/// blob unique to this write; one conditional single-document write makes the object visible;
/// only then is the superseded blob deleted. A write first tries to create the key without reading
/// it (one store request for a new key); a key that exists, or a lost race, re-reads the current
/// version and tries again (unconditional writes) or fails with 412 (conditional writes); the new
/// blob of a write that does not commit is deleted.
/// </summary>
public sealed class ObjectCommitter
{
    private const int MaxAttempts = 64;
    private readonly IMetadataStore _metadata;
    private readonly IBlobStore _blobs;
    private readonly ILogger<ObjectCommitter> _logger;

    public ObjectCommitter(IMetadataStore metadata, IBlobStore blobs, ILogger<ObjectCommitter> logger)
    {
        _metadata = metadata;
        _blobs = blobs;
        _logger = logger;
    }

    /// <summary>Fails early, before any bytes move, when the conditions already cannot hold.</summary>
    public async Task<ObjectRecord?> CheckAsync(string bucket, string key, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        if (conditions.IfMatch is null && !conditions.IfNoneMatchAny)
        {
            // Nothing can fail early; the commit itself finds out whether the key exists.
            return null;
        }

        var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        Evaluate(current.IsOk ? current.Value : null, conditions);
        return current.IsOk ? current.Value : null;
    }

    /// <summary>Commits <paramref name="record"/> (whose blob is written) under <paramref name="conditions"/>.</summary>
    public Task<ObjectRecord> CommitAsync(ObjectRecord record, WriteConditions conditions, CancellationToken cancellationToken = default) =>
        CommitAsync(record, conditions, deleteBlobOnFailure: true, cancellationToken);

    /// <param name="deleteBlobOnFailure">False when the blob must outlive a failed commit (a multipart upload stays completable).</param>
    public async Task<ObjectRecord> CommitAsync(ObjectRecord record, WriteConditions conditions, bool deleteBlobOnFailure, CancellationToken cancellationToken = default)
    {
        var committed = false;
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                // Most writes create a key: try that first, without reading, unless the write needs an existing
                // version (If-Match). A key that exists answers AlreadyExists and the loop reads it like any lost race.
                ObjectRecord? existing = null;
                if (attempt > 0 || conditions.IfMatch is not null)
                {
                    var current = await _metadata.GetObjectAsync(record.Bucket, record.Key, cancellationToken).ConfigureAwait(false);
                    existing = current.IsOk ? current.Value : null;
                }

                Evaluate(existing, conditions);

                var condition = existing?.Version is { } version ? WriteCondition.IfVersion(version) : WriteCondition.IfAbsent;
                var result = await _metadata.PutObjectAsync(record, condition, cancellationToken).ConfigureAwait(false);
                if (result.IsOk)
                {
                    committed = true;
                    if (existing is not null && existing.BlobName != record.BlobName)
                    {
                        await DeleteBlobQuietlyAsync(existing.BlobName).ConfigureAwait(false);
                    }

                    return result.Value!;
                }

                if (result.Status is not (StoreStatus.AlreadyExists or StoreStatus.PreconditionFailed))
                {
                    throw new InvalidOperationException($"Unexpected store status {result.Status} committing an object.");
                }

                // Someone else committed in between (or the key existed): re-evaluate against the current version.
                if (attempt > 0)
                {
                    await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken).ConfigureAwait(false);
                }
            }

            throw S3Errors.SlowDown.With("Too many concurrent writes to this key; retry.").ToException();
        }
        finally
        {
            if (!committed && deleteBlobOnFailure)
            {
                await DeleteBlobQuietlyAsync(record.BlobName).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Deletes a committed object: one conditional delete of its current version, then its blob. With an
    /// If-Match in <paramref name="conditions"/> only a matching version is deleted (else PreconditionFailed)
    /// and an absent key is NoSuchKey, as in S3.
    /// </summary>
    public async Task DeleteAsync(string bucket, string key, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            var existing = current.IsOk ? current.Value : null;
            Evaluate(existing, conditions);
            if (existing is null)
            {
                return;
            }

            // Deleting that version only: a write in between makes the next round judge the newer one.
            var status = await _metadata.DeleteObjectAsync(bucket, key, existing.Version!, cancellationToken).ConfigureAwait(false);
            if (status == StoreStatus.Ok)
            {
                await DeleteBlobQuietlyAsync(existing.BlobName).ConfigureAwait(false);
                return;
            }

            if (status == StoreStatus.NotFound && conditions.IfMatch is null)
            {
                return;
            }
        }

        throw S3Errors.SlowDown.With("Too many concurrent writes to this key; retry.").ToException();
    }

    /// <summary>Deletes a blob nobody references any more; failure only leaves work for the orphan sweeper.</summary>
    public async Task DeleteBlobQuietlyAsync(string blobName)
    {
        try
        {
            // Not the request's token: the commit is done, the cleanup should finish even if the client left.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _blobs.DeleteAsync(blobName, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.CleanupFailed(_logger, e, blobName);
        }
    }

    private static void Evaluate(ObjectRecord? existing, WriteConditions conditions)
    {
        if (conditions.IfNoneMatchAny && existing is not null)
        {
            throw S3Errors.PreconditionFailed.WithDetail("Condition", "If-None-Match").ToException();
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            if (existing is null)
            {
                throw S3Errors.NoSuchKey.ToException();
            }

            if (!ETags.Matches(ifMatch, existing.ETag))
            {
                throw S3Errors.PreconditionFailed.WithDetail("Condition", "If-Match").ToException();
            }
        }
    }
}
