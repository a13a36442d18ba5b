using Microsoft.Extensions.Logging;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Hashing;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// The commit step of every object mutation (write-path invariant): the bytes go into a blob unique to
/// this write (a <see cref="PendingBlob"/>, which deletes it unless it commits); one conditional
/// single-document write makes the object visible; only then is the superseded blob deleted. A write
/// first tries to create the key without reading it (one store request for a new key); a key that exists,
/// or a lost race, re-reads the current version and tries again (unconditional writes) or fails the
/// condition (conditional writes).
/// <para>
/// Event notifications (<see cref="EventIntent"/>, null for a bucket without a configuration, which then pays
/// nothing) are recorded by the commit write itself: the record carries its <see cref="ObjectRecord.PendingEvents"/>
/// and a delete passes its events to the conditional delete, and each adapter writes them atomically with the
/// commit (Tables: outbox rows in the same entity group transaction; Cosmos: inside the same document, see the
/// adapters). No second write exists that a crash could separate from the commit. The
/// <see cref="NotificationDispatcher"/> delivers them afterwards; it is started at once after such a commit.
/// </para>
/// </summary>
public sealed partial class ObjectCommitter
{
    private const int MaxAttempts = 64;
    private readonly IMetadataStore _metadata;
    private readonly IVersionStore _versions;
    private readonly IBlobStore _blobs;
    private readonly TimeProvider _time;
    private readonly ILogger<ObjectCommitter> _logger;
    private readonly NotificationDispatcher? _dispatcher;

    /// <param name="dispatcher">Started after a commit that recorded events; null where nothing delivers them at once.</param>
    public ObjectCommitter(IMetadataStore metadata, IVersionStore versions, IBlobStore blobs, TimeProvider time, ILogger<ObjectCommitter> logger, NotificationDispatcher? dispatcher = null)
    {
        _metadata = metadata;
        _versions = versions;
        _blobs = blobs;
        _time = time;
        _logger = logger;
        _dispatcher = dispatcher;
    }

    /// <summary>
    /// Fails early, before any bytes move, when the conditions already cannot hold. What it read seeds the
    /// commit (<see cref="CommitAsync"/>), so a conditional write reads the current version once.
    /// </summary>
    public async Task<Outcome<WriteCheck>> CheckAsync(string bucket, string key, WriteConditions conditions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.IfMatch is null && conditions.IfNoneMatch is null)
        {
            // Nothing can fail early; the commit itself finds out whether the key exists.
            return WriteCheck.NotRead;
        }

        var found = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return CheckAgainst(found.IsOk ? found.Value : null, conditions);
    }

    /// <summary>
    /// <see cref="CheckAsync"/> for a caller that has just read the key's current object itself (null: no object),
    /// so the conditions cost no second read and the commit starts from that record.
    /// </summary>
    public static Outcome<WriteCheck> CheckAgainst(ObjectRecord? current, WriteConditions conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return Evaluate(Visible(current), conditions) is { } failed ? failed : new WriteCheck(Read: true, current);
    }

    /// <summary>Streams <paramref name="body"/> into a new blob of <paramref name="bucket"/> in the tier of <paramref name="storageClass"/>, owned by the returned pending write.</summary>
    public async Task<PendingBlob> WriteAsync(string bucket, UploadBody body, string storageClass, CancellationToken cancellationToken = default)
    {
        var pending = new PendingBlob(this, ObjectKeys.NewBlobName(bucket, _time.GetUtcNow()));
        try
        {
            await _blobs.WriteAsync(pending.Name, body, StorageClasses.TierOf(storageClass), cancellationToken).ConfigureAwait(false);
            return pending;
        }
        catch
        {
            // A failed body (bad digest, short body) or store: nothing may keep the half-written blob.
            await pending.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Copies <paramref name="sourceBlob"/> into a new blob of <paramref name="bucket"/> in the tier of <paramref name="storageClass"/>; null when the source is gone.</summary>
    public async Task<PendingBlob?> CopyAsync(string sourceBlob, string bucket, string storageClass, CancellationToken cancellationToken = default)
    {
        var pending = new PendingBlob(this, ObjectKeys.NewBlobName(bucket, _time.GetUtcNow()));
        var copied = StoreStatus.NotFound;
        try
        {
            copied = await _blobs.CopyAsync(sourceBlob, pending.Name, StorageClasses.TierOf(storageClass), cancellationToken).ConfigureAwait(false);
            return copied == StoreStatus.Ok ? pending : null;
        }
        finally
        {
            if (copied != StoreStatus.Ok)
            {
                await pending.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Commits <paramref name="record"/> (whose blob is written) under <paramref name="conditions"/>. The new
    /// blob stays the caller's either way (a <see cref="PendingBlob"/>, or a multipart upload's own blob).
    /// </summary>
    /// <param name="check">What <see cref="CheckAsync"/> read: the first attempt uses it instead of reading
    /// again. A version that changed since only costs one more round of the loop, as the write is
    /// conditional on the version.</param>
    /// <param name="events">The events this commit causes (<see cref="EventIntent.For"/>); null: none.</param>
    public async Task<Outcome<ObjectRecord>> CommitAsync(ObjectRecord record, WriteConditions conditions, WriteCheck check, EventIntent? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(conditions);
        if (record.VersionId is not null)
        {
            return await CommitVersionAsync(record, conditions, check, events, cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Most writes create a key: try that first, without reading, unless the write needs an existing
            // version (If-Match). A key that exists answers AlreadyExists and the loop reads it like any lost race.
            ObjectRecord? existing = null;
            if (attempt == 0 && check.Read)
            {
                existing = check.Current;
            }
            else if (attempt > 0 || conditions.IfMatch is not null)
            {
                var current = await _metadata.GetObjectAsync(record.Bucket, record.Key, cancellationToken).ConfigureAwait(false);
                existing = current.IsOk ? current.Value : null;
            }

            if (Evaluate(existing, conditions) is { } failed)
            {
                return failed;
            }

            var condition = existing?.Version is { } version ? WriteCondition.IfVersion(version) : WriteCondition.IfAbsent;
            var result = await _metadata.PutObjectAsync(EventRecorder.Attach(record, existing, events, _time.GetUtcNow()), condition, cancellationToken).ConfigureAwait(false);
            if (result.IsOk)
            {
                AfterCommit(result.Value!.Bucket, result.Value.PendingEvents);
                if (existing is not null && existing.BlobName != record.BlobName)
                {
                    await DeleteBlobQuietlyAsync(existing.BlobName).ConfigureAwait(false);
                }

                return result.Value!;
            }

            await BackOffAfterLostCommitAsync(result.Status, attempt, cancellationToken).ConfigureAwait(false);
        }

        return new DomainError(Failure.Busy, "Too many concurrent writes to this key; retry.");
    }

    /// <summary>
    /// After a commit that lost: someone else committed in between (or the key existed), so the caller re-reads and
    /// tries again, from the second loss after a short random pause; any other status is a broken invariant.
    /// </summary>
    private static async Task BackOffAfterLostCommitAsync(StoreStatus status, int attempt, CancellationToken cancellationToken)
    {
        if (status is not (StoreStatus.AlreadyExists or StoreStatus.PreconditionFailed))
        {
            throw new InvalidOperationException($"Unexpected store status {status} committing an object.");
        }

        if (attempt > 0)
        {
            await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Changes the metadata of the key's current version in place (same blob, same ETag): one replace
    /// conditioned on the version read. A write that commits in between wins the race and the change is applied
    /// to the version it committed, as if the change had come after it; a delete in between makes the key
    /// NoSuchKey. Nothing a concurrent PUT wrote is ever overwritten with the older version's data.
    /// </summary>
    public async Task<Outcome<ObjectRecord>> UpdateAsync(string bucket, string key, Func<ObjectRecord, ObjectRecord> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            if (!current.IsOk || current.Value!.IsDeleteMarker)
            {
                return new DomainError(Failure.NoSuchKey, key);
            }

            var existing = current.Value!;
            var changed = change(existing) with { Version = null };
            var result = await _metadata.PutObjectAsync(changed, WriteCondition.IfVersion(existing.Version!), cancellationToken).ConfigureAwait(false);
            if (result.IsOk)
            {
                return result.Value!;
            }

            if (result.Status is not (StoreStatus.PreconditionFailed or StoreStatus.NotFound or StoreStatus.AlreadyExists))
            {
                throw new InvalidOperationException($"Unexpected store status {result.Status} updating an object.");
            }
        }

        return new DomainError(Failure.Busy, "Too many concurrent writes to this key; retry.");
    }

    /// <summary>
    /// Deletes a committed object: one conditional delete of its current version, then its blob. With an
    /// If-Match in <paramref name="conditions"/> only a matching version is deleted (else PreconditionFailed)
    /// and an absent key is NoSuchKey, as in S3. The delete records <paramref name="events"/>' events with itself.
    /// </summary>
    public async Task<Outcome> DeleteAsync(string bucket, string key, WriteConditions conditions, EventIntent? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            var existing = current.IsOk ? current.Value : null;
            if (Evaluate(existing, conditions) is { } failed)
            {
                return failed;
            }

            if (existing is null)
            {
                return Outcome.Ok;
            }

            // Deleting that version only: a write in between makes the next round judge the newer one.
            var status = await DeleteRecordAsync(existing, events, cancellationToken).ConfigureAwait(false);
            if (status == StoreStatus.Ok)
            {
                return Outcome.Ok;
            }

            if (status == StoreStatus.NotFound && conditions.IfMatch is null)
            {
                return Outcome.Ok;
            }
        }

        return new DomainError(Failure.Busy, "Too many concurrent writes to this key; retry.");
    }

    /// <summary>
    /// The commit of an unversioned delete: removes <paramref name="existing"/> if its store version still matches,
    /// recording the removal's events (and those still pending on it) with that one write, then deletes its blob.
    /// </summary>
    private async Task<StoreStatus> DeleteRecordAsync(ObjectRecord existing, EventIntent? events, CancellationToken cancellationToken)
    {
        var pending = EventRecorder.Merge(existing.PendingEvents, EventRecorder.Removal(events, existing, _time.GetUtcNow()));
        var status = await _metadata.DeleteObjectAsync(existing.Bucket, existing.Key, existing.Version!, pending, cancellationToken).ConfigureAwait(false);
        if (status == StoreStatus.Ok)
        {
            AfterCommit(existing.Bucket, pending);
            await DeleteBlobQuietlyAsync(existing.BlobName).ConfigureAwait(false);
        }

        return status;
    }

    /// <summary>Starts delivery of the events a commit just recorded, if it recorded any.</summary>
    private void AfterCommit(string bucket, IReadOnlyList<PendingEvent>? recorded)
    {
        if (recorded is { Count: > 0 })
        {
            _dispatcher?.AfterCommit(bucket);
        }
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

    /// <summary>The current record as conditions see it: a delete marker is no object.</summary>
    private static ObjectRecord? Visible(ObjectRecord? current) => current is { IsDeleteMarker: true } ? null : current;

    private static DomainError? Evaluate(ObjectRecord? existing, WriteConditions conditions)
    {
        // Judged against the version the commit is conditioned on, so no write can slip in between.
        if (conditions.IfNoneMatch is { } ifNoneMatch && existing is not null && ETags.Matches(ifNoneMatch, existing.ETag))
        {
            return new DomainError(Failure.PreconditionFailed, "If-None-Match");
        }

        if (conditions.IfMatch is { } ifMatch)
        {
            if (existing is null)
            {
                return new DomainError(Failure.NoSuchKey);
            }

            if (!ETags.Matches(ifMatch, existing.ETag))
            {
                return new DomainError(Failure.PreconditionFailed, "If-Match");
            }
        }

        return null;
    }
}

/// <summary>
/// What <see cref="ObjectCommitter.CheckAsync"/> read: whether it read the key at all, and the version it
/// found (null: absent). Seeds the commit's first attempt.
/// </summary>
public readonly record struct WriteCheck(bool Read, ObjectRecord? Current)
{
    public static WriteCheck NotRead => default;
}
