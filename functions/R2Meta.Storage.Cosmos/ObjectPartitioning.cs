using Microsoft.Azure.Cosmos;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// The partition keys of the objects container under its <see cref="ObjectsLayout"/>.
/// <para>
/// Hierarchical: the first level is the bucket, the second a shard derived from the object key alone
/// (<see cref="ShardOf"/>), so every point operation (read, create, replace, delete of an object, a history entry,
/// a directory document) names its full partition key and stays single-partition. A key's current document, its
/// delete marker and its history entries share a shard, so they stay in one logical partition (one transactional
/// scope, should a write ever need one). A directory document's shard is that of its name.
/// </para>
/// <para>
/// Listing needs no shard: the range and directory queries name only the bucket, a prefix of the key. Cosmos
/// hashes each level separately (MultiHash), so one bucket's documents occupy one contiguous range of
/// effective partition keys: the query goes to the physical partitions holding that bucket only (one, until the
/// bucket outgrows a physical partition), each answers its first TOP @limit in sort-key order from the index,
/// and the SDK merges them in order. A page therefore costs one request per physical partition of the bucket,
/// each returning at most the page, however many objects the bucket holds — exact, because every partition is
/// read in order from the same position. Directory documents lie in the same container and level/sort-key
/// index, so a "/"-delimited page is still one query. A hash shard rather than a key-range shard: a range
/// shard would need a map to route point operations, and sequential keys (logs, timestamps) would all
/// write to its last range.
/// </para>
/// </summary>
internal sealed class ObjectPartitioning(ObjectsLayout layout)
{
    /// <summary>Characters of the key id (base64url, 64 symbols each) that make the shard: 64² = 4,096 shards.</summary>
    public const int ShardLength = 2;

    /// <summary>Logical partitions one bucket can span: 4,096 × 20 GB ≈ 80 TB of metadata.</summary>
    public const int ShardCount = 4096;

    public ObjectsLayout Layout { get; } = layout;

    /// <summary>The shard of an object key or directory name: the first characters of its id (a SHA-256), so uniform over keys.</summary>
    public static string ShardOf(string key) => ObjectDocument.IdOf(key)[..ShardLength];

    /// <summary>The full partition key of the documents of <paramref name="key"/> (or directory) in <paramref name="bucket"/>.</summary>
    public PartitionKey Of(string bucket, string key) => Layout == ObjectsLayout.Hierarchical
        ? new PartitionKeyBuilder().Add(bucket).Add(ShardOf(key)).Build()
        : new PartitionKey(bucket);

    /// <summary>
    /// The partition key of a bucket-wide query: the bucket alone, which under <see cref="ObjectsLayout.Hierarchical"/>
    /// is a prefix that scopes the query to the bucket's physical partitions.
    /// </summary>
    public PartitionKey OfBucket(string bucket) => Layout == ObjectsLayout.Hierarchical
        ? new PartitionKeyBuilder().Add(bucket).Build()
        : new PartitionKey(bucket);

    /// <summary>The container model of this layout.</summary>
    public CosmosContainerModel Container => Layout == ObjectsLayout.Hierarchical ? CosmosModel.Objects : CosmosModel.BucketPartitionedObjects;

    /// <summary>The layout of an existing container, from its partition key paths; null when it is neither.</summary>
    public static ObjectsLayout? LayoutOf(IReadOnlyList<string> partitionKeyPaths) =>
        partitionKeyPaths.SequenceEqual(CosmosModel.Objects.PartitionKeyPaths) ? ObjectsLayout.Hierarchical
        : partitionKeyPaths.SequenceEqual(CosmosModel.BucketPartitionedObjects.PartitionKeyPaths) ? ObjectsLayout.Bucket
        : null;
}
