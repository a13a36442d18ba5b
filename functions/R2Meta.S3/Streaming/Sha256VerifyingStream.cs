using System.Security.Cryptography;
using R2Meta.Domain.Hashing;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Streaming;

/// <summary>
/// Passes a signed-payload body through and, at its end, checks it against <c>x-amz-content-sha256</c>.
/// The check is at EOF because the body is streamed, never buffered; consumers commit only after EOF.
/// </summary>
internal sealed class Sha256VerifyingStream : ReadOnlyForwardStream
{
    private readonly Stream _inner;
    private readonly string _expectedLowerHex;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _done;

    public Sha256VerifyingStream(Stream inner, string expectedHex)
    {
        _inner = inner;
        _expectedLowerHex = expectedHex.ToLowerInvariant();
    }

    public override int Read(Span<byte> buffer)
    {
        if (_done || buffer.IsEmpty)
        {
            return 0;
        }

        return Consume(buffer, _inner.Read(buffer));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.IsEmpty)
        {
            return 0;
        }

        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        return Consume(buffer.Span, read);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private int Consume(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
            return read;
        }

        _done = true;
        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (actual != _expectedLowerHex)
        {
            throw S3Errors.XAmzContentSHA256Mismatch
                .WithDetail("ClientComputedContentSHA256", _expectedLowerHex)
                .WithDetail("S3ComputedContentSHA256", actual)
                .ToException();
        }

        return 0;
    }
}
