using System.Collections.Concurrent;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>
/// The bucket directory: the authoritative map bucket → (cluster, incarnation, location, owner, state), kept as the
/// bucket records of the home cluster whose names hold no '~' (see <see cref="BucketPlacement"/>). Entries are
/// remembered for <see cref="BucketOptions.BucketCacheTtl"/>. A stale entry costs a retry, never a wrong answer:
/// writes are fenced on the cluster (<see cref="ClusterRouter"/>), reads that find nothing through a remembered
/// entry read the directory again, and a move keeps the source readable until no entry can still name it.
/// </summary>
public sealed class BucketDirectory
{
    private readonly ClusterSet _clusters;
    private readonly BucketOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (BucketRecord Entry, long ExpiresAt)> _known = new(StringComparer.Ordinal);

    public BucketDirectory(ClusterSet clusters, BucketOptions options, TimeProvider time)
    {
        _clusters = clusters;
        _options = options;
        _time = time;
    }

    /// <summary>The entry from the home cluster (one point read), remembered; null when there is no such bucket.</summary>
    public async Task<BucketRecord?> ReadAsync(string bucket, CancellationToken cancellationToken = default)
    {
        var result = await _clusters.Home.Metadata.GetBucketAsync(bucket, cancellationToken).ConfigureAwait(false);
        if (!result.IsOk)
        {
            _known.TryRemove(bucket, out _);
            return null;
        }

        if (_options.BucketCacheTtl > TimeSpan.Zero)
        {
            _known[bucket] = (result.Value!, _time.GetTimestamp() + (long)(_options.BucketCacheTtl.TotalSeconds * _time.TimestampFrequency));
        }

        return result.Value;
    }

    /// <summary>The remembered entry while it is fresh enough (<paramref name="remembered"/> true), else <see cref="ReadAsync"/>.</summary>
    public async Task<(BucketRecord? Entry, bool Remembered)> GetAsync(string bucket, CancellationToken cancellationToken = default)
    {
        if (_known.TryGetValue(bucket, out var known) && known.ExpiresAt > _time.GetTimestamp())
        {
            return (known.Entry, true);
        }

        return (await ReadAsync(bucket, cancellationToken).ConfigureAwait(false), false);
    }

    public void Forget(string bucket) => _known.TryRemove(bucket, out _);

    public BucketPlacement PlacementOf(BucketRecord entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new BucketPlacement(_clusters.Get(entry.Cluster), entry.Name, entry.Incarnation);
    }

    /// <summary>Whether gateways may write through this entry (during a move's fence and switch they may not).</summary>
    public static bool AcceptsWrites(BucketRecord entry) =>
        entry?.State is BucketState.Active or BucketState.Copying or BucketState.CleaningUp;

    /// <summary>
    /// Whether a cluster's record lets a write of <paramref name="incarnation"/> stand: the record is that
    /// incarnation's and neither fenced for a move nor being deleted.
    /// </summary>
    public static bool AdmitsWrite(BucketRecord? record, string? incarnation) =>
        record is not null && record.Incarnation == incarnation && record.State is BucketState.Active or BucketState.Copying;
}
