using Microsoft.Extensions.Logging;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Maintenance;

/// <summary>How long a blob may exist unreferenced before it is treated as a crashed write's leftover.</summary>
public sealed record OrphanSweeperOptions
{
    /// <summary>
    /// Must exceed the longest time between a blob's commit and the metadata commit that refers to it
    /// (seconds in practice; R2META_ORPHAN_GRACE_MINUTES, default 60).
    /// </summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Object records read per metadata round trip.</summary>
    public int PageSize { get; init; } = 1000;
}

/// <summary>What one sweep found and did.</summary>
public readonly record struct OrphanSweepResult(int Buckets, int Candidates, int Deleted, int FailedBuckets);

/// <summary>
/// Deletes blobs no metadata refers to (left by a write that crashed before its commit, or whose
/// post-commit cleanup failed) once they are older than the grace period.
/// <para>
/// Per bucket (every first segment of a blob name, so buckets already gone from metadata are swept
/// too): FIRST list the candidates, blobs committed before <c>now - grace</c>; THEN read every
/// reference in the bucket's metadata (object records and in-progress multipart uploads); THEN delete the candidates nothing referred to. A candidate's
/// write committed its metadata, if ever, within the grace period of the blob, so before the metadata
/// read began; blob names are never reused, so a reference cannot appear later. Scanning metadata
/// first would let a write commit between the scan and the listing.
/// </para>
/// <para>
/// Memory per bucket is O(blobs older than the grace period), about O(objects in the bucket): the
/// candidate names are held in a set while the metadata is read page by page.
/// </para>
/// </summary>
public sealed class OrphanBlobSweeper : IMaintenanceJob
{
    public const string JobName = "orphan-sweeper";

    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly IVersionStore _versions;
    private readonly IUploadStore _uploads;
    private readonly OrphanSweeperOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<OrphanBlobSweeper> _logger;

    public OrphanBlobSweeper(IBlobStore blobs, IMetadataStore metadata, IVersionStore versions, IUploadStore uploads, OrphanSweeperOptions options, TimeProvider time, ILogger<OrphanBlobSweeper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Grace, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        _blobs = blobs;
        _metadata = metadata;
        _versions = versions;
        _uploads = uploads;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string Name => JobName;

    public Task RunAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>One pass over every bucket. A failing bucket is logged and skipped (nothing of it deleted after the failure).</summary>
    public async Task<OrphanSweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = _time.GetUtcNow() - _options.Grace;
        var result = new OrphanSweepResult();
        await BlobBuckets.ForEachAsync(
            _blobs,
            async bucket =>
            {
                var (candidates, deleted) = await SweepBucketAsync(bucket, cutoff, cancellationToken).ConfigureAwait(false);
                result = result with { Buckets = result.Buckets + 1, Candidates = result.Candidates + candidates, Deleted = result.Deleted + deleted };
            },
            (bucket, e) =>
            {
                Log.BucketSweepFailed(_logger, e, bucket);
                result = result with { Buckets = result.Buckets + 1, FailedBuckets = result.FailedBuckets + 1 };
            },
            cancellationToken).ConfigureAwait(false);

        Log.SweepDone(_logger, result.Buckets, result.Candidates, cutoff, result.Deleted, result.FailedBuckets);
        return result;
    }

    private async Task<(int Candidates, int Deleted)> SweepBucketAsync(string bucket, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var unreferenced = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in _blobs.ListAsync(bucket + "/", cancellationToken).ConfigureAwait(false))
        {
            if (blob.CreatedAt < cutoff)
            {
                unreferenced.Add(blob.Name);
            }
        }

        var candidates = unreferenced.Count;
        if (candidates == 0)
        {
            return (0, 0);
        }

        await RemoveReferencedAsync(bucket, unreferenced, cancellationToken).ConfigureAwait(false);
        foreach (var name in unreferenced)
        {
            await _blobs.DeleteAsync(name, cancellationToken).ConfigureAwait(false);
        }

        Log.BucketSwept(_logger, bucket, candidates, cutoff, unreferenced.Count);
        return (candidates, unreferenced.Count);
    }

    /// <summary>
    /// Every blob the bucket's metadata refers to leaves the set: in-progress uploads (whose blob a completing
    /// upload may already have committed), then the version history, then objects, then the history again.
    /// Uploads first because completion moves the reference from the upload record to the object record (object
    /// committed, then upload deleted), so a reference that leaves the uploads after they are read is already
    /// among the objects when those are read. A version moves between the current record and the history
    /// without a moment in neither (copied into the history before it is superseded; promoted before its entry
    /// is removed), so a reference missed by one read is met by the next: a version promoted after the first
    /// history read is current when the objects are read, and one superseded after the objects were read is in
    /// the history when it is read again. Unversioned buckets have no history: the reads find nothing, one round trip each.
    /// </summary>
    private async Task RemoveReferencedAsync(string bucket, HashSet<string> names, CancellationToken cancellationToken)
    {
        foreach (var upload in await _uploads.ListUploadsAsync(bucket, cancellationToken).ConfigureAwait(false))
        {
            names.Remove(upload.BlobName);
        }

        await RemoveAsync(names, (from, limit) => _versions.ReadVersionsAsync(bucket, from, null, limit, cancellationToken), v => VersionIds.SortKey(v.Key, v.VersionId!)).ConfigureAwait(false);
        await RemoveAsync(names, (from, limit) => _metadata.ReadRangeAsync(bucket, from, null, limit, cancellationToken), r => SortKeyCodec.Encode(r.Key)).ConfigureAwait(false);
        await RemoveAsync(names, (from, limit) => _versions.ReadVersionsAsync(bucket, from, null, limit, cancellationToken), v => VersionIds.SortKey(v.Key, v.VersionId!)).ConfigureAwait(false);
    }

    private async Task RemoveAsync(HashSet<string> names, Func<string, int, Task<IReadOnlyList<ObjectRecord>>> read, Func<ObjectRecord, string> sortKeyOf)
    {
        var from = string.Empty;
        while (names.Count > 0)
        {
            var page = await read(from, _options.PageSize).ConfigureAwait(false);
            foreach (var record in page)
            {
                names.Remove(record.BlobName);
            }

            if (page.Count < _options.PageSize)
            {
                return;
            }

            // Sort keys are unique per key and version (overflow keys end in a hash), so "just after the last one" misses nothing.
            from = sortKeyOf(page[^1]) + '\0';
        }
    }
}
