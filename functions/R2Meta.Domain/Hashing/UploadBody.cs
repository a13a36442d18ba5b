namespace R2Meta.Domain.Hashing;

/// <summary>
/// The decoded body of an upload as the domain consumes it: read once to its end, counting bytes and
/// hashing on the way. A read fails when the body fails an integrity check, so a write that commits only
/// after the end was read never commits a body that failed one.
/// </summary>
public abstract class UploadBody : ReadOnlyForwardStream
{
    /// <summary>Decoded bytes read so far.</summary>
    public abstract long BytesRead { get; }

    /// <summary>MD5 of the decoded body; valid once a read returned 0.</summary>
    public abstract byte[] Md5 { get; }

    /// <summary>"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256", or null when the request names no checksum.</summary>
    public abstract string? ChecksumAlgorithm { get; }

    /// <summary>The computed checksum (base64 of the big-endian digest); valid once a read returned 0.</summary>
    public abstract string? ChecksumBase64 { get; }
}
