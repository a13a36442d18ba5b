
namespace R2Meta.Domain.Storage;

/// <summary>
/// The committed metadata of one object. Persisted by every metadata adapter; keep additions
/// optional so documents written by the previous schema version still read.
/// </summary>
public sealed record ObjectRecord
{
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    /// <summary>Name of the blob holding the bytes; unique per write, never reused.</summary>
    public required string BlobName { get; init; }
    public required long Size { get; init; }
    /// <summary>Quoted ETag as S3 returns it, e.g. "\"9e107d9d372bb6826bd81d3542a419d6\"".</summary>
    public required string ETag { get; init; }
    public required DateTimeOffset LastModified { get; init; }
    /// <summary>Content headers and user metadata, as the upload set them (or a copy with REPLACE).</summary>
    public ContentHeaders Headers { get; init; } = ContentHeaders.None;
    /// <summary>Not a content header: how the object is stored (lifecycle changes it; a copy may too).</summary>
    public string StorageClass { get; init; } = "STANDARD";
    /// <summary>Checksums by algorithm name (CRC32, CRC32C, CRC64NVME, SHA1, SHA256), base64 as S3 returns them.</summary>
    public IReadOnlyDictionary<string, string> Checksums { get; init; } = new Dictionary<string, string>();
    /// <summary>"FULL_OBJECT" or "COMPOSITE" when a checksum is present.</summary>
    public string? ChecksumType { get; init; }
    /// <summary>Number of parts for a multipart object; null for a single PUT.</summary>
    public int? PartsCount { get; init; }
    /// <summary>Byte sizes of the parts, in order, for GET/HEAD by partNumber.</summary>
    public IReadOnlyList<long>? PartSizes { get; init; }
    /// <summary>
    /// The parts' checksums (base64), in order, in the algorithm of <see cref="Checksums"/>' one entry, for
    /// GetObjectAttributes; null for a single PUT and for a multipart object whose parts had none.
    /// </summary>
    public IReadOnlyList<string>? PartChecksums { get; init; }
    /// <summary>The object's tag set (x-amz-tagging, PutObjectTagging); null when it has none. At most 10 tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }
    /// <summary>
    /// The S3 version's id (<see cref="Keys.VersionIds"/>): set on every record written in a bucket whose versioning was
    /// ever enabled, null on records of unversioned buckets (and on records written before versioning existed),
    /// which are the "null" version. A null version of a versioned bucket has an id too (it orders the version
    /// history) and <see cref="IsNullVersion"/> set; S3 sees <see cref="S3VersionId"/>.
    /// </summary>
    public string? VersionId { get; init; }
    /// <summary>Written while versioning was suspended: S3 calls this version "null".</summary>
    public bool IsNullVersion { get; init; }
    /// <summary>A delete marker: no bytes (empty <see cref="BlobName"/>); as the current version it makes the key absent.</summary>
    public bool IsDeleteMarker { get; init; }
    /// <summary>The version id S3 clients see: "null" for the null version.</summary>
    public string S3VersionId => VersionId is null || IsNullVersion ? Keys.VersionIds.Null : VersionId;
    /// <summary>
    /// Event notifications recorded with this version's commit and not yet delivered (see <see cref="Notifications.EventRecorder"/>):
    /// the commit writes them atomically with the record. Cosmos keeps them in the document (a read returns them and the
    /// next commit carries them on); Tables writes them as outbox rows in the commit's transaction and never returns them.
    /// On a record to commit, null means the bucket never notified (nothing to record, nothing to look for), empty
    /// that it does but this commit records no event.
    /// </summary>
    public IReadOnlyList<Notifications.PendingEvent>? PendingEvents { get; init; }
    /// <summary>Store concurrency token of this version (Table ETag, Cosmos _etag). Set by the store on read.</summary>
    public string? Version { get; init; }
}
