using Azure.Data.Tables;
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

    public static TableEntity ToEntity(BucketRecord bucket)
    {
        var entity = new TableEntity(Partition, bucket.Name)
        {
            [SchemaVersion.PropertyName] = SchemaVersion.Current,
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

        return entity;
    }

    public static BucketRecord FromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
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
            Version = entity.ETag.ToString(),
        };
    }
}
