using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Cors;
using R2Meta.Domain.Lifecycle;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// Buckets share one partition so that ListBuckets by owner is one query; RowKey is the bucket name
/// (S3 bucket names are lowercase letters, digits, '.' and '-', all valid in a RowKey).
/// </summary>
internal static class BucketEntityMapper
{
    public const string Partition = "buckets";

    public const string OwnerIdProperty = "OwnerId";

    private const string CreatedAtProperty = "CreatedAt";
    private const string RegionProperty = "Region";
    private const string HasDirectoryIndexProperty = "HasDirectoryIndex";
    // Present only on buckets whose default encryption was set (PutBucketEncryption); older entities lack them.
    private const string EncryptionAlgorithmProperty = "EncryptionAlgorithm";
    private const string EncryptionBucketKeyProperty = "EncryptionBucketKeyEnabled";
    // Present only on buckets with a CORS configuration (PutBucketCors): the rules as a UTF-8 JSON array, binary
    // (a binary property holds 64 KiB, a string one 32K UTF-16 units; S3 caps the XML document at 64 KB).
    private const string CorsRulesProperty = "CorsRules";
    // Present (true) only on buckets made public-read.
    private const string PublicReadProperty = "PublicRead";
    // Present only once PutBucketVersioning was called: the BucketVersioning value (1 Enabled, 2 Suspended).
    private const string VersioningProperty = "Versioning";
    // Present only on buckets with a lifecycle configuration: the rules as UTF-8 JSON, chunked (1,000 rules exceed
    // one binary property); and the executor's resume points while a scan is part-way, as a JSON object.
    private const string LifecycleRulesProperty = "LifecycleRules";
    private const string LifecycleCursorsProperty = "LifecycleCursors";
    // Present only once PutBucketNotificationConfiguration was called: the configuration as UTF-8 JSON (binary, as the
    // CORS rules), and a flag the dispatcher's query filters on (Table queries cannot test whether a property exists).
    private const string NotificationsProperty = "Notifications";
    public const string HasNotificationsProperty = "HasNotifications";
    // Present only on clustered records (directory entries and cluster records, schema version Clustered).
    private const string ClusterProperty = "Cluster";
    private const string IncarnationProperty = "Incarnation";
    private const string StateProperty = "State";
    private const string MoveClusterProperty = "MoveCluster";
    private const string MoveIncarnationProperty = "MoveIncarnation";

    public static TableEntity ToEntity(BucketRecord bucket)
    {
        var entity = new TableEntity(Partition, bucket.Name)
        {
            [SchemaVersion.PropertyName] = bucket.IsClustered ? SchemaVersion.Clustered : SchemaVersion.Current,
            [OwnerIdProperty] = bucket.OwnerId,
            [CreatedAtProperty] = bucket.CreatedAt,
            [RegionProperty] = bucket.Region,
            [HasDirectoryIndexProperty] = bucket.HasDirectoryIndex,
        };
        if (bucket.Encryption is { } encryption)
        {
            entity[EncryptionAlgorithmProperty] = encryption.Algorithm;
            entity[EncryptionBucketKeyProperty] = encryption.BucketKeyEnabled;
        }

        if (bucket.Cors is { } cors)
        {
            entity[CorsRulesProperty] = JsonSerializer.SerializeToUtf8Bytes(cors);
        }

        if (bucket.PublicRead)
        {
            entity[PublicReadProperty] = true;
        }

        TagsProperty.Write(entity, bucket.Tags);
        if (bucket.Versioning != BucketVersioning.Unversioned)
        {
            entity[VersioningProperty] = (int)bucket.Versioning;
        }

        if (bucket.Lifecycle is { } lifecycle)
        {
            ChunkedBinary.Write(entity, LifecycleRulesProperty, JsonSerializer.SerializeToUtf8Bytes(lifecycle));
        }

        if (bucket.LifecycleCursors is { Count: > 0 } cursors)
        {
            entity[LifecycleCursorsProperty] = JsonSerializer.SerializeToUtf8Bytes(cursors);
        }

        if (bucket.Notifications is { } notifications)
        {
            entity[NotificationsProperty] = JsonSerializer.SerializeToUtf8Bytes(notifications);
            entity[HasNotificationsProperty] = true;
        }

        if (bucket.IsClustered)
        {
            entity[ClusterProperty] = bucket.Cluster;
            entity[IncarnationProperty] = bucket.Incarnation;
            entity[StateProperty] = (int)bucket.State;
            entity[MoveClusterProperty] = bucket.MoveCluster;
            entity[MoveIncarnationProperty] = bucket.MoveIncarnation;
        }

        return entity;
    }

    public static BucketRecord FromEntity(TableEntity entity)
    {
        SchemaVersion.CheckBucket(entity);
        return new BucketRecord
        {
            Name = entity.RowKey,
            OwnerId = entity.GetString(OwnerIdProperty),
            CreatedAt = entity.GetDateTimeOffset(CreatedAtProperty) ?? default,
            Region = entity.GetString(RegionProperty) ?? BucketRecord.DefaultRegion,
            // Buckets written before the index existed have no such property: they have no complete index.
            HasDirectoryIndex = entity.GetBoolean(HasDirectoryIndexProperty) ?? false,
            Encryption = entity.GetString(EncryptionAlgorithmProperty) is { } algorithm
                ? new BucketEncryption { Algorithm = algorithm, BucketKeyEnabled = entity.GetBoolean(EncryptionBucketKeyProperty) ?? false }
                : null,
            Cors = entity.GetBinary(CorsRulesProperty) is { } cors ? JsonSerializer.Deserialize<CorsRule[]>(cors) : null,
            PublicRead = entity.GetBoolean(PublicReadProperty) ?? false,
            Tags = TagsProperty.Read(entity),
            Versioning = (BucketVersioning)(entity.GetInt32(VersioningProperty) ?? 0),
            Lifecycle = ChunkedBinary.Read(entity, LifecycleRulesProperty) is { } rules ? JsonSerializer.Deserialize<LifecycleRule[]>(rules) : null,
            LifecycleCursors = entity.GetBinary(LifecycleCursorsProperty) is { } cursors ? JsonSerializer.Deserialize<Dictionary<string, string>>(cursors) : null,
            Notifications = entity.GetBinary(NotificationsProperty) is { } notifications ? JsonSerializer.Deserialize<NotificationConfiguration>(notifications) : null,
            Cluster = entity.GetString(ClusterProperty),
            Incarnation = entity.GetString(IncarnationProperty),
            State = (BucketState)(entity.GetInt32(StateProperty) ?? 0),
            MoveCluster = entity.GetString(MoveClusterProperty),
            MoveIncarnation = entity.GetString(MoveIncarnationProperty),
            Version = entity.ETag.ToString(),
        };
    }
}
