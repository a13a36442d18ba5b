using Microsoft.Azure.Cosmos;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// The Cosmos DB layout, defined once: the adapter creates containers from it and the Bicep test
/// compares infra/ against it. Indexes hold only what the adapter's queries filter or order by.
/// </summary>
public static class CosmosModel
{
    public const string DatabaseName = "r2meta";

    /// <summary>
    /// Current document schema version; readers also accept <see cref="PreviousSchemaVersion"/>. 2: an object's
    /// or upload's content headers are one <c>headers</c> sub-document; 1: top-level properties (<see cref="Version1Headers"/>).
    /// </summary>
    public const int SchemaVersion = 2;

    public const int PreviousSchemaVersion = SchemaVersion - 1;

    /// <summary>
    /// An object document of a versioned bucket (current, delete marker or history entry), with its version id and
    /// flags. Only those carry it; everything else is still written as <see cref="SchemaVersion"/>, so unversioned
    /// buckets keep their shape and version 1 stays readable, while a build that knows only 1 and 2 refuses a
    /// versioned document instead of serving a delete marker as an object.
    /// </summary>
    public const int VersionedSchemaVersion = SchemaVersion + 1;

    /// <summary>
    /// A bucket document with placement fields (a directory entry or a cluster's record of a bucket the bucket
    /// directory placed: cluster, incarnation, state). Buckets created before clusters keep <see cref="SchemaVersion"/>.
    /// </summary>
    public const int ClusteredSchemaVersion = SchemaVersion + 2;

    /// <summary>The <c>kind</c> of a current object document that is a delete marker.</summary>
    internal const string MarkerKind = "marker";

    /// <summary>The <c>kind</c> of a version history entry (a noncurrent version) in the objects container.</summary>
    internal const string VersionKind = "version";

    /// <summary>
    /// The <c>kind</c> of a deleted object's tombstone: the document a delete in a notifying bucket leaves in place of
    /// the object, holding only the delete's pending events, until the dispatcher delivered them (see CosmosMetadataStore.Outbox).
    /// </summary>
    internal const string OutboxKind = "outbox";

    /// <summary>
    /// One document per object, plus the directory index and version history; partition key /bucket, /shard
    /// (<see cref="ObjectsLayout.Hierarchical"/>, see <see cref="ObjectPartitioning"/> for why that keeps listing exact).
    /// </summary>
    public static CosmosContainerModel Objects { get; } = new(
        Name: "objects",
        PartitionKeyPaths: ["/bucket", "/shard"],
        // ReadRangeAsync: WHERE bucket = @b AND sortKey in [from, to) AND NOT IS_DEFINED(kind) ORDER BY sortKey.
        // ReadDirectoryAsync: WHERE bucket = @b AND level = @l AND sortKey in [from, to) ORDER BY level, sortKey,
        // which a multi-property ORDER BY may only run with the matching composite index.
        // DeleteBucketAsync: WHERE bucket = @b AND kind = "dir".
        // ReadVersionsAsync: WHERE bucket = @b AND kind = "version" AND sortKey in [from, to) ORDER BY sortKey;
        // ReadCurrentAsync: the objects' range query with kind absent or "marker".
        // ReadPendingAsync (notifications): WHERE bucket = @b AND pending = true.
        IncludedPaths: ["/bucket/?", "/sortKey/?", "/level/?", "/kind/?", "/pending/?"],
        ExcludedPaths: ["/*"],
        CompositeIndexes: [["/level", "/sortKey"]]);

    /// <summary>
    /// The objects container as created before layout 2 (<see cref="ObjectsLayout.Bucket"/>): one logical partition
    /// per bucket. Still served; a bucket leaves it by the migration in docs/capacity.md.
    /// </summary>
    public static CosmosContainerModel BucketPartitionedObjects { get; } = Objects with { PartitionKeyPaths = ["/bucket"] };

    /// <summary>One document per bucket (id = bucket name); ListBuckets queries it by owner, never the objects.</summary>
    public static CosmosContainerModel Buckets { get; } = new(
        Name: "buckets",
        PartitionKeyPaths: ["/id"],
        // ListBucketsAsync: WHERE ownerId = @o ORDER BY id (id is always indexed).
        // ListNotifyingBucketsAsync: WHERE notifying = true.
        IncludedPaths: ["/ownerId/?", "/notifying/?"],
        ExcludedPaths: ["/*"],
        CompositeIndexes: []);

    /// <summary>
    /// In-progress multipart uploads: one upload document and one document per part (told apart by
    /// <c>type</c>), in the bucket's partition. Listing a bucket's uploads reads its upload documents
    /// only; parts are read by upload id ordered by part number; the expiry job scans by initiation time.
    /// </summary>
    public static CosmosContainerModel Uploads { get; } = new(
        Name: "uploads",
        PartitionKeyPaths: ["/bucket"],
        IncludedPaths: ["/bucket/?", "/type/?", "/uploadId/?", "/partNumber/?", "/initiatedMs/?"],
        ExcludedPaths: ["/*"],
        CompositeIndexes: []);

    /// <summary>One document per access key (id = key id), its secret sealed; read by id, listed whole by the admin command.</summary>
    public static CosmosContainerModel Keys { get; } = new(
        Name: "keys",
        PartitionKeyPaths: ["/id"],
        // Point reads by id; ListKeysAsync orders by id (always indexed). Nothing else is queried.
        IncludedPaths: [],
        ExcludedPaths: ["/*"],
        CompositeIndexes: []);

    public static IReadOnlyList<CosmosContainerModel> Containers { get; } = [Objects, Buckets, Uploads, Keys];

    /// <summary>A bucket document may also carry <see cref="ClusteredSchemaVersion"/>; no other kind does.</summary>
    internal static void EnsureReadableBucket(int schemaVersion, string id)
    {
        if (schemaVersion != ClusteredSchemaVersion)
        {
            EnsureReadable(schemaVersion, "bucket", id);
        }
    }

    /// <summary>A document from a newer schema than this reader knows is a deployment error, not an outcome.</summary>
    internal static void EnsureReadable(int schemaVersion, string kind, string id)
    {
        if (schemaVersion is not (SchemaVersion or PreviousSchemaVersion or VersionedSchemaVersion))
        {
            throw new InvalidOperationException(
                $"The {kind} document '{id}' has schema version {schemaVersion}; this reader understands {PreviousSchemaVersion} to {VersionedSchemaVersion}.");
        }
    }
}

/// <summary>
/// Name, partition key and indexing policy of one container. More than one partition key path makes a
/// hierarchical (MultiHash) key. Each composite index is a list of property paths (e.g. "/level"), all ascending.
/// </summary>
public sealed record CosmosContainerModel(
    string Name,
    IReadOnlyList<string> PartitionKeyPaths,
    IReadOnlyList<string> IncludedPaths,
    IReadOnlyList<string> ExcludedPaths,
    IReadOnlyList<IReadOnlyList<string>> CompositeIndexes)
{
    public ContainerProperties ToContainerProperties()
    {
        var policy = new IndexingPolicy { Automatic = true, IndexingMode = IndexingMode.Consistent };
        foreach (var path in IncludedPaths)
        {
            policy.IncludedPaths.Add(new IncludedPath { Path = path });
        }

        foreach (var path in ExcludedPaths)
        {
            policy.ExcludedPaths.Add(new ExcludedPath { Path = path });
        }

        foreach (var paths in CompositeIndexes)
        {
            policy.CompositeIndexes.Add([.. paths.Select(path => new CompositePath { Path = path, Order = CompositePathSortOrder.Ascending })]);
        }

        var properties = PartitionKeyPaths.Count == 1
            ? new ContainerProperties(Name, PartitionKeyPaths[0])
            : new ContainerProperties(Name, [.. PartitionKeyPaths]);
        properties.IndexingPolicy = policy;
        return properties;
    }
}
