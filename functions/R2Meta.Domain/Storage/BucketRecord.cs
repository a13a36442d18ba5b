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
    public string? Version { get; init; }
}
