using System.Security.Cryptography;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Auth;

/// <summary>
/// Verifies the signature chain of an aws-chunked body: each chunk signs its data and the previous
/// signature (the seed is the request signature), and the trailer signs the trailers and the last chunk signature.
/// </summary>
internal sealed class ChunkSignatureVerifier : IDisposable
{
    private readonly byte[] _signingKey;
    private readonly string _amzDate;
    private readonly string _scope;
    private readonly IncrementalHash _chunkHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private string _previousSignature;

    public ChunkSignatureVerifier(byte[] signingKey, string amzDate, string scope, string seedSignature)
    {
        _signingKey = signingKey;
        _amzDate = amzDate;
        _scope = scope;
        _previousSignature = seedSignature.ToLowerInvariant();
    }

    /// <summary>Feeds data of the current chunk.</summary>
    public void Append(ReadOnlySpan<byte> data) => _chunkHash.AppendData(data);

    /// <summary>Checks the signature of the chunk whose data was appended since the last call.</summary>
    public void VerifyChunk(string providedSignature)
    {
        var dataHash = Convert.ToHexStringLower(_chunkHash.GetHashAndReset());
        var expected = SigV4Signer.Sign(_signingKey, SigV4Signer.ChunkStringToSign(_amzDate, _scope, _previousSignature, dataHash));
        if (!SigV4Signer.SignaturesEqual(expected, providedSignature))
        {
            throw S3Errors.SignatureDoesNotMatch.With("The chunk signature we calculated does not match the signature you provided.").ToException();
        }

        _previousSignature = expected;
    }

    /// <summary>Checks the trailer signature over the canonical trailers (<c>name:value\n</c> each).</summary>
    public void VerifyTrailer(string canonicalTrailers, string providedSignature)
    {
        var expected = SigV4Signer.Sign(_signingKey, SigV4Signer.TrailerStringToSign(_amzDate, _scope, _previousSignature, canonicalTrailers));
        if (!SigV4Signer.SignaturesEqual(expected, providedSignature))
        {
            throw S3Errors.SignatureDoesNotMatch.With("The trailer signature we calculated does not match the signature you provided.").ToException();
        }
    }

    public void Dispose() => _chunkHash.Dispose();
}
