using R2Meta.Domain.Keys;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Versioned buckets. The key's current record stays the commit point and holds the whole current version
/// (GET stays one read); the noncurrent versions live in the history (<see cref="IVersionStore"/>).
/// <list type="bullet">
/// <item>A write that supersedes the current version first copies it into the history (an idempotent upsert
/// under the version's id), then replaces the current record conditioned on the version it copied. A crash or a
/// lost race in between leaves a history entry that duplicates a committed version — the current one, which
/// readers prefer over its copy — and never loses one.</item>
/// <item>While versioning is suspended a write replaces the null version: the current one is not copied (its
/// blob goes after the commit), and a null version in the history is removed after the commit (entry, then
/// blob); a crash in between leaves two null versions, of which readers show the newer.</item>
/// <item>Deleting the current version by id promotes the newest history entry into the current record
/// (conditioned on the current version), leaves that entry as a duplicate (a write superseding the promoted version
/// at once needs it), then removes the deleted version's entry and blob; with no history left the current record is
/// deleted. A version deleted by id while it was being promoted is deleted again as the current version: the
/// deleter of a noncurrent version looks at the current record after removing the entry, the promoter looks for
/// the entry after its commit, and whichever comes second sees the other. Deleting a noncurrent version removes
/// its entry, then its blob. A crash after the commit leaves a duplicate entry or an orphan blob, both harmless.</item>
/// </list>
/// </summary>
public sealed partial class ObjectCommitter
{
    private const int NullSearchPage = 100;

    /// <summary>What a delete did: the version it removed or the delete marker it wrote (S3's answer headers).</summary>
    public readonly record struct DeleteOutcome(string? VersionId, bool DeleteMarker);

    /// <summary>DeleteObject without a version id in a versioned bucket: writes a delete marker as a new version.</summary>
    public async Task<Outcome<DeleteOutcome>> WriteDeleteMarkerAsync(string bucket, string key, BucketVersioning versioning, WriteConditions conditions, EventIntent? events = null, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var marker = VersionIds.Stamp(
            new ObjectRecord { Bucket = bucket, Key = key, BlobName = string.Empty, Size = 0, ETag = string.Empty, LastModified = now, IsDeleteMarker = true },
            versioning,
            now);
        var committed = await CommitVersionAsync(marker, conditions, WriteCheck.NotRead, events, cancellationToken).ConfigureAwait(false);
        return committed.IsOk ? new DeleteOutcome(committed.Value.S3VersionId, DeleteMarker: true) : committed.Error;
    }

    /// <summary>
    /// The version <paramref name="versionId"/> ("null" or a well-formed id) of the key: the current record when it
    /// is that version (one read), else its history entry. NotFound when there is none.
    /// </summary>
    public async Task<(ObjectRecord? Version, ObjectRecord? Current)> FindVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken = default)
    {
        var found = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        var current = found.IsOk ? found.Value : null;
        if (current is not null && current.S3VersionId == versionId)
        {
            return (current, current);
        }

        if (versionId == VersionIds.Null)
        {
            return (await FindNullInHistoryAsync(bucket, key, cancellationToken).ConfigureAwait(false), current);
        }

        var entry = await _versions.GetVersionAsync(bucket, key, versionId, cancellationToken).ConfigureAwait(false);
        return (entry.IsOk ? entry.Value : null, current);
    }

    /// <summary>
    /// DeleteObject with a version id: removes exactly that version (a version that does not exist is no error, as in S3).
    /// Removing the current version records <paramref name="events"/>' events with its commit; removing a noncurrent
    /// version (a history entry, in another table or key range than the current record) records none.
    /// </summary>
    public async Task<Outcome<DeleteOutcome>> DeleteVersionAsync(string bucket, string key, string versionId, EventIntent? events = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (version, current) = await FindVersionAsync(bucket, key, versionId, cancellationToken).ConfigureAwait(false);
            if (version is null)
            {
                return new DeleteOutcome(versionId, DeleteMarker: false);
            }

            if (!ReferenceEquals(version, current))
            {
                await _versions.DeleteVersionAsync(bucket, key, version.VersionId!, cancellationToken).ConfigureAwait(false);
                // A concurrent delete of the current version may have promoted this one meanwhile: then it is
                // deleted as the current version (next attempt), and its blob with it.
                var now = await _metadata.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
                if (now.IsOk && now.Value!.VersionId == version.VersionId)
                {
                    continue;
                }

                await DeleteVersionBlobAsync(version, now.IsOk ? now.Value : null).ConfigureAwait(false);
                return new DeleteOutcome(versionId, version.IsDeleteMarker);
            }

            if (await DeleteCurrentVersionAsync(current!, events, cancellationToken).ConfigureAwait(false))
            {
                return new DeleteOutcome(versionId, current!.IsDeleteMarker);
            }

            await Task.Delay(Random.Shared.Next(1, 5 + attempt), cancellationToken).ConfigureAwait(false);
        }

        return new DomainError(Failure.Busy, "Too many concurrent writes to this key; retry.");
    }

    /// <summary>The commit of a versioned write (<see cref="CommitAsync"/> for a record with a version id).</summary>
    private async Task<Outcome<ObjectRecord>> CommitVersionAsync(ObjectRecord record, WriteConditions conditions, WriteCheck check, EventIntent? events, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
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

            if (Evaluate(Visible(existing), conditions) is { } failed)
            {
                return failed;
            }

            var result = await CommitVersionOverAsync(record, existing, events, cancellationToken).ConfigureAwait(false);
            if (result.IsOk)
            {
                return result.Value!;
            }

            await BackOffAfterLostCommitAsync(result.Status, attempt, cancellationToken).ConfigureAwait(false);
        }

        return new DomainError(Failure.Busy, "Too many concurrent writes to this key; retry.");
    }

    /// <summary>
    /// One attempt of a versioned commit over <paramref name="existing"/> (the current record as read; null: none): the
    /// superseded version into the history (unless it is the null version a suspended write replaces), then the
    /// record conditioned on <paramref name="existing"/>'s store version, then the cleanup of what it replaced. A
    /// lost race is the store's status, nothing changed but a harmless duplicate history entry.
    /// </summary>
    private async Task<StoreResult<ObjectRecord>> CommitVersionOverAsync(ObjectRecord record, ObjectRecord? existing, EventIntent? events, CancellationToken cancellationToken)
    {
        // Enabled keeps every version; Suspended replaces the null version and keeps the others.
        var keep = existing is not null && !(record.IsNullVersion && IsNull(existing));
        record = record with { VersionId = VersionIds.NewerThan(record.VersionId!, existing is null ? null : VersionIds.AsHistory(existing).VersionId) };
        if (keep)
        {
            await _versions.PutVersionAsync(VersionIds.AsHistory(existing!), cancellationToken).ConfigureAwait(false);
        }

        var condition = existing?.Version is { } version ? WriteCondition.IfVersion(version) : WriteCondition.IfAbsent;
        var result = await _metadata.PutObjectAsync(EventRecorder.Attach(record, existing, events, _time.GetUtcNow()), condition, cancellationToken).ConfigureAwait(false);
        if (result.IsOk)
        {
            AfterCommit(record.Bucket, result.Value!.PendingEvents);
            if (existing is not null && !keep)
            {
                await DeleteVersionBlobAsync(existing, record).ConfigureAwait(false);
            }

            if (record.IsNullVersion && existing is not null)
            {
                await RemoveNullHistoryAsync(record, cancellationToken).ConfigureAwait(false);
            }
        }

        return result;
    }

    /// <summary>
    /// Deletes the current version: promotes the newest history entry, or deletes the record when there is none.
    /// False when the current record changed meanwhile (the caller looks again).
    /// </summary>
    private async Task<bool> DeleteCurrentVersionAsync(ObjectRecord current, EventIntent? events, CancellationToken cancellationToken)
    {
        var (from, to) = VersionIds.RangeOf(current.Key);
        // Only a version older than the current one can take its place: the current version's id precedes every id in
        // its history (VersionIds.NewerThan), so an entry before it is the copy a version deleted by id meanwhile leaves
        // until its deleter removes it, and promoting that would bring the deleted version back. Read from past the
        // current version where its id places it. A current record without a well-formed id (written before versioning)
        // is read from the key's first entry, two at a time: the first may be a crash's duplicate of it.
        if (VersionIds.IsWellFormed(current.VersionId))
        {
            from = VersionIds.After(current.Key, current.VersionId!);
        }

        var newest = (await _versions.ReadVersionsAsync(current.Bucket, from, to, 2, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(v => v.VersionId != current.VersionId);
        ObjectRecord? zombie = null;
        // The events still pending on the current record go on with the commit that removes it, with this delete's.
        var pending = EventRecorder.Merge(current.PendingEvents, EventRecorder.Removal(events, current, _time.GetUtcNow()));
        if (newest is null)
        {
            var status = await _metadata.DeleteObjectAsync(current.Bucket, current.Key, current.Version!, pending, cancellationToken).ConfigureAwait(false);
            if (status != StoreStatus.Ok)
            {
                return false;
            }
        }
        else
        {
            var promoted = await _metadata.PutObjectAsync(newest with { Version = null, PendingEvents = pending }, WriteCondition.IfVersion(current.Version!), cancellationToken).ConfigureAwait(false);
            if (!promoted.IsOk)
            {
                return false;
            }

            // Past the commit the promoted entry duplicates the current record, and stays: readers drop it, and a
            // write superseding the promoted version meanwhile relies on it being there (deleting it could lose that
            // version). Gone already means that version was deleted by id concurrently, after this read it: it must
            // not come back, so it is deleted as the current version now (its deleter saw another current one).
            var entry = await _versions.GetVersionAsync(current.Bucket, current.Key, newest.VersionId!, CancellationToken.None).ConfigureAwait(false);
            if (entry.Status == StoreStatus.NotFound)
            {
                zombie = newest;
            }
        }

        if (current.VersionId is not null)
        {
            // A copy a crashed or racing write may have left of the version just deleted.
            await _versions.DeleteVersionAsync(current.Bucket, current.Key, current.VersionId, CancellationToken.None).ConfigureAwait(false);
        }

        AfterCommit(current.Bucket, pending);
        await DeleteVersionBlobAsync(current, newest).ConfigureAwait(false);
        if (zombie is not null)
        {
            await DeleteVersionAsync(current.Bucket, current.Key, zombie.S3VersionId, events, CancellationToken.None).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Removes every null version from the key's history except <paramref name="keep"/>'s, with their blobs.</summary>
    private async Task RemoveNullHistoryAsync(ObjectRecord keep, CancellationToken cancellationToken)
    {
        while (await FindNullInHistoryAsync(keep.Bucket, keep.Key, CancellationToken.None).ConfigureAwait(false) is { } stale && stale.VersionId != keep.VersionId)
        {
            await _versions.DeleteVersionAsync(keep.Bucket, keep.Key, stale.VersionId!, CancellationToken.None).ConfigureAwait(false);
            await DeleteVersionBlobAsync(stale, keep).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The newest null version in the key's history: read page by page (suspended writes and "null" ids only).</summary>
    private async Task<ObjectRecord?> FindNullInHistoryAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var (from, to) = VersionIds.RangeOf(key);
        while (true)
        {
            var page = await _versions.ReadVersionsAsync(bucket, from, to, NullSearchPage, cancellationToken).ConfigureAwait(false);
            if (page.FirstOrDefault(IsNull) is { } found)
            {
                return found;
            }

            if (page.Count < NullSearchPage)
            {
                return null;
            }

            from = VersionIds.After(key, page[^1].VersionId!);
        }
    }

    /// <summary>Deletes a removed version's blob unless <paramref name="survivor"/> (the version that stays) still names it.</summary>
    private Task DeleteVersionBlobAsync(ObjectRecord removed, ObjectRecord? survivor) =>
        removed.IsDeleteMarker || removed.BlobName.Length == 0 || removed.BlobName == survivor?.BlobName
            ? Task.CompletedTask
            : DeleteBlobQuietlyAsync(removed.BlobName);

    private static bool IsNull(ObjectRecord record) => record.S3VersionId == VersionIds.Null;
}
