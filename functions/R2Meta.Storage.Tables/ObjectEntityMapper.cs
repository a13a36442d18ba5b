using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// One entity per object: PartitionKey = bucket, RowKey = <see cref="SortKeyCodec.Encode"/> of the key,
/// the raw key as a property. Dictionaries, lists and the content headers (<see cref="HeadersProperty"/>) are one JSON string property each.
/// </summary>
internal static class ObjectEntityMapper
{
    private const string KeyProperty = "Key";
    private const string BlobNameProperty = "BlobName";
    private const string SizeProperty = "Size";
    // "ETag" would be confusing next to the entity's own odata ETag (the record's Version).
    private const string ETagProperty = "ObjectETag";
    private const string LastModifiedProperty = "LastModified";
    private const string StorageClassProperty = "StorageClass";
    private const string ChecksumsProperty = "Checksums";
    private const string ChecksumTypeProperty = "ChecksumType";
    private const string PartsCountProperty = "PartsCount";
    private const string PartSizesProperty = "PartSizes";

    public static TableEntity ToEntity(ObjectRecord record)
    {
        var entity = new TableEntity(record.Bucket, SortKeyCodec.Encode(record.Key))
        {
            [SchemaVersion.PropertyName] = SchemaVersion.Current,
            [KeyProperty] = record.Key,
            [BlobNameProperty] = record.BlobName,
            [SizeProperty] = record.Size,
            [ETagProperty] = record.ETag,
            [LastModifiedProperty] = record.LastModified,
            [StorageClassProperty] = record.StorageClass,
            [ChecksumsProperty] = JsonSerializer.Serialize(record.Checksums),
        };

        // Absent optional values are left out rather than stored as nulls.
        HeadersProperty.Write(entity, record.Headers);
        AddIfPresent(entity, ChecksumTypeProperty, record.ChecksumType);
        if (record.PartsCount is { } partsCount)
        {
            entity[PartsCountProperty] = partsCount;
        }

        if (record.PartSizes is not null)
        {
            entity[PartSizesProperty] = JsonSerializer.Serialize(record.PartSizes);
        }

        return entity;
    }

    public static ObjectRecord FromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
        var partSizes = entity.GetString(PartSizesProperty);
        return new ObjectRecord
        {
            Bucket = entity.PartitionKey,
            Key = entity.GetString(KeyProperty),
            BlobName = entity.GetString(BlobNameProperty),
            Size = entity.GetInt64(SizeProperty) ?? 0,
            ETag = entity.GetString(ETagProperty),
            LastModified = entity.GetDateTimeOffset(LastModifiedProperty) ?? default,
            Headers = HeadersProperty.Read(entity),
            StorageClass = entity.GetString(StorageClassProperty) ?? "STANDARD",
            Checksums = ReadDictionary(entity, ChecksumsProperty),
            ChecksumType = entity.GetString(ChecksumTypeProperty),
            PartsCount = entity.GetInt32(PartsCountProperty),
            PartSizes = partSizes is null ? null : JsonSerializer.Deserialize<long[]>(partSizes),
            Version = entity.ETag.ToString(),
        };
    }

    private static void AddIfPresent(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    private static Dictionary<string, string> ReadDictionary(TableEntity entity, string name) =>
        entity.GetString(name) is { } json ? JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [] : [];
}
