using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Clusters;

/// <summary>
/// Where one incarnation of a bucket lives: its cluster and the name its records carry there (the store name).
/// A store name is the bucket name and the incarnation joined by '~', a character no bucket name holds, so each
/// incarnation has a key range of its own: a bucket deleted and recreated on the same cluster never sees its
/// predecessor's records, and a writer fenced out of an old incarnation writes where nobody reads.
/// </summary>
public readonly record struct BucketPlacement(MetadataCluster Cluster, string Bucket, string? Incarnation)
{
    public const char Separator = '~';

    /// <summary>The name the bucket's records carry on its cluster.</summary>
    public string StoreName => StoreNameOf(Bucket, Incarnation);

    public static string StoreNameOf(string bucket, string? incarnation) => incarnation is null ? bucket : bucket + Separator + incarnation;

    /// <summary>The bucket a store name belongs to.</summary>
    public static string BucketOf(string storeName)
    {
        ArgumentNullException.ThrowIfNull(storeName);
        var cut = storeName.IndexOf(Separator, StringComparison.Ordinal);
        return cut < 0 ? storeName : storeName[..cut];
    }

    /// <summary>Whether a bucket-table record is a cluster's record of an incarnation rather than a directory entry.</summary>
    public static bool IsStoreRecord(BucketRecord record) => record?.Name.Contains(Separator, StringComparison.Ordinal) ?? false;

    public static string NewIncarnation() => Guid.NewGuid().ToString("N")[..16];
}
