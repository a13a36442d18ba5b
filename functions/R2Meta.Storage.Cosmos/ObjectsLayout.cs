namespace R2Meta.Storage.Cosmos;

/// <summary>
/// How the objects container is partitioned. A container's partition key cannot change in place, so the
/// layout is a property of the container: <see cref="CosmosMetadataStore.InitializeAsync"/> creates a new one
/// with the configured layout and reads an existing one's (see <see cref="CosmosMetadataOptions.ObjectsLayout"/>).
/// </summary>
public enum ObjectsLayout
{
    /// <summary>Partition key /bucket: one logical partition per bucket (20 GB, 10,000 RU/s). Containers created before layout 2.</summary>
    Bucket = 1,

    /// <summary>
    /// Hierarchical partition key /bucket, /shard (<see cref="ObjectPartitioning"/>): a bucket spans up to
    /// <see cref="ObjectPartitioning.ShardCount"/> logical partitions and as many physical ones as its size and
    /// throughput need. The default of new containers.
    /// </summary>
    Hierarchical = 2,
}
