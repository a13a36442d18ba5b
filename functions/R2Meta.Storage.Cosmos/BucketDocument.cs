using System.Text.Json.Serialization;
using R2Meta.Domain.Cors;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>A bucket as stored in the buckets container; the id (and partition key) is the bucket name.</summary>
internal sealed class BucketDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("ownerId")]
    public required string OwnerId { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("region")]
    public string? Region { get; init; }

    /// <summary>Absent (false) in documents written before the directory index.</summary>
    [JsonPropertyName("hasDirectoryIndex")]
    public bool HasDirectoryIndex { get; init; }

    /// <summary>The default encryption PutBucketEncryption set; absent when none was (and in older documents).</summary>
    [JsonPropertyName("encryption")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BucketEncryption? Encryption { get; init; }

    /// <summary>The CORS rules PutBucketCors set; absent when there are none (and in older documents).</summary>
    [JsonPropertyName("cors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<CorsRule>? Cors { get; init; }

    /// <summary>The canned ACL public-read; absent (false) in older documents.</summary>
    [JsonPropertyName("publicRead")]
    public bool PublicRead { get; init; }

    /// <summary>The tag set PutBucketTagging set; absent when there is none (and in older documents).</summary>
    [JsonPropertyName("tags")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>The BucketVersioning value (1 Enabled, 2 Suspended); absent on buckets never versioned.</summary>
    [JsonPropertyName("versioning")]
    public int? Versioning { get; init; }

    /// <summary>The rules PutBucketLifecycleConfiguration set; absent when there are none (and in older documents).</summary>
    [JsonPropertyName("lifecycle")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LifecycleRule>? Lifecycle { get; init; }

    /// <summary>The lifecycle executor's resume points while a scan is part-way; absent otherwise.</summary>
    [JsonPropertyName("lifecycleCursors")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? LifecycleCursors { get; init; }

    /// <summary>PutBucketNotificationConfiguration's configuration; absent when never set (and in older documents).</summary>
    [JsonPropertyName("notifications")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public NotificationConfiguration? Notifications { get; init; }

    /// <summary>True when <see cref="Notifications"/> is set: the indexed flag the dispatcher lists buckets by.</summary>
    [JsonPropertyName("notifying")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Notifying { get; init; }
    /// <summary>Placement fields (see <see cref="BucketRecord.Cluster"/>); absent on buckets created before clusters.</summary>
    [JsonPropertyName("cluster")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Cluster { get; init; }

    [JsonPropertyName("incarnation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Incarnation { get; init; }

    [JsonPropertyName("state")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? State { get; init; }

    [JsonPropertyName("moveCluster")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MoveCluster { get; init; }

    [JsonPropertyName("moveIncarnation")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MoveIncarnation { get; init; }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("_etag")]
    public string? CosmosETag { get; init; }

    public static BucketDocument FromRecord(BucketRecord record) => new()
    {
        Id = record.Name,
        OwnerId = record.OwnerId,
        CreatedAt = record.CreatedAt,
        Region = record.Region,
        HasDirectoryIndex = record.HasDirectoryIndex,
        Encryption = record.Encryption,
        Cors = record.Cors,
        PublicRead = record.PublicRead,
        Tags = record.Tags,
        Versioning = record.Versioning == BucketVersioning.Unversioned ? null : (int)record.Versioning,
        Lifecycle = record.Lifecycle,
        LifecycleCursors = record.LifecycleCursors is { Count: > 0 } cursors ? cursors : null,
        Notifications = record.Notifications,
        Notifying = record.Notifications is null ? null : true,
        Cluster = record.Cluster,
        Incarnation = record.Incarnation,
        State = record.State == BucketState.Active ? null : (int)record.State,
        MoveCluster = record.MoveCluster,
        MoveIncarnation = record.MoveIncarnation,
        SchemaVersion = record.IsClustered ? CosmosModel.ClusteredSchemaVersion : CosmosModel.SchemaVersion,
    };

    public BucketRecord ToRecord(string? version = null)
    {
        CosmosModel.EnsureReadableBucket(SchemaVersion, Id);
        return new BucketRecord
        {
            Name = Id,
            OwnerId = OwnerId,
            CreatedAt = CreatedAt,
            Region = Region ?? BucketRecord.DefaultRegion,
            HasDirectoryIndex = HasDirectoryIndex,
            Encryption = Encryption,
            Cors = Cors,
            PublicRead = PublicRead,
            Tags = Tags,
            Versioning = (BucketVersioning)(Versioning ?? 0),
            Lifecycle = Lifecycle,
            LifecycleCursors = LifecycleCursors,
            Notifications = Notifications,
            Cluster = Cluster,
            Incarnation = Incarnation,
            State = (BucketState)(State ?? 0),
            MoveCluster = MoveCluster,
            MoveIncarnation = MoveIncarnation,
            Version = version ?? CosmosETag,
        };
    }
}
