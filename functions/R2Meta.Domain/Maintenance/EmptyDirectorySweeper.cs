using Microsoft.Extensions.Logging;
using R2Meta.Domain.Diagnostics;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Maintenance;

public sealed record EmptyDirectorySweeperOptions
{
    /// <summary>Directory entries read per metadata round trip.</summary>
    public int PageSize { get; init; } = 1000;
}

/// <summary>What one sweep found and did.</summary>
public readonly record struct EmptyDirectorySweepResult(int Buckets, int Directories, int Pruned, int FailedBuckets);

/// <summary>
/// Takes empty directories out of the directory index: those a delete left behind when it died (or was
/// throttled) between its commit and its own cleanup, which listings would otherwise show as common
/// prefixes. Walks each indexed bucket's tree breadth-first; a subdirectory with no entry is handed to
/// <see cref="IMetadataStore.PruneDirectoryAsync"/>, which re-checks it against concurrent puts and
/// prunes its ancestors that it leaves empty; any other subdirectory is walked in turn.
/// <para>
/// Buckets are those with blobs (<see cref="IBlobStore.ListTopLevelPrefixesAsync"/>, as the orphan
/// sweeper finds them) whose record has <see cref="BucketRecord.HasDirectoryIndex"/>. Memory per bucket
/// is one page plus the queue of directories still to walk, not the bucket's entries.
/// </para>
/// </summary>
public sealed class EmptyDirectorySweeper : IMaintenanceJob
{
    public const string JobName = "empty-directory-sweeper";

    private readonly IBlobStore _blobs;
    private readonly IMetadataStore _metadata;
    private readonly EmptyDirectorySweeperOptions _options;
    private readonly ILogger<EmptyDirectorySweeper> _logger;

    public EmptyDirectorySweeper(IBlobStore blobs, IMetadataStore metadata, EmptyDirectorySweeperOptions options, ILogger<EmptyDirectorySweeper> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        _blobs = blobs;
        _metadata = metadata;
        _options = options;
        _logger = logger;
    }

    public string Name => JobName;

    public Task RunAsync(CancellationToken cancellationToken) => SweepAsync(cancellationToken);

    /// <summary>One pass over every indexed bucket. A failing bucket is logged and skipped.</summary>
    public async Task<EmptyDirectorySweepResult> SweepAsync(CancellationToken cancellationToken = default)
    {
        var result = new EmptyDirectorySweepResult();
        await BlobBuckets.ForEachAsync(
            _blobs,
            async bucket =>
            {
                var record = await _metadata.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
                if (record.IsOk && record.Value!.HasDirectoryIndex)
                {
                    var (directories, pruned) = await SweepBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
                    result = result with { Buckets = result.Buckets + 1, Directories = result.Directories + directories, Pruned = result.Pruned + pruned };
                }
            },
            (bucket, e) =>
            {
                Log.DirectorySweepFailed(_logger, e, bucket);
                result = result with { Buckets = result.Buckets + 1, FailedBuckets = result.FailedBuckets + 1 };
            },
            cancellationToken).ConfigureAwait(false);

        Log.DirectorySweepDone(_logger, result.Buckets, result.Directories, result.Pruned, result.FailedBuckets);
        return result;
    }

    /// <summary>Walks one bucket's index; returns the subdirectories visited and those found empty and pruned.</summary>
    public async Task<(int Directories, int Pruned)> SweepBucketAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var (directories, pruned) = (0, 0);
        var queue = new Queue<string>();
        queue.Enqueue(string.Empty);
        while (queue.TryDequeue(out var directory))
        {
            var scanner = new OrderedScanner(
                (from, to, limit, ct) => _metadata.ReadDirectoryAsync(bucket, directory, from, to, limit, ct), string.Empty, null, _options.PageSize);
            while (await scanner.NextAsync(cancellationToken).ConfigureAwait(false) is { } entry)
            {
                // The directory's sort-key range can hold a few names of other directories (overflow groups).
                if (!entry.IsCommonPrefix || !entry.Name.StartsWith(directory, StringComparison.Ordinal))
                {
                    continue;
                }

                directories++;
                var first = await _metadata.ReadDirectoryAsync(bucket, entry.Name, string.Empty, null, 1, cancellationToken).ConfigureAwait(false);
                if (first.Count > 0)
                {
                    queue.Enqueue(entry.Name);
                    continue;
                }

                await _metadata.PruneDirectoryAsync(bucket, entry.Name, cancellationToken).ConfigureAwait(false);
                pruned++;
            }
        }

        Log.DirectoriesSwept(_logger, bucket, directories, pruned);
        return (directories, pruned);
    }
}
