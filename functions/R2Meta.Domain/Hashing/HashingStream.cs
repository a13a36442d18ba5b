using System.Security.Cryptography;

namespace R2Meta.Domain.Hashing;

/// <summary>
/// Passes a source through once while computing MD5 and, optionally, one S3 checksum: for bytes that do
/// not come from a request body (UploadPartCopy reads a range of another blob). Memory stays one buffer.
/// </summary>
public sealed class HashingStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly ChecksumHasher? _checksum;

    public HashingStream(Stream inner, string? checksumAlgorithm)
    {
        _inner = inner;
        _checksum = checksumAlgorithm is null ? null : Checksums.CreateHasher(checksumAlgorithm);
    }

    public long BytesRead { get; private set; }

    /// <summary>MD5 of everything read so far.</summary>
    public byte[] Md5 => _md5.GetCurrentHash();

    /// <summary>The checksum of everything read so far (base64), or null when none was asked for.</summary>
    public string? ChecksumBase64 => _checksum?.GetBase64();

    public override int Read(Span<byte> buffer) => Consume(buffer, _inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Consume(buffer.Span, read);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _md5.Dispose();
            _checksum?.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Consume(ReadOnlySpan<byte> buffer, int read)
    {
        BytesRead += read;
        _md5.AppendData(buffer[..read]);
        _checksum?.Append(buffer[..read]);
        return read;
    }
}

/// <summary>Reads at most a fixed number of bytes of a source, leaving the rest for the next reader (one staged block each).</summary>
public sealed class LengthLimitedStream(Stream inner, long length) : ReadOnlyForwardStream
{
    private long _left = length;

    public override int Read(Span<byte> buffer)
    {
        if (_left == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_left == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken).ConfigureAwait(false);
        _left -= read;
        return read;
    }
}
