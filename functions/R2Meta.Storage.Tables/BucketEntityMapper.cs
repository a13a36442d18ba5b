using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Cors;
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
            Cluster = entity.GetString(ClusterProperty),
            Incarnation = entity.GetString(IncarnationProperty),
            State = (BucketState)(entity.GetInt32(StateProperty) ?? 0),
            MoveCluster = entity.GetString(MoveClusterProperty),
            MoveIncarnation = entity.GetString(MoveIncarnationProperty),
            Version = entity.ETag.ToString(),
        };
    }
}
