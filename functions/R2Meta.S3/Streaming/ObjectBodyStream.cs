using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Hashing;
using R2Meta.S3.Auth;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Streaming;

/// <summary>
/// The decoded body of an upload, read once: counts bytes, computes MD5 and the checksum the request names,
/// and at EOF checks them against Content-MD5 and x-amz-checksum-* (header or trailer) and the declared length.
/// Every failure is an <see cref="S3Exception"/> thrown from a read, so a consumer that commits only after
/// EOF never commits a body that failed a check.
/// </summary>
public sealed class ObjectBodyStream : UploadBody
{
    private readonly Stream _inner;
    private readonly bool _ownsInner;
    private readonly long? _declaredLength;
    private readonly byte[]? _expectedMd5;
    private readonly string? _expectedChecksum;
    private readonly string? _trailerName;
    private readonly ITrailerSource? _trailers;
    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly ChecksumHasher? _checksum;
    private byte[]? _md5Value;
    private string? _checksumValue;
    private bool _done;
    private long _bytesRead;

    private ObjectBodyStream(Stream inner, bool ownsInner, long? declaredLength, byte[]? expectedMd5, ChecksumRequest checksum, ITrailerSource? trailers)
    {
        _inner = inner;
        _ownsInner = ownsInner;
        _declaredLength = declaredLength;
        _expectedMd5 = expectedMd5;
        _expectedChecksum = checksum.HeaderValue;
        _trailerName = checksum.TrailerName;
        _trailers = trailers;
        ChecksumAlgorithm = checksum.Algorithm;
        _checksum = checksum.Algorithm is null ? null : Checksums.CreateHasher(checksum.Algorithm);
    }

    public override long BytesRead => _bytesRead;

    public override byte[] Md5 => _md5Value ?? throw new InvalidOperationException("The MD5 is known only after the body was read to its end.");

    public override string? ChecksumAlgorithm { get; }

    public override string? ChecksumBase64 => _done ? _checksumValue : null;

    /// <summary>Validates the request's integrity headers up front (malformed ones fail before any byte is read).</summary>
    public static ObjectBodyStream Create(HttpRequest request, AuthResult auth)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(auth);
        var expectedMd5 = ParseContentMd5(request.Headers);
        var checksum = ChecksumRequest.Parse(request.Headers, auth.Trailers is not null);
        return new ObjectBodyStream(auth.Body, !ReferenceEquals(auth.Body, request.Body), auth.DecodedContentLength, expectedMd5, checksum, auth.Trailers);
    }

    /// <summary>
    /// The file of a PostObject form, whose Content-MD5 and x-amz-checksum-* come as form <paramref name="fields"/>
    /// rather than headers; <paramref name="file"/> is not disposed with this stream.
    /// </summary>
    public static ObjectBodyStream Create(IHeaderDictionary fields, Stream file)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(file);
        return new ObjectBodyStream(file, ownsInner: false, declaredLength: null, ParseContentMd5(fields), ChecksumRequest.Parse(fields, hasTrailers: false), trailers: null);
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
            _md5.Dispose();
            _checksum?.Dispose();

            // Decoding wrappers are ours to release; the raw request body belongs to the host.
            if (_ownsInner)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private int Consume(ReadOnlySpan<byte> buffer, int read)
    {
        if (read == 0)
        {
            Finish();
            return 0;
        }

        _bytesRead += read;
        if (_bytesRead > _declaredLength)
        {
            throw S3Errors.IncompleteBody.With("The request body is longer than its declared length.").ToException();
        }

        var data = buffer[..read];
        _md5.AppendData(data);
        _checksum?.Append(data);
        return read;
    }

    private void Finish()
    {
        _done = true;
        if (_bytesRead < _declaredLength)
        {
            throw S3Errors.IncompleteBody.ToException();
        }

        _md5Value = _md5.GetHashAndReset();
        if (_expectedMd5 is not null && !CryptographicOperations.FixedTimeEquals(_md5Value, _expectedMd5))
        {
            throw S3Errors.BadDigest.With("The Content-MD5 you specified did not match what we received.").ToException();
        }

        if (_checksum is null)
        {
            return;
        }

        _checksumValue = _checksum.GetBase64();
        var expected = _expectedChecksum;
        if (_trailerName is not null)
        {
            if (_trailers?.Trailers.TryGetValue(_trailerName, out expected) != true)
            {
                throw S3Errors.MalformedTrailerError.With($"The trailer {_trailerName} named in x-amz-trailer was not sent.").ToException();
            }

            if (!Checksums.IsValidBase64(_checksum.Algorithm, expected))
            {
                throw S3Errors.InvalidRequest.With($"Value for {_trailerName} trailing header is invalid.").ToException();
            }
        }

        if (expected is not null && expected != _checksumValue)
        {
            throw S3Errors.BadDigest.With($"The {_checksum.Algorithm} you specified did not match the calculated checksum.").ToException();
        }
    }

    /// <summary>Content-MD5 must be the base64 of 16 bytes; anything else is InvalidDigest.</summary>
    private static byte[]? ParseContentMd5(IHeaderDictionary headers)
    {
        if (!headers.TryGetValue("Content-MD5", out var values))
        {
            return null;
        }

        var md5 = new byte[16];
        Span<byte> decoded = stackalloc byte[18];
        if (values.Count != 1 || !Convert.TryFromBase64String(values.ToString().Trim(), decoded, out var written) || written != 16)
        {
            throw S3Errors.InvalidDigest.ToException();
        }

        decoded[..16].CopyTo(md5);
        return md5;
    }
}
