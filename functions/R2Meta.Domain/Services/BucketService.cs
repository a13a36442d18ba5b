using System.Collections.Concurrent;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Clusters;
using R2Meta.Domain.Cors;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Outcomes;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>
/// Bucket lifecycle and ownership: the global bucket namespace and per-account access.
/// Every object request checks ownership, so existing buckets are remembered for
/// <see cref="BucketOptions.BucketCacheTtl"/> (S3's bucket operations are eventually consistent too);
/// a deletion here forgets at once, one on another instance within that time.
/// </summary>
public sealed class BucketService
{
    private readonly IMetadataStore _metadata;
    private readonly IVersionStore _versions;
    private readonly UploadAborter _uploads;
    private readonly BucketOptions _options;
    private readonly ClusterSet _clusters;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (BucketRecord Record, long ExpiresAt)> _known = new(StringComparer.Ordinal);

    public BucketService(IMetadataStore metadata, IVersionStore versions, UploadAborter uploads, BucketOptions options, ClusterSet clusters, TimeProvider time)
    {
        _clusters = clusters;
        _metadata = metadata;
        _versions = versions;
        _uploads = uploads;
        _options = options;
        _time = time;
    }

    /// <param name="publicRead">CreateBucket's x-amz-acl public-read: the bucket's objects are readable by anyone.</param>
    /// <param name="location">CreateBucket's LocationConstraint: a cluster's location label (see <see cref="ClusterSet.Place"/>); null: the placement policy.</param>
    public async Task<Outcome<BucketRecord>> CreateAsync(Account account, string name, bool publicRead = false, string? location = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (!BucketNames.IsValid(name))
        {
            return new DomainError(Failure.InvalidBucketName, name);
        }

        if (_options.ReservedNames.Contains(name))
        {
            return new DomainError(Failure.ReservedBucketName, name);
        }

        if (_clusters.Place(name, location) is not { } cluster)
        {
            return new DomainError(Failure.InvalidLocationConstraint, location);
        }

        // With one cluster a bucket is stored as before clusters existed; with several it gets an incarnation.
        var record = new BucketRecord
        {
            Name = name,
            OwnerId = account.CanonicalUserId,
            CreatedAt = _time.GetUtcNow(),
            Region = _clusters.IsMulti ? cluster.Location : _options.Region,
            HasDirectoryIndex = true,
            PublicRead = publicRead,
            Cluster = _clusters.IsMulti ? cluster.Name : null,
            Incarnation = _clusters.IsMulti ? BucketPlacement.NewIncarnation() : null,
        };
        var result = await _metadata.CreateBucketAsync(record, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            StoreStatus.Ok => result.Value!,
            StoreStatus.AlreadyExists when result.Value?.OwnerId == account.CanonicalUserId => new DomainError(Failure.BucketAlreadyOwnedByYou, name),
            StoreStatus.AlreadyExists => new DomainError(Failure.BucketAlreadyExists, name),
            _ => throw new InvalidOperationException($"Unexpected store status {result.Status} creating a bucket."),
        };
    }

    /// <summary>
    /// The preamble of every write to a key: the key must be one S3 accepts (checked first, as S3 answers a bad
    /// key before looking at the bucket), then the bucket must exist and be <paramref name="account"/>'s.
    /// </summary>
    public async Task<Outcome<BucketRecord>> GetOwnedForKeyAsync(Account account, string name, string key, CancellationToken cancellationToken = default)
    {
        if (ObjectKeys.Check(key) is { } invalid)
        {
            return invalid;
        }

        return await GetOwnedAsync(account, name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The bucket if it exists and <paramref name="account"/> owns it; otherwise NoSuchBucket or AccessDenied.</summary>
    public async Task<Outcome<BucketRecord>> GetOwnedAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        var record = await FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return new DomainError(Failure.NoSuchBucket, name);
        }

        return record.OwnerId == account.CanonicalUserId ? record : new DomainError(Failure.AccessDenied);
    }

    /// <summary>Put/DeleteBucketEncryption: <paramref name="encryption"/> (null: back to the default).</summary>
    public Task<Outcome<BucketRecord>> SetEncryptionAsync(Account account, string name, BucketEncryption? encryption, CancellationToken cancellationToken = default) =>
        UpdateAsync(account, name, bucket => bucket with { Encryption = encryption }, cancellationToken);

    /// <summary>Put/DeleteBucketCors: <paramref name="rules"/> (null: no CORS configuration).</summary>
    public Task<Outcome<BucketRecord>> SetCorsAsync(Account account, string name, IReadOnlyList<CorsRule>? rules, CancellationToken cancellationToken = default) =>
        UpdateAsync(account, name, bucket => bucket with { Cors = rules }, cancellationToken);

    /// <summary>Put/DeleteBucketTagging: <paramref name="tags"/> (null or empty: no tag set).</summary>
    public Task<Outcome<BucketRecord>> SetTagsAsync(Account account, string name, IReadOnlyList<Tag>? tags, CancellationToken cancellationToken = default) =>
        UpdateAsync(account, name, bucket => bucket with { Tags = tags is { Count: > 0 } ? tags : null }, cancellationToken);

    /// <summary>
    /// PutBucketVersioning: Enabled or Suspended (a bucket never returns to unversioned). This instance's cache
    /// forgets the bucket at once; other instances apply the change within the bucket cache TTL, as S3 asks
    /// clients to allow for after a versioning change.
    /// </summary>
    public Task<Outcome<BucketRecord>> SetVersioningAsync(Account account, string name, BucketVersioning versioning, CancellationToken cancellationToken = default)
    {
        if (versioning == BucketVersioning.Unversioned)
        {
            throw new ArgumentOutOfRangeException(nameof(versioning), versioning, "A bucket cannot become unversioned again.");
        }

        return UpdateAsync(account, name, bucket => bucket with { Versioning = versioning }, cancellationToken);
    }

    /// <summary>
    /// Put/DeleteBucketLifecycleConfiguration: <paramref name="rules"/> (null: none). The executor's cursors go with the
    /// old configuration: its scans start over under the new rules.
    /// </summary>
    public Task<Outcome<BucketRecord>> SetLifecycleAsync(Account account, string name, IReadOnlyList<LifecycleRule>? rules, CancellationToken cancellationToken = default) =>
        UpdateAsync(account, name, bucket => bucket with { Lifecycle = rules, LifecycleCursors = null }, cancellationToken);

    /// <summary>
    /// PutBucketNotificationConfiguration. An empty configuration removes the queues but keeps an empty record on a bucket
    /// that had one, so the dispatcher still drains what was recorded before. Other instances apply the change within the
    /// bucket cache TTL (as S3's own "may take a few minutes").
    /// </summary>
    public Task<Outcome<BucketRecord>> SetNotificationsAsync(Account account, string name, Notifications.NotificationConfiguration configuration, CancellationToken cancellationToken = default) =>
        NotificationsUnavailable is { } unavailable
            ? Task.FromResult<Outcome<BucketRecord>>(unavailable)
            : UpdateAsync(account, name, bucket => bucket with
        {
            Notifications = configuration.Queues.Count == 0 && bucket.Notifications is null ? null : configuration,
        }, cancellationToken);

    /// <summary>
    /// Null when this deployment offers event notifications; else why not: with several metadata clusters the pending
    /// events (kept in the bucket's partition of its cluster) do not yet follow a bucket's placement or a move.
    /// </summary>
    public DomainError? NotificationsUnavailable => _clusters.IsMulti
        ? new DomainError(Failure.NotAvailableHere, "Event notifications are not available on a deployment with several metadata clusters yet.")
        : null;

    /// <summary>PutBucketAcl with the canned ACL public-read (true) or private (false).</summary>
    public Task<Outcome<BucketRecord>> SetPublicReadAsync(Account account, string name, bool publicRead, CancellationToken cancellationToken = default) =>
        UpdateAsync(account, name, bucket => bucket with { PublicRead = publicRead }, cancellationToken);

    /// <summary>
    /// The bucket of this name whoever owns it, through the bucket cache; null when there is none. For requests
    /// no account signed (CORS, public reads): a setting changed on another instance is seen within the cache TTL.
    /// </summary>
    public Task<BucketRecord?> FindAnyAsync(string name, CancellationToken cancellationToken = default) => FindAsync(name, cancellationToken);

    /// <summary>
    /// Changes one setting on the bucket record with a replace conditioned on the version read, retried when a
    /// concurrent change wins.
    /// </summary>
    private async Task<Outcome<BucketRecord>> UpdateAsync(Account account, string name, Func<BucketRecord, BucketRecord> change, CancellationToken cancellationToken)
    {
        const int Attempts = 3;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var owned = await GetOwnedCurrentAsync(account, name, cancellationToken).ConfigureAwait(false);
            if (!owned.IsOk)
            {
                return owned;
            }

            var replaced = await _metadata.ReplaceBucketAsync(change(owned.Value), cancellationToken).ConfigureAwait(false);
            if (replaced.IsOk)
            {
                _known.TryRemove(name, out _);
                return replaced.Value!;
            }
        }

        return new DomainError(Failure.Busy, "The bucket kept changing; retry.");
    }

    /// <summary>
    /// <see cref="GetOwnedAsync"/> read past the bucket cache: for answers about the bucket's own settings
    /// (a cached record could predate a change made through another instance) and for conditional replaces.
    /// </summary>
    public Task<Outcome<BucketRecord>> GetOwnedCurrentAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        _known.TryRemove(name, out _);
        return GetOwnedAsync(account, name, cancellationToken);
    }

    /// <summary>Whether a bucket of this name exists, whoever owns it (S3 bucket names are global and not secret).</summary>
    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        await FindAsync(name, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>
    /// DeleteBucket: an empty bucket goes, with its in-progress multipart uploads (as in S3; kept, they
    /// would reappear in a bucket created later under the same name). Emptiness is checked before the
    /// uploads are aborted and again just before the delete (one more read on a rare call): an object
    /// written while the uploads were aborted keeps the bucket. The window between that read and the
    /// delete remains; no cross-document transaction closes it.
    /// </summary>
    public async Task<Outcome> DeleteAsync(Account account, string name, CancellationToken cancellationToken = default)
    {
        var deletable = await CheckDeletableAsync(account, name, cancellationToken).ConfigureAwait(false);
        if (deletable is not null)
        {
            return deletable;
        }

        var aborted = await _uploads.AbortAllAsync(name, cancellationToken).ConfigureAwait(false);
        if (!aborted.IsOk)
        {
            return aborted.Error;
        }

        deletable = await CheckDeletableAsync(account, name, cancellationToken).ConfigureAwait(false);
        if (deletable is not null)
        {
            return deletable;
        }

        _known.TryRemove(name, out _);
        var status = await _metadata.DeleteBucketAsync(name, cancellationToken).ConfigureAwait(false);
        return status switch
        {
            StoreStatus.NotFound => new DomainError(Failure.NoSuchBucket, name),
            // Found not empty under the delete fence (several clusters): a write landed after the check above.
            StoreStatus.PreconditionFailed => new DomainError(Failure.BucketNotEmpty, name),
            _ => Outcome.Ok,
        };
    }

    /// <summary>Null when the caller owns the bucket and it holds no object; else why it cannot be deleted.</summary>
    private async Task<DomainError?> CheckDeletableAsync(Account account, string name, CancellationToken cancellationToken)
    {
        var owned = await GetOwnedAsync(account, name, cancellationToken).ConfigureAwait(false);
        if (!owned.IsOk)
        {
            return owned.Error;
        }

        if (owned.Value.Versioning == BucketVersioning.Unversioned)
        {
            var any = await _metadata.ReadRangeAsync(name, string.Empty, null, 1, cancellationToken).ConfigureAwait(false);
            return any.Count == 0 ? null : new DomainError(Failure.BucketNotEmpty, name);
        }

        // A versioned bucket is empty only without versions and delete markers too, as in S3.
        var current = await _versions.ReadCurrentAsync(name, string.Empty, null, 1, cancellationToken).ConfigureAwait(false);
        var history = current.Count == 0 ? await _versions.ReadVersionsAsync(name, string.Empty, null, 1, cancellationToken).ConfigureAwait(false) : current;
        return history.Count == 0 ? null : new DomainError(Failure.BucketNotEmpty, name);
    }

    private async Task<BucketRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_known.TryGetValue(name, out var known) && known.ExpiresAt > now)
        {
            return known.Record;
        }

        var result = await _metadata.GetBucketAsync(name, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            _known.TryRemove(name, out _);
            return null;
        }

        if (_options.BucketCacheTtl > TimeSpan.Zero)
        {
            _known[name] = (result.Value!, now + (long)(_options.BucketCacheTtl.TotalSeconds * _time.TimestampFrequency));
        }

        return result.Value;
    }

    public Task<IReadOnlyList<BucketRecord>> ListAsync(Account account, CancellationToken cancellationToken = default) =>
        _metadata.ListBucketsAsync(account.CanonicalUserId, cancellationToken);
}
