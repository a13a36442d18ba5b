using System.IO.Hashing;
using System.Text;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>
/// The configured metadata clusters. The first is the home cluster: its buckets table holds the bucket directory
/// (and the access keys). With one cluster the deployment behaves exactly as before clusters existed: no
/// directory indirection, no incarnation, any LocationConstraint accepted.
/// </summary>
public sealed class ClusterSet
{
    private readonly Dictionary<string, MetadataCluster> _byName;

    public ClusterSet(IReadOnlyList<MetadataCluster> clusters)
    {
        ArgumentNullException.ThrowIfNull(clusters);
        if (clusters.Count == 0)
        {
            throw new ArgumentException("At least one metadata cluster is needed.", nameof(clusters));
        }

        All = clusters;
        _byName = new Dictionary<string, MetadataCluster>(StringComparer.Ordinal);
        foreach (var cluster in clusters)
        {
            if (!_byName.TryAdd(cluster.Name, cluster))
            {
                throw new ArgumentException($"Two metadata clusters are named '{cluster.Name}'.", nameof(clusters));
            }
        }

        if (clusters.Sum(c => c.Weight) <= 0)
        {
            throw new ArgumentException("At least one metadata cluster needs a weight above 0.", nameof(clusters));
        }
    }

    public IReadOnlyList<MetadataCluster> All { get; }

    /// <summary>Holds the bucket directory; buckets created before clusters existed live here.</summary>
    public MetadataCluster Home => All[0];

    /// <summary>True with more than one cluster: buckets go through the directory and carry incarnations.</summary>
    public bool IsMulti => All.Count > 1;

    /// <summary>The cluster of that name; null (the home cluster) for records written before clusters.</summary>
    public MetadataCluster Get(string? name) =>
        name is null ? Home : _byName.TryGetValue(name, out var cluster) ? cluster : throw new InvalidOperationException($"No metadata cluster is named '{name}' (is it still configured?).");

    public MetadataCluster? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// The cluster a new bucket goes to: with a location label, one of the clusters of that location (null when
    /// none has it: InvalidLocationConstraint); without one (or "auto", or a single cluster
    /// deployment, which accepts any constraint as before), by weight, picked by a hash of the name so the choice is
    /// spread evenly yet repeatable.
    /// </summary>
    public MetadataCluster? Place(string bucket, string? location)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        if (!IsMulti)
        {
            return Home;
        }

        var candidates = IsPolicyChoice(location)
            ? All.Where(c => c.Weight > 0).ToList()
            : All.Where(c => string.Equals(c.Location, location, StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var total = candidates.Sum(c => Math.Max(c.Weight, 1));
        var point = (long)(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(bucket)) % (ulong)total);
        foreach (var candidate in candidates)
        {
            point -= Math.Max(candidate.Weight, 1);
            if (point < 0)
            {
                return candidate;
            }
        }

        return candidates[^1];
    }

    /// <summary>No constraint, or one that names no particular location (R2's "auto", S3's default region).</summary>
    private static bool IsPolicyChoice(string? location) =>
        string.IsNullOrEmpty(location) || location is BucketRecord.DefaultRegion or "us-east-1";
}
