using System.Buffers.Binary;
using System.Text.Json;
using Azure.Data.Tables;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Tables;

/// <summary>
/// One entity per object: PartitionKey = bucket, RowKey = <see cref="SortKeyCodec.Encode"/> of the key,
/// the raw key as a property. Dictionaries and the content headers (<see cref="HeadersProperty"/>) are one JSON string property each.
/// Per-part data (10,000 parts) would overflow one property (64 KiB), so it is binary split over numbered
/// properties (<see cref="ChunkedBinary"/>): sizes 8 bytes a part, checksums their digest bytes; at most
/// 80 KB + 320 KB, well inside an entity's 1 MiB.
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
    /// <summary>Schema 2's JSON array of sizes: still read, no longer written (it exceeds 32K characters past ~4,000 parts).</summary>
    private const string PartSizesJsonProperty = "PartSizes";
    private const string PartSizesProperty = "PartSizesBin";
    private const string PartChecksumsProperty = "PartChecksumsBin";
    // Versioned buckets only (schema version 3): absent on every other entity, which reads as the null version.
    private const string VersionIdProperty = "VersionId";
    private const string NullVersionProperty = "NullVersion";
    private const string DeleteMarkerProperty = "DeleteMarker";

    /// <summary>
    /// What a listing shows of an object (<see cref="FromEntity"/> reads the rest as absent): a query selecting only
    /// these skips the content headers, tags and per-part data, which can be most of a row (80 KB of part sizes for
    /// 10,000 parts) and which a listing page of 1,000 rows would otherwise fetch, parse and drop.
    /// </summary>
    public static IReadOnlyList<string> ListingProperties { get; } =
    [
        "PartitionKey", "RowKey", SchemaVersion.PropertyName, KeyProperty, BlobNameProperty, SizeProperty, ETagProperty, LastModifiedProperty,
        StorageClassProperty, ChecksumsProperty, ChecksumTypeProperty, PartsCountProperty, VersionIdProperty, NullVersionProperty, DeleteMarkerProperty,
    ];

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

        if (record.VersionId is { } versionId)
        {
            entity[SchemaVersion.PropertyName] = SchemaVersion.Versioned;
            entity[VersionIdProperty] = versionId;
            if (record.IsNullVersion)
            {
                entity[NullVersionProperty] = true;
            }

            if (record.IsDeleteMarker)
            {
                entity[DeleteMarkerProperty] = true;
            }
        }

        // Absent optional values are left out rather than stored as nulls.
        HeadersProperty.Write(entity, record.Headers);
        AddIfPresent(entity, ChecksumTypeProperty, record.ChecksumType);
        TagsProperty.Write(entity, record.Tags);
        if (record.PartsCount is { } partsCount)
        {
            entity[PartsCountProperty] = partsCount;
        }

        if (record.PartSizes is { } sizes)
        {
            var bytes = new byte[sizes.Count * sizeof(long)];
            for (var i = 0; i < sizes.Count; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), sizes[i]);
            }

            ChunkedBinary.Write(entity, PartSizesProperty, bytes);
        }

        if (record.PartChecksums is { Count: > 0 } checksums)
        {
            // Every part's digest has the object's algorithm's size: the reader splits the bytes evenly.
            ChunkedBinary.Write(entity, PartChecksumsProperty, [.. checksums.SelectMany(Convert.FromBase64String)]);
        }

        return entity;
    }

    public static ObjectRecord FromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
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
            PartSizes = ReadPartSizes(entity),
            PartChecksums = ReadPartChecksums(entity),
            Tags = TagsProperty.Read(entity),
            VersionId = entity.GetString(VersionIdProperty),
            IsNullVersion = entity.GetBoolean(NullVersionProperty) ?? false,
            IsDeleteMarker = entity.GetBoolean(DeleteMarkerProperty) ?? false,
            Version = entity.ETag.ToString(),
        };
    }

    private static long[]? ReadPartSizes(TableEntity entity)
    {
        if (entity.GetString(PartSizesJsonProperty) is { } json)
        {
            return JsonSerializer.Deserialize<long[]>(json);
        }

        if (ChunkedBinary.Read(entity, PartSizesProperty) is not { } bytes)
        {
            return null;
        }

        var sizes = new long[bytes.Length / sizeof(long)];
        for (var i = 0; i < sizes.Length; i++)
        {
            sizes[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i * sizeof(long)));
        }

        return sizes;
    }

    private static string[]? ReadPartChecksums(TableEntity entity)
    {
        if (ChunkedBinary.Read(entity, PartChecksumsProperty) is not { } bytes || entity.GetInt32(PartsCountProperty) is not { } count || count == 0)
        {
            return null;
        }

        var size = bytes.Length / count;
        return [.. Enumerable.Range(0, count).Select(i => Convert.ToBase64String(bytes, i * size, size))];
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
