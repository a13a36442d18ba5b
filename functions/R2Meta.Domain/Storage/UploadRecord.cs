namespace R2Meta.Domain.Storage;

/// <summary>
/// An in-progress multipart upload. The parts are separate <see cref="PartRecord"/>s so parallel part
/// uploads never contend on this document. Keep additions optional so older documents still read.
/// </summary>
public sealed record UploadRecord
{
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    /// <summary>Time-ordered and random (see <see cref="Services.MultipartIds"/>): ordering by id orders by initiation.</summary>
    public required string UploadId { get; init; }
    /// <summary>The blob the parts are staged into as blocks; the completed object's blob.</summary>
    public required string BlobName { get; init; }
    public required DateTimeOffset Initiated { get; init; }
    /// <summary>Canonical user id of the initiator (also the owner: every bucket has one owner).</summary>
    public required string OwnerId { get; init; }
    /// <summary>Content headers and user metadata of CreateMultipartUpload; the completed object's.</summary>
    public ContentHeaders Headers { get; init; } = ContentHeaders.None;
    public string StorageClass { get; init; } = "STANDARD";
    /// <summary>x-amz-tagging of CreateMultipartUpload: the completed object's tag set; null when none.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }
    /// <summary>x-amz-checksum-algorithm of CreateMultipartUpload (CRC32, CRC32C, SHA1, SHA256, CRC64NVME) or null.</summary>
    public string? ChecksumAlgorithm { get; init; }
    /// <summary>"COMPOSITE" or "FULL_OBJECT" when <see cref="ChecksumAlgorithm"/> is set.</summary>
    public string? ChecksumType { get; init; }
    /// <summary>
    /// Set (by a conditional replace) when a CompleteMultipartUpload starts committing blocks. An abort of
    /// such an upload removes its records but never its blob, which a completing request may be committing.
    /// </summary>
    public bool Completing { get; init; }
    /// <summary>Store concurrency token of this version. Set by the store on read and write.</summary>
    public string? Version { get; init; }
}

/// <summary>One uploaded part. Re-uploading a part number replaces the record; the old blocks are never committed.</summary>
public sealed record PartRecord
{
    public required string Bucket { get; init; }
    public required string UploadId { get; init; }
    public required int PartNumber { get; init; }
    public required long Size { get; init; }
    /// <summary>Quoted hex MD5 of the part's bytes.</summary>
    public required string ETag { get; init; }
    /// <summary>The part's checksum (base64) in the upload's algorithm, when it has one.</summary>
    public string? Checksum { get; init; }
    /// <summary>The staged block ids holding the part's bytes, in order (one, or two above 4,000 MiB).</summary>
    public required IReadOnlyList<string> BlockIds { get; init; }
    public required DateTimeOffset LastModified { get; init; }
}
