using R2Meta.Domain.Cors;
using R2Meta.Domain.Lifecycle;

namespace R2Meta.Domain.Storage;

/// <summary>A bucket as the metadata store keeps it. <see cref="Version"/> is the store's concurrency token.</summary>
public sealed record BucketRecord
{
    /// <summary>R2 answers "auto"; the region of a bucket that records none.</summary>
    public const string DefaultRegion = "auto";

    public required string Name { get; init; }
    public required string OwnerId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Region { get; init; } = DefaultRegion;

    /// <summary>
    /// True when the store has kept this bucket's directory index (see
    /// <see cref="IMetadataStore.ReadDirectoryAsync"/>) since the bucket was created, so "/"-delimited
    /// listings may read it. Buckets created before the index existed read false and list by seeking.
    /// </summary>
    public bool HasDirectoryIndex { get; init; }

    /// <summary>The default encryption PutBucketEncryption set; null when none was (the default applies).</summary>
    public BucketEncryption? Encryption { get; init; }

    /// <summary>The CORS rules PutBucketCors set, in order; null when the bucket has no CORS configuration.</summary>
    public IReadOnlyList<CorsRule>? Cors { get; init; }

    /// <summary>
    /// The canned ACL public-read (PutBucketAcl or CreateBucket's x-amz-acl): anyone may GET and HEAD the
    /// bucket's objects without signing. It allows no anonymous listing and no anonymous write.
    /// </summary>
    public bool PublicRead { get; init; }

    /// <summary>The tag set PutBucketTagging set; null when the bucket has none. At most 50 tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>PutBucketVersioning's state; records written before versioning existed read Unversioned.</summary>
    public BucketVersioning Versioning { get; init; }

    /// <summary>The rules PutBucketLifecycleConfiguration set, in order; null when the bucket has no lifecycle configuration.</summary>
    public IReadOnlyList<LifecycleRule>? Lifecycle { get; init; }

    /// <summary>
    /// Where the lifecycle executor resumes each of its scans (by rule id and scan), as sort keys; null when no scan is
    /// part-way. Written by the executor only (conditioned on <see cref="Version"/>); cleared with the configuration.
    /// </summary>
    public IReadOnlyDictionary<string, string>? LifecycleCursors { get; init; }

    /// <summary>
    /// PutBucketNotificationConfiguration's queue configurations; null when it was never set. An emptied configuration
    /// stays (no queues) so the dispatcher keeps draining events recorded before.
    /// </summary>
    public Notifications.NotificationConfiguration? Notifications { get; init; }

    /// <summary>
    /// The metadata cluster that holds the bucket (directory entries); null: the home cluster, as for every
    /// record written before clusters existed.
    /// </summary>
    public string? Cluster { get; init; }

    /// <summary>
    /// Which life of this bucket name the record belongs to: a bucket deleted and recreated, or moved, gets a new
    /// one. Its objects live on its cluster under <see cref="Clusters.BucketPlacement.StoreName"/>. Null: a bucket
    /// created before clusters existed, whose objects are stored under its own name and whose record is its
    /// directory entry too.
    /// </summary>
    public string? Incarnation { get; init; }

    public BucketState State { get; init; }

    /// <summary>During a move, the cluster on the other side (the target while copying, the source once switched).</summary>
    public string? MoveCluster { get; init; }

    /// <summary>The incarnation on <see cref="MoveCluster"/>.</summary>
    public string? MoveIncarnation { get; init; }

    /// <summary>Whether a store document needs the clustered schema (any field above set): older builds must refuse it.</summary>
    public bool IsClustered => Cluster is not null || Incarnation is not null || State != BucketState.Active || MoveCluster is not null;

    public string? Version { get; init; }
}
