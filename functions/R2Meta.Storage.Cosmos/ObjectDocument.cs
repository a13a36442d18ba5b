using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Notifications;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>An object's metadata as stored in the objects container (partition key /bucket, /shard; or /bucket in the <see cref="ObjectsLayout.Bucket"/> layout).</summary>
internal sealed class ObjectDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("bucket")]
    public required string Bucket { get; init; }

    [JsonPropertyName("key")]
    public required string Key { get; init; }

    /// <summary>
    /// <see cref="ObjectPartitioning.ShardOf"/> the key: the second partition key level. Written in every layout so a
    /// document can be copied to a hierarchical container as it is; absent on documents written before layout 2.
    /// </summary>
    [JsonPropertyName("shard")]
    public string? Shard { get; init; }

    /// <summary><see cref="SortKeyCodec.Encode"/> of the key: its ordinal order is the key's UTF-8 order.</summary>
    [JsonPropertyName("sortKey")]
    public required string SortKey { get; init; }

    /// <summary>The number of "/" in the key: the directory index's level (see <see cref="DirectoryIndex"/>). Absent before the index.</summary>
    [JsonPropertyName("level")]
    public int? Level { get; init; }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("blobName")]
    public required string BlobName { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    /// <summary>The S3 ETag (quoted); not to be confused with the Cosmos <c>_etag</c>.</summary>
    [JsonPropertyName("s3ETag")]
    public required string S3ETag { get; init; }

    [JsonPropertyName("lastModified")]
    public DateTimeOffset LastModified { get; init; }

    /// <summary>The record's content headers as one sub-document (property names camelCased); absent when there are none.</summary>
    [JsonPropertyName("headers")]
    public ContentHeaders? Headers { get; init; }

    [JsonPropertyName("storageClass")]
    public string? StorageClass { get; init; }

    [JsonPropertyName("checksums")]
    public Dictionary<string, string>? Checksums { get; init; }

    [JsonPropertyName("checksumType")]
    public string? ChecksumType { get; init; }

    [JsonPropertyName("partsCount")]
    public int? PartsCount { get; init; }

    [JsonPropertyName("partSizes")]
    public List<long>? PartSizes { get; init; }

    /// <summary>Base64 part checksums (10,000 SHA-256 values are ~470 KB, inside a document's 2 MB).</summary>
    [JsonPropertyName("partChecksums")]
    public List<string>? PartChecksums { get; init; }

    /// <summary>The object's tag set; absent when it has none (and in older documents).</summary>
    [JsonPropertyName("tags")]
    public List<Tag>? Tags { get; init; }

    /// <summary>
    /// Absent on an object; <see cref="CosmosModel.MarkerKind"/> on a current delete marker and
    /// <see cref="CosmosModel.VersionKind"/> on a history entry, so object range queries (NOT IS_DEFINED(kind))
    /// and the directory index (which needs <c>level</c>, absent on both) never see them.
    /// </summary>
    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    /// <summary>The version id (<see cref="ObjectRecord.VersionId"/>); versioned buckets only (schema version 3).</summary>
    [JsonPropertyName("versionId")]
    public string? VersionId { get; init; }

    [JsonPropertyName("nullVersion")]
    public bool? NullVersion { get; init; }

    [JsonPropertyName("deleteMarker")]
    public bool? DeleteMarker { get; init; }

    /// <summary>
    /// Event notifications recorded with this document's commits and not yet delivered (<see cref="ObjectRecord.PendingEvents"/>):
    /// in the same document, so the one conditional write that commits the object records them. Absent when none.
    /// </summary>
    [JsonPropertyName("events")]
    public List<PendingEvent>? Events { get; init; }

    /// <summary>True exactly while <see cref="Events"/> is not empty: the indexed flag the dispatcher's query filters on.</summary>
    [JsonPropertyName("pending")]
    public bool? Pending { get; init; }

    /// <summary>Set by Cosmos on every write; the record's <see cref="ObjectRecord.Version"/>.</summary>
    [JsonPropertyName("_etag")]
    public string? CosmosETag { get; init; }

    /// <summary>Properties no member maps: Cosmos system properties, and a version 1 document's headers.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; init; }

    /// <summary>
    /// Cosmos ids cannot hold / \ ? # and stop at 1,023 bytes while S3 keys reach 1,024, so the id is
    /// base64url(SHA-256(UTF-8 key)): 43 characters that only identify; the raw key is a property.
    /// </summary>
    public static string IdOf(string key) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The id of a history entry: the key's id and the version id (67 characters).</summary>
    public static string HistoryIdOf(string key, string versionId) => IdOf(key) + "." + versionId;

    /// <summary>The history entry of <paramref name="record"/> (which has a version id).</summary>
    public static ObjectDocument HistoryFromRecord(ObjectRecord record)
    {
        var versionId = record.VersionId ?? throw new ArgumentException("A history entry needs a version id.", nameof(record));
        var document = FromRecord(record);
        return new ObjectDocument
        {
            Id = HistoryIdOf(record.Key, versionId),
            Bucket = document.Bucket,
            Key = document.Key,
            Shard = document.Shard,
            SortKey = VersionIds.SortKey(record.Key, versionId),
            Level = null,
            Kind = CosmosModel.VersionKind,
            SchemaVersion = document.SchemaVersion,
            BlobName = document.BlobName,
            Size = document.Size,
            S3ETag = document.S3ETag,
            LastModified = document.LastModified,
            Headers = document.Headers,
            StorageClass = document.StorageClass,
            Checksums = document.Checksums,
            ChecksumType = document.ChecksumType,
            PartsCount = document.PartsCount,
            PartSizes = document.PartSizes,
            PartChecksums = document.PartChecksums,
            Tags = document.Tags,
            VersionId = document.VersionId,
            NullVersion = document.NullVersion,
            DeleteMarker = document.DeleteMarker,
        };
    }

    public static ObjectDocument FromRecord(ObjectRecord record) => new()
    {
        Id = IdOf(record.Key),
        Bucket = record.Bucket,
        Key = record.Key,
        Shard = ObjectPartitioning.ShardOf(record.Key),
        SortKey = SortKeyCodec.Encode(record.Key),
        // A delete marker is no entry of the directory index.
        Level = record.IsDeleteMarker ? null : DirectoryKeys.LevelOf(record.Key),
        Kind = record.IsDeleteMarker ? CosmosModel.MarkerKind : null,
        VersionId = record.VersionId,
        NullVersion = record.IsNullVersion ? true : null,
        DeleteMarker = record.IsDeleteMarker ? true : null,
        SchemaVersion = record.VersionId is null ? CosmosModel.SchemaVersion : CosmosModel.VersionedSchemaVersion,
        BlobName = record.BlobName,
        Size = record.Size,
        S3ETag = record.ETag,
        LastModified = record.LastModified,
        Headers = record.Headers.Equals(ContentHeaders.None) ? null : record.Headers,
        StorageClass = record.StorageClass,
        Checksums = record.Checksums.Count == 0 ? null : new Dictionary<string, string>(record.Checksums, StringComparer.Ordinal),
        ChecksumType = record.ChecksumType,
        PartsCount = record.PartsCount,
        PartSizes = record.PartSizes?.ToList(),
        PartChecksums = record.PartChecksums?.ToList(),
        Tags = record.Tags?.ToList(),
        Events = record.PendingEvents is { Count: > 0 } events ? [.. events] : null,
        Pending = record.PendingEvents is { Count: > 0 } ? true : null,
    };

    /// <summary>What a delete in a notifying bucket leaves: the key's document id, no object, only the pending events.</summary>
    public static ObjectDocument Tombstone(string bucket, string key, IReadOnlyList<PendingEvent> events) => new()
    {
        Id = IdOf(key),
        Bucket = bucket,
        Key = key,
        SortKey = SortKeyCodec.Encode(key),
        Kind = CosmosModel.OutboxKind,
        Shard = ObjectPartitioning.ShardOf(key),
        SchemaVersion = CosmosModel.SchemaVersion,
        BlobName = string.Empty,
        S3ETag = string.Empty,
        Events = [.. events],
        Pending = true,
    };

    public bool IsTombstone => Kind == CosmosModel.OutboxKind;

    /// <param name="version">The document's _etag when the response carries it outside the body (writes).</param>
    public ObjectRecord ToRecord(string? version = null)
    {
        CosmosModel.EnsureReadable(SchemaVersion, "object", Id);
        return new ObjectRecord
        {
            Bucket = Bucket,
            Key = Key,
            BlobName = BlobName,
            Size = Size,
            ETag = S3ETag,
            LastModified = LastModified,
            Headers = SchemaVersion == CosmosModel.PreviousSchemaVersion ? Version1Headers.Read(Unmapped) : Headers ?? ContentHeaders.None,
            StorageClass = StorageClass ?? "STANDARD",
            Checksums = Checksums ?? new Dictionary<string, string>(),
            ChecksumType = ChecksumType,
            PartsCount = PartsCount,
            PartSizes = PartSizes,
            PartChecksums = PartChecksums,
            Tags = Tags,
            VersionId = VersionId,
            IsNullVersion = NullVersion ?? false,
            IsDeleteMarker = DeleteMarker ?? false,
            PendingEvents = Events,
            Version = version ?? CosmosETag,
        };
    }
}
