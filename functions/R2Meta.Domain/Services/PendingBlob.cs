using R2Meta.Domain.Notifications;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// A blob written for one object write and not yet referenced by any record. It owns the blob from the
/// write until the commit: disposed without a successful <see cref="CommitAsync"/> (a failed condition, a
/// lost race, an exception), it deletes the blob, so no path forgets the cleanup. A crash in between
/// leaves the blob to the orphan sweeper.
/// </summary>
public sealed class PendingBlob : IAsyncDisposable
{
    private readonly ObjectCommitter _committer;
    private bool _settled;

    internal PendingBlob(ObjectCommitter committer, string name)
    {
        _committer = committer;
        Name = name;
    }

    /// <summary>The blob's name, unique to this write: the <see cref="ObjectRecord.BlobName"/> to commit.</summary>
    public string Name { get; }

    /// <summary>Commits <paramref name="record"/>, which must name this blob; on success the blob belongs to the object.</summary>
    public async Task<Outcome<ObjectRecord>> CommitAsync(ObjectRecord record, WriteConditions conditions, WriteCheck check, EventIntent? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.BlobName != Name)
        {
            throw new ArgumentException($"The record names blob {record.BlobName}, not the pending {Name}.", nameof(record));
        }

        try
        {
            var committed = await _committer.CommitAsync(record, conditions, check, events, cancellationToken).ConfigureAwait(false);
            _settled |= committed.IsOk;
            return committed;
        }
        catch (StoreUnavailableException e) when (e.Reason == StoreUnavailableReason.BucketMoving)
        {
            // The commit may have landed before its fence check failed, and a bucket move may have copied the record:
            // the blob stays, and the orphan sweeper removes it if no record names it.
            _settled = true;
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_settled)
        {
            _settled = true;
            await _committer.DeleteBlobQuietlyAsync(Name).ConfigureAwait(false);
        }
    }
}
