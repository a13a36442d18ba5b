using System.Buffers;
using System.Globalization;
using System.Text;
using R2Meta.Domain.Hashing;
using R2Meta.S3.Auth;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Streaming;

/// <summary>
/// Decodes an aws-chunked body incrementally:
/// <c>hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n [name:value\r\n ...] \r\n</c>.
/// Chunk headers and boundaries may be split anywhere across reads of the underlying stream. With a verifier,
/// every chunk signature (and the trailer signature, when trailers are expected) is checked; a chunk's signature
/// is checked as soon as its last byte arrives, so no read reaches EOF past a bad chunk.
/// </summary>
internal sealed class AwsChunkedStream : ReadOnlyForwardStream, ITrailerSource
{
    private const int BufferSize = 64 * 1024;
    private const int MinBufferSize = 512;
    private const int MaxLineLength = 4096;
    private const int MaxTrailers = 16;
    private const string TrailerSignatureName = "x-amz-trailer-signature";

    private readonly Stream _inner;
    private readonly ChunkSignatureVerifier? _verifier;
    private readonly bool _expectTrailer;
    // Pooled (returned on dispose): at 4 KiB objects these two were a tenth of what a PUT allocated.
    private byte[] _buffer;
    private byte[] _line = ArrayPool<byte>.Shared.Rent(MaxLineLength);
    private readonly SortedDictionary<string, string> _received = new(StringComparer.Ordinal);
    private int _position;
    private int _end;
    private int _lineLength;
    private State _state = State.ChunkHeader;
    private long _chunkRemaining;
    private string? _chunkSignature;
    private string? _trailerSignature;
    private IReadOnlyDictionary<string, string> _trailers = new Dictionary<string, string>();

    /// <param name="verifier">Null for unsigned chunks (STREAMING-UNSIGNED-PAYLOAD-TRAILER); owned by this stream.</param>
    /// <param name="expectTrailer">Whether trailing headers may follow the final chunk (the -TRAILER modes).</param>
    /// <param name="encodedLength">The request's Content-Length when known: a small body gets a buffer its size rather than 64 KiB.</param>
    public AwsChunkedStream(Stream inner, ChunkSignatureVerifier? verifier, bool expectTrailer, long? encodedLength = null)
    {
        _inner = inner;
        // Only how much one read of the inner stream may take; any size decodes the same.
        _buffer = ArrayPool<byte>.Shared.Rent(encodedLength is { } length ? (int)Math.Clamp(length, MinBufferSize, BufferSize) : BufferSize);
        _verifier = verifier;
        _expectTrailer = expectTrailer;
    }

    private enum State
    {
        ChunkHeader,
        ChunkData,
        ChunkDataEnd,
        Trailer,
        Done,
    }

    public IReadOnlyDictionary<string, string> Trailers => _trailers;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var decoded = Decode(buffer);
            if (decoded > 0 || _state == State.Done)
            {
                return decoded;
            }

            Refill(_inner.Read(_buffer));
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var decoded = Decode(buffer.Span);
            if (decoded > 0 || _state == State.Done)
            {
                return decoded;
            }

            Refill(await _inner.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _verifier?.Dispose();
            if (_buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                ArrayPool<byte>.Shared.Return(_line);
                _buffer = [];
                _line = [];
            }
        }

        base.Dispose(disposing);
    }

    private void Refill(int read)
    {
        _position = 0;
        _end = read;
        if (read > 0)
        {
            return;
        }

        // Some clients end right after the final chunk or the last trailer line, without the closing blank line;
        // everything signed has been verified by then, so that end is accepted.
        if (_state == State.Trailer && _lineLength == 0)
        {
            Finish();
            return;
        }

        throw S3Errors.IncompleteBody.With("The aws-chunked request body ended before its final chunk.").ToException();
    }

    /// <summary>Runs the state machine over buffered input; returns data bytes written (0: needs input, or done).</summary>
    private int Decode(Span<byte> destination)
    {
        var written = 0;
        while (_position < _end && _state != State.Done)
        {
            switch (_state)
            {
                case State.ChunkHeader:
                    if (TryTakeLine(out var header))
                    {
                        StartChunk(header);
                    }

                    break;
                case State.ChunkData:
                    if (written == destination.Length)
                    {
                        return written;
                    }

                    var count = (int)Math.Min(_chunkRemaining, Math.Min(_end - _position, destination.Length - written));
                    var data = _buffer.AsSpan(_position, count);
                    data.CopyTo(destination[written..]);
                    _verifier?.Append(data);
                    _position += count;
                    written += count;
                    _chunkRemaining -= count;
                    if (_chunkRemaining == 0)
                    {
                        _verifier?.VerifyChunk(_chunkSignature!);
                        _state = State.ChunkDataEnd;
                    }

                    break;
                case State.ChunkDataEnd:
                    if (TryTakeLine(out var rest))
                    {
                        _state = rest.IsEmpty ? State.ChunkHeader : throw Malformed("chunk data is longer than its declared size.");
                    }

                    break;
                case State.Trailer:
                    if (TryTakeLine(out var line))
                    {
                        if (line.IsEmpty)
                        {
                            Finish();
                        }
                        else
                        {
                            AddTrailer(line);
                        }
                    }

                    break;
            }
        }

        return written;
    }

    /// <summary>Collects one line (without CRLF) across reads; false when the buffer ran out first.</summary>
    private bool TryTakeLine(out ReadOnlySpan<byte> line)
    {
        var available = _buffer.AsSpan(_position, _end - _position);
        var newline = available.IndexOf((byte)'\n');
        var take = newline < 0 ? available.Length : newline;
        if (_lineLength + take > MaxLineLength)
        {
            throw Malformed("a chunk header or trailer line is too long.");
        }

        available[..take].CopyTo(_line.AsSpan(_lineLength));
        _lineLength += take;
        if (newline < 0)
        {
            _position = _end;
            line = default;
            return false;
        }

        _position += newline + 1;
        var length = _lineLength;
        _lineLength = 0;
        if (length > 0 && _line[length - 1] == (byte)'\r')
        {
            length--;
        }

        line = _line.AsSpan(0, length);
        return true;
    }

    private void StartChunk(ReadOnlySpan<byte> header)
    {
        var text = Encoding.Latin1.GetString(header);
        var parts = text.Split(';');
        var size = parts[0].Trim();
        if (size.Length is 0 or > 16 || !long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length) || length < 0)
        {
            throw Malformed("a chunk size is not a hexadecimal number.");
        }

        _chunkSignature = null;
        foreach (var extension in parts.AsSpan(1))
        {
            var eq = extension.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && extension[..eq].Trim() == "chunk-signature")
            {
                _chunkSignature = extension[(eq + 1)..].Trim();
            }
        }

        if (_verifier is not null && _chunkSignature is null)
        {
            throw S3Errors.SignatureDoesNotMatch.With("A chunk of a signed aws-chunked body carries no chunk-signature.").ToException();
        }

        _chunkRemaining = length;
        if (length > 0)
        {
            _state = State.ChunkData;
            return;
        }

        _verifier?.VerifyChunk(_chunkSignature!);
        _state = State.Trailer;
    }

    private void AddTrailer(ReadOnlySpan<byte> line)
    {
        var text = Encoding.UTF8.GetString(line);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw MalformedTrailer("a trailer line is not name:value.");
        }

        var name = text[..colon].Trim().ToLowerInvariant();
        var value = text[(colon + 1)..].Trim();
        if (name == TrailerSignatureName)
        {
            _trailerSignature = value;
            return;
        }

        if (!_expectTrailer)
        {
            throw MalformedTrailer("this x-amz-content-sha256 does not allow trailers.");
        }

        if (_received.Count >= MaxTrailers || !_received.TryAdd(name, value))
        {
            throw MalformedTrailer("too many or repeated trailers.");
        }
    }

    private void Finish()
    {
        if (_verifier is not null && _expectTrailer)
        {
            if (_trailerSignature is null)
            {
                throw S3Errors.SignatureDoesNotMatch.With("The signed trailer carries no x-amz-trailer-signature.").ToException();
            }

            // The canonical trailer is name:value\n per trailer, sorted by name, as the AWS signers build it.
            _verifier.VerifyTrailer(string.Concat(_received.Select(static t => t.Key + ":" + t.Value + "\n")), _trailerSignature);
        }

        _trailers = new Dictionary<string, string>(_received, StringComparer.Ordinal);
        _state = State.Done;
    }

    private static S3Exception Malformed(string reason) =>
        S3Errors.IncompleteBody.With("The aws-chunked request body is malformed: " + reason).ToException();

    private static S3Exception MalformedTrailer(string reason) =>
        S3Errors.MalformedTrailerError.With(S3Errors.MalformedTrailerError.Message + " " + char.ToUpperInvariant(reason[0]) + reason[1..]).ToException();
}
