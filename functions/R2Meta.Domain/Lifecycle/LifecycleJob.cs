using Microsoft.Extensions.Logging;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Maintenance;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Lifecycle;

/// <summary>How much one lifecycle run reads (R2META_LIFECYCLE_MAX_RECORDS_PER_SCAN).</summary>
public sealed record LifecycleOptions
{
    /// <summary>Records read per metadata round trip.</summary>
    public int PageSize { get; init; } = 1000;

    /// <summary>Records one scan (a bucket's rule, current or noncurrent versions) reads in one run before it saves its cursor and stops.</summary>
    public int MaxRecordsPerScan { get; init; } = 10_000;
}

/// <summary>What one run read and did.</summary>
public readonly record struct LifecycleRunResult(int Buckets, int Read, int Expired, int Aborted, int FailedBuckets, int Transitioned = 0)
{
    public LifecycleRunResult Add(LifecycleRunResult other) =>
        new(Buckets + other.Buckets, Read + other.Read, Expired + other.Expired, Aborted + other.Aborted, FailedBuckets + other.FailedBuckets, Transitioned + other.Transitioned);
}

/// <summary>
/// The lifecycle executor: applies each bucket's enabled lifecycle rules (see <see cref="LifecycleRule"/>) at the time
/// of its <see cref="TimeProvider"/>.
/// <list type="bullet">
/// <item>Scans: per rule, one over the current versions (Expiration by Days or Date, ExpiredObjectDeleteMarker,
/// Transition) and one over the version history (NoncurrentVersionExpiration, NoncurrentVersionTransition), each over the sort-key range of the rule's prefix only
/// (<see cref="SortKeyCodec.PrefixRange"/>): the cost of a scan follows the objects under the prefix, not the bucket.
/// Tag and size conditions cannot be seeked on: a rule filtering only by them reads every record of the bucket (or of its
/// prefix), as does a rule without a prefix. Every run rescans, because objects age into a rule without being written.</item>
/// <item>Bounded and resumable: a scan reads at most <see cref="LifecycleOptions.MaxRecordsPerScan"/> records per run;
/// where it stopped is saved in the bucket record (<see cref="BucketRecord.LifecycleCursors"/>, keyed by rule id and
/// scan) with one replace conditioned on the record's version, and the next run resumes there. A run that finishes
/// every scan of a bucket without a cursor to clear writes nothing.</item>
/// <item>Through the client's write path: expiring goes through <see cref="ObjectCommitter"/> (a delete, or a delete
/// marker in a versioned bucket; noncurrent versions as a delete by version id; multipart uploads through
/// <see cref="UploadAborter"/>; a transition moves the blob to the class's tier, then replaces the record), each conditioned on the store version the decision was made on. Several instances
/// may run at once: they do the same work, one wins each write, the losers move on; a cursor save that loses just
/// means the next run repeats some reading.</item>
/// <item>Buckets are found as the orphan sweeper finds them, by the first segments of blob names: a bucket that holds
/// no blob at all (only delete markers) is not visited, and its expired delete markers stay until it holds one.</item>
/// <item>AbortIncompleteMultipartUpload reads the bucket's in-progress uploads (its cost follows those, never the
/// objects) and aborts those of the rule's prefix initiated the rule's days ago.</item>
/// </list>
/// </summary>
public sealed class LifecycleJob : IMaintenanceJob
{
    public const string JobName = "lifecycle";

    private const string CurrentScan = "/current";
    private const string NoncurrentScan = "/noncurrent";

    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly IVersionStore _versions;
    private readonly IUploadStore _uploads;
    private readonly ObjectCommitter _committer;
    private readonly UploadAborter _aborter;
    private readonly LifecycleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LifecycleJob> _logger;

    public LifecycleJob(
        IBlobStore blobs,
        IMetadataStore metadata,
        IVersionStore versions,
        IUploadStore uploads,
        ObjectCommitter committer,
        UploadAborter aborter,
        LifecycleOptions options,
        TimeProvider time,
        ILogger<LifecycleJob> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRecordsPerScan, 1);
        _blobs = blobs;
        _metadata = metadata;
        _versions = versions;
        _uploads = uploads;
        _committer = committer;
        _aborter = aborter;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string Name => JobName;

    public Task RunAsync(CancellationToken cancellationToken) => RunOnceAsync(cancellationToken);

    /// <summary>One run over every bucket with a lifecycle configuration. A failing bucket is logged and skipped.</summary>
    public async Task<LifecycleRunResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var result = new LifecycleRunResult();
        await BlobBuckets.ForEachAsync(
            _blobs,
            async name =>
            {
                var bucket = await _metadata.GetBucketAsync(name, cancellationToken).ConfigureAwait(false);
                if (bucket.IsOk && bucket.Value!.Lifecycle is { Count: > 0 })
                {
                    result = result.Add(await RunBucketAsync(bucket.Value, cancellationToken).ConfigureAwait(false));
                }
            },
            (name, e) =>
            {
                Log.LifecycleBucketFailed(_logger, e, name);
                result = result.Add(new LifecycleRunResult(Buckets: 1, 0, 0, 0, FailedBuckets: 1));
            },
            cancellationToken).ConfigureAwait(false);

        Log.LifecycleDone(_logger, result.Buckets, result.Read, result.Expired, result.Aborted, result.FailedBuckets);
        return result;
    }

    /// <summary>One run over one bucket's rules (as <paramref name="bucket"/> holds them, read with its version).</summary>
    public async Task<LifecycleRunResult> RunBucketAsync(BucketRecord bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        var run = new BucketRun(bucket, _time.GetUtcNow());
        foreach (var rule in bucket.Lifecycle ?? [])
        {
            if (!rule.Enabled)
            {
                continue;
            }

            if (rule.ExpiresCurrent || rule.ExpiredObjectDeleteMarker || rule.Transitions is not null)
            {
                await ScanCurrentAsync(run, rule, cancellationToken).ConfigureAwait(false);
            }

            if (rule.NoncurrentDays is not null || rule.NoncurrentTransitions is not null)
            {
                await ScanHistoryAsync(run, rule, cancellationToken).ConfigureAwait(false);
            }
        }

        if (bucket.Lifecycle!.Any(r => r.Enabled && r.AbortDaysAfterInitiation is not null))
        {
            await AbortUploadsAsync(run, cancellationToken).ConfigureAwait(false);
        }

        await SaveCursorsAsync(run, cancellationToken).ConfigureAwait(false);
        return new LifecycleRunResult(1, run.Read, run.Expired, run.Aborted, 0, run.Transitioned);
    }

    /// <summary>Current versions under the rule's prefix: expired ones superseded or deleted, expired delete markers removed.</summary>
    private async Task ScanCurrentAsync(BucketRun run, LifecycleRule rule, CancellationToken cancellationToken)
    {
        var scan = rule.Id + CurrentScan;
        var (from, to) = run.Start(scan, rule.Filter.Prefix);
        var read = 0;
        while (true)
        {
            var page = await _versions.ReadCurrentAsync(run.Bucket.Name, from, to, _options.PageSize, cancellationToken).ConfigureAwait(false);
            read += page.Count;
            foreach (var record in page)
            {
                if (record.IsDeleteMarker)
                {
                    if (rule.ExpiredObjectDeleteMarker && LifecycleRules.Matches(rule.Filter, record)
                        && await _committer.ExpireDeleteMarkerAsync(record, EventIntent.For(run.Bucket, S3EventNames.Removed(deleteMarker: false, lifecycle: true)), cancellationToken).ConfigureAwait(false))
                    {
                        run.Expired++;
                    }
                }
                else if (LifecycleRules.ExpiresCurrent(rule, record, run.Now))
                {
                    if (await _committer.ExpireCurrentAsync(record, run.Bucket.Versioning, EventIntent.For(run.Bucket, S3EventNames.Removed(deleteMarker: run.Bucket.Versioning != BucketVersioning.Unversioned, lifecycle: true)), cancellationToken).ConfigureAwait(false))
                    {
                        run.Expired++;
                    }
                }
                else if (LifecycleRules.TransitionOf(rule, record, run.Now) is { } storageClass
                    && await _committer.TransitionCurrentAsync(record, storageClass, cancellationToken).ConfigureAwait(false))
                {
                    run.Transitioned++;
                }
            }

            run.Read += page.Count;
            if (page.Count < _options.PageSize)
            {
                run.Finish(scan);
                return;
            }

            from = SortKeyCodec.Encode(page[^1].Key) + '\0';
            if (read >= _options.MaxRecordsPerScan)
            {
                run.Pause(scan, from);
                return;
            }
        }
    }

    /// <summary>
    /// The version history under the rule's prefix, one key at a time (newest first): past the rule's
    /// NewerNoncurrentVersions newest, a noncurrent version expires NoncurrentDays after the version that superseded it
    /// was written. A key's current record is read only when one of its versions is old enough to expire at all.
    /// </summary>
    private async Task ScanHistoryAsync(BucketRun run, LifecycleRule rule, CancellationToken cancellationToken)
    {
        var scan = rule.Id + NoncurrentScan;
        var (from, to) = run.Start(scan, rule.Filter.Prefix);
        var read = 0;
        var group = new List<ObjectRecord>();
        while (true)
        {
            var page = await _versions.ReadVersionsAsync(run.Bucket.Name, from, to, _options.PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var version in page)
            {
                if (group.Count > 0 && group[0].Key != version.Key)
                {
                    await ExpireNoncurrentAsync(run, rule, group, cancellationToken).ConfigureAwait(false);
                    group.Clear();
                    if (read >= _options.MaxRecordsPerScan)
                    {
                        // Stopped between two keys, so the next run sees every version of this one together.
                        run.Pause(scan, VersionIds.RangeOf(version.Key).From);
                        return;
                    }
                }

                group.Add(version);
                read++;
                run.Read++;
            }

            if (page.Count < _options.PageSize)
            {
                if (group.Count > 0)
                {
                    await ExpireNoncurrentAsync(run, rule, group, cancellationToken).ConfigureAwait(false);
                }

                run.Finish(scan);
                return;
            }

            from = VersionIds.After(page[^1].Key, page[^1].VersionId!);
        }
    }

    /// <summary>Applies NoncurrentVersionExpiration and NoncurrentVersionTransition to the history entries of one key, newest first.</summary>
    private async Task ExpireNoncurrentAsync(BucketRun run, LifecycleRule rule, List<ObjectRecord> versions, CancellationToken cancellationToken)
    {
        // A version became noncurrent after it was written: one not even that old cannot be acted on.
        var days = Math.Min(rule.NoncurrentDays ?? int.MaxValue, rule.NoncurrentTransitions?.Min(t => t.Days ?? int.MaxValue) ?? int.MaxValue);
        if (!versions.Any(v => LifecycleRules.After(v.LastModified, days) <= run.Now && LifecycleRules.Matches(rule.Filter, v)))
        {
            return;
        }

        var current = await _metadata.GetObjectAsync(run.Bucket.Name, versions[0].Key, cancellationToken).ConfigureAwait(false);
        var successor = current.IsOk ? current.Value : null;
        var rank = 0;
        foreach (var version in versions)
        {
            // A crash's duplicate of the current version is no noncurrent version.
            if (successor is not null && version.VersionId == successor.VersionId)
            {
                continue;
            }

            var noncurrentSince = successor?.LastModified ?? version.LastModified;
            successor = version;
            rank++;
            if (rule.NoncurrentDays is { } expireDays && rank > (rule.NewerNoncurrentVersions ?? 0) && LifecycleRules.Matches(rule.Filter, version)
                && LifecycleRules.After(noncurrentSince, expireDays) <= run.Now)
            {
                if (await _committer.ExpireNoncurrentAsync(version, EventIntent.For(run.Bucket, S3EventNames.Removed(deleteMarker: false, lifecycle: true)), cancellationToken).ConfigureAwait(false))
                {
                    run.Expired++;
                }
            }
            else if (LifecycleRules.NoncurrentTransitionOf(rule, version, noncurrentSince, rank, run.Now) is { } storageClass
                && await _committer.TransitionNoncurrentAsync(version, storageClass, cancellationToken).ConfigureAwait(false))
            {
                run.Transitioned++;
            }
        }
    }

    /// <summary>In-progress uploads initiated at least the days of an enabled AbortIncompleteMultipartUpload rule of their prefix ago.</summary>
    private async Task AbortUploadsAsync(BucketRun run, CancellationToken cancellationToken)
    {
        var rules = run.Bucket.Lifecycle!.Where(r => r.Enabled && r.AbortDaysAfterInitiation is not null).ToList();
        foreach (var upload in await _uploads.ListUploadsAsync(run.Bucket.Name, cancellationToken).ConfigureAwait(false))
        {
            run.Read++;
            var due = rules.Any(r => upload.Key.StartsWith(r.Filter.Prefix, StringComparison.Ordinal)
                && LifecycleRules.After(upload.Initiated, r.AbortDaysAfterInitiation!.Value) <= run.Now);
            if (due && (await _aborter.AbortAsync(upload, expired: true, cancellationToken).ConfigureAwait(false)) is { IsOk: true, Value: true })
            {
                run.Aborted++;
            }
        }
    }

    /// <summary>Writes the cursors back when they changed, conditioned on the bucket record read: a lost race keeps the other writer's.</summary>
    private async Task SaveCursorsAsync(BucketRun run, CancellationToken cancellationToken)
    {
        if (!run.CursorsChanged)
        {
            return;
        }

        var cursors = run.Cursors.Count > 0 ? run.Cursors : null;
        await _metadata.ReplaceBucketAsync(run.Bucket with { LifecycleCursors = cursors }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One bucket's run: its record, the time, the cursors as they move, and counts.</summary>
    private sealed class BucketRun(BucketRecord bucket, DateTimeOffset now)
    {
        public BucketRecord Bucket { get; } = bucket;

        public DateTimeOffset Now { get; } = now;

        public Dictionary<string, string> Cursors { get; } = new(bucket.LifecycleCursors ?? new Dictionary<string, string>(), StringComparer.Ordinal);

        public bool CursorsChanged { get; private set; }

        public int Read { get; set; }

        public int Expired { get; set; }

        public int Aborted { get; set; }

        public int Transitioned { get; set; }

        /// <summary>Where a scan starts: its saved cursor if one lies in the prefix's range, else the range's start.</summary>
        public (string From, string? To) Start(string scan, string prefix)
        {
            var (from, to) = SortKeyCodec.PrefixRange(prefix);
            if (Cursors.TryGetValue(scan, out var cursor) && string.CompareOrdinal(cursor, from) > 0 && (to is null || string.CompareOrdinal(cursor, to) < 0))
            {
                from = cursor;
            }

            return (from, to);
        }

        public void Pause(string scan, string cursor)
        {
            Cursors[scan] = cursor;
            CursorsChanged = true;
        }

        public void Finish(string scan) => CursorsChanged |= Cursors.Remove(scan);
    }
}
