using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// An in-progress multipart upload in the uploads container (partition key /bucket), next to its
/// <see cref="PartDocument"/>s; <c>type</c> tells them apart.
/// </summary>
internal sealed class UploadDocument
{
    public const string Type = "upload";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("type")]
    public string DocumentType { get; init; } = Type;

    [JsonPropertyName("bucket")]
    public required string Bucket { get; init; }

    [JsonPropertyName("uploadId")]
    public required string UploadId { get; init; }

    [JsonPropertyName("key")]
    public required string Key { get; init; }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("blobName")]
    public required string BlobName { get; init; }

    [JsonPropertyName("initiated")]
    public DateTimeOffset Initiated { get; init; }

    /// <summary>Unix milliseconds of <see cref="Initiated"/>: a number (exact below 2^53) for the expiry query's range filter.</summary>
    [JsonPropertyName("initiatedMs")]
    public long InitiatedMs { get; init; }

    [JsonPropertyName("ownerId")]
    public required string OwnerId { get; init; }

    /// <summary>The record's content headers as one sub-document (property names camelCased); absent when there are none.</summary>
    [JsonPropertyName("headers")]
    public ContentHeaders? Headers { get; init; }

    [JsonPropertyName("storageClass")]
    public string? StorageClass { get; init; }

    /// <summary>x-amz-tagging of CreateMultipartUpload; absent when none (and in older documents).</summary>
    [JsonPropertyName("tags")]
    public List<Tag>? Tags { get; init; }

    [JsonPropertyName("checksumAlgorithm")]
    public string? ChecksumAlgorithm { get; init; }

    [JsonPropertyName("checksumType")]
    public string? ChecksumType { get; init; }

    [JsonPropertyName("completing")]
    public bool Completing { get; init; }

    [JsonPropertyName("_etag")]
    public string? CosmosETag { get; init; }

    /// <summary>Properties no member maps: Cosmos system properties, and a version 1 document's headers.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; init; }

    /// <summary>Upload ids are lowercase hex, valid in a Cosmos id; the prefix keeps them apart from part ids.</summary>
    public static string IdOf(string uploadId) => "upload:" + uploadId;

    public static UploadDocument FromRecord(UploadRecord record) => new()
    {
        Id = IdOf(record.UploadId),
        Bucket = record.Bucket,
        UploadId = record.UploadId,
        Key = record.Key,
        SchemaVersion = CosmosModel.SchemaVersion,
        BlobName = record.BlobName,
        Initiated = record.Initiated,
        InitiatedMs = record.Initiated.ToUnixTimeMilliseconds(),
        OwnerId = record.OwnerId,
        Headers = record.Headers.Equals(ContentHeaders.None) ? null : record.Headers,
        StorageClass = record.StorageClass,
        ChecksumAlgorithm = record.ChecksumAlgorithm,
        ChecksumType = record.ChecksumType,
        Completing = record.Completing,
        Tags = record.Tags?.ToList(),
    };

    public UploadRecord ToRecord(string? version = null)
    {
        CosmosModel.EnsureReadable(SchemaVersion, "upload", Id);
        return new UploadRecord
        {
            Bucket = Bucket,
            Key = Key,
            UploadId = UploadId,
            BlobName = BlobName,
            Initiated = Initiated,
            OwnerId = OwnerId,
            Headers = SchemaVersion == CosmosModel.PreviousSchemaVersion ? Version1Headers.Read(Unmapped) : Headers ?? ContentHeaders.None,
            StorageClass = StorageClass ?? "STANDARD",
            ChecksumAlgorithm = ChecksumAlgorithm,
            ChecksumType = ChecksumType,
            Completing = Completing,
            Tags = Tags,
            Version = version ?? CosmosETag,
        };
    }
}

/// <summary>One part of an upload: its own document, so parallel part uploads never write the same one.</summary>
internal sealed class PartDocument
{
    public const string Type = "part";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("type")]
    public string DocumentType { get; init; } = Type;

    [JsonPropertyName("bucket")]
    public required string Bucket { get; init; }

    [JsonPropertyName("uploadId")]
    public required string UploadId { get; init; }

    [JsonPropertyName("partNumber")]
    public int PartNumber { get; init; }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("size")]
    public long Size { get; init; }

    [JsonPropertyName("s3ETag")]
    public required string S3ETag { get; init; }

    [JsonPropertyName("checksum")]
    public string? Checksum { get; init; }

    [JsonPropertyName("blockIds")]
    public List<string>? BlockIds { get; init; }

    [JsonPropertyName("lastModified")]
    public DateTimeOffset LastModified { get; init; }

    public static string IdOf(string uploadId, int partNumber) =>
        "part:" + uploadId + ":" + partNumber.ToString("D5", CultureInfo.InvariantCulture);

    public static PartDocument FromRecord(PartRecord record) => new()
    {
        Id = IdOf(record.UploadId, record.PartNumber),
        Bucket = record.Bucket,
        UploadId = record.UploadId,
        PartNumber = record.PartNumber,
        SchemaVersion = CosmosModel.SchemaVersion,
        Size = record.Size,
        S3ETag = record.ETag,
        Checksum = record.Checksum,
        BlockIds = [.. record.BlockIds],
        LastModified = record.LastModified,
    };

    public PartRecord ToRecord()
    {
        CosmosModel.EnsureReadable(SchemaVersion, "part", Id);
        return new PartRecord
        {
            Bucket = Bucket,
            UploadId = UploadId,
            PartNumber = PartNumber,
            Size = Size,
            ETag = S3ETag,
            Checksum = Checksum,
            BlockIds = BlockIds ?? [],
            LastModified = LastModified,
        };
    }
}
