using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// Table <c>{prefix}uploads</c>: PartitionKey = bucket, RowKey = upload id (hex, time-ordered).
/// Table <c>{prefix}parts</c>: PartitionKey = upload id, RowKey = part number as D5 (ordinal = numeric order),
/// so parallel part uploads write separate entities and one partition query lists an upload's parts.
/// </summary>
internal static class UploadEntityMapper
{
    public const string InitiatedProperty = "Initiated";
    private const string KeyProperty = "Key";
    private const string BlobNameProperty = "BlobName";
    private const string OwnerIdProperty = "OwnerId";
    private const string StorageClassProperty = "StorageClass";
    private const string ChecksumAlgorithmProperty = "ChecksumAlgorithm";
    private const string ChecksumTypeProperty = "ChecksumType";
    private const string CompletingProperty = "Completing";

    private const string BucketProperty = "Bucket";
    private const string SizeProperty = "Size";
    private const string PartETagProperty = "PartETag";
    private const string ChecksumProperty = "Checksum";
    private const string BlockIdsProperty = "BlockIds";
    private const string LastModifiedProperty = "LastModified";

    public static string PartRowKey(int partNumber) => partNumber.ToString("D5", CultureInfo.InvariantCulture);

    public static TableEntity ToEntity(UploadRecord upload)
    {
        var entity = new TableEntity(upload.Bucket, upload.UploadId)
        {
            [SchemaVersion.PropertyName] = SchemaVersion.Current,
            [KeyProperty] = upload.Key,
            [BlobNameProperty] = upload.BlobName,
            [InitiatedProperty] = upload.Initiated,
            [OwnerIdProperty] = upload.OwnerId,
            [StorageClassProperty] = upload.StorageClass,
            [CompletingProperty] = upload.Completing,
        };
        HeadersProperty.Write(entity, upload.Headers);
        TagsProperty.Write(entity, upload.Tags);
        AddIfPresent(entity, ChecksumAlgorithmProperty, upload.ChecksumAlgorithm);
        AddIfPresent(entity, ChecksumTypeProperty, upload.ChecksumType);
        return entity;
    }

    public static UploadRecord FromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
        return new UploadRecord
        {
            Bucket = entity.PartitionKey,
            UploadId = entity.RowKey,
            Key = entity.GetString(KeyProperty),
            BlobName = entity.GetString(BlobNameProperty),
            Initiated = entity.GetDateTimeOffset(InitiatedProperty) ?? default,
            OwnerId = entity.GetString(OwnerIdProperty),
            Headers = HeadersProperty.Read(entity),
            StorageClass = entity.GetString(StorageClassProperty) ?? "STANDARD",
            ChecksumAlgorithm = entity.GetString(ChecksumAlgorithmProperty),
            ChecksumType = entity.GetString(ChecksumTypeProperty),
            Completing = entity.GetBoolean(CompletingProperty) ?? false,
            Tags = TagsProperty.Read(entity),
            Version = entity.ETag.ToString(),
        };
    }

    public static TableEntity ToEntity(PartRecord part)
    {
        var entity = new TableEntity(part.UploadId, PartRowKey(part.PartNumber))
        {
            [SchemaVersion.PropertyName] = SchemaVersion.Current,
            [BucketProperty] = part.Bucket,
            [SizeProperty] = part.Size,
            [PartETagProperty] = part.ETag,
            [BlockIdsProperty] = JsonSerializer.Serialize(part.BlockIds),
            [LastModifiedProperty] = part.LastModified,
        };
        AddIfPresent(entity, ChecksumProperty, part.Checksum);
        return entity;
    }

    public static PartRecord PartFromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
        return new PartRecord
        {
            Bucket = entity.GetString(BucketProperty),
            UploadId = entity.PartitionKey,
            PartNumber = int.Parse(entity.RowKey, NumberStyles.None, CultureInfo.InvariantCulture),
            Size = entity.GetInt64(SizeProperty) ?? 0,
            ETag = entity.GetString(PartETagProperty),
            Checksum = entity.GetString(ChecksumProperty),
            BlockIds = entity.GetString(BlockIdsProperty) is { } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [],
            LastModified = entity.GetDateTimeOffset(LastModifiedProperty) ?? default,
        };
    }

    private static void AddIfPresent(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }
}
