using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace R2Meta.S3.Auth;

/// <summary>
/// Computes a request's SigV4 signature with the canonical request and string to sign written as UTF-8 into
/// pooled buffers, the bytes <see cref="SigV4Signer"/>'s string forms encode to, so that verifying a good
/// signature builds neither string. A mismatch still reports those strings, built by <see cref="SigV4Signer"/>.
/// </summary>
internal static class RequestSignature
{
    /// <summary>Large enough for the canonical request of a typical SDK request, so the buffer rarely grows.</summary>
    private const int InitialCapacity = 1024;

    /// <summary>Writes the lower-case hex signature into <paramref name="signatureHex"/> (64 characters).</summary>
    public static void Compute(
        HttpRequest request, SignatureClaim claim, byte[] signingKey, string amzDate, string method, string canonicalUri, string rawQuery, bool presigned, string payloadHash,
        Span<char> signatureHex)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var canonicalRequest = new Utf8Buffer(InitialCapacity);
        try
        {
            WriteCanonicalRequest(ref canonicalRequest, request, claim.SignedHeaders, method, canonicalUri, rawQuery, presigned, payloadHash);
            SHA256.HashData(canonicalRequest.Written, digest);
        }
        finally
        {
            canonicalRequest.Dispose();
        }

        var stringToSign = new Utf8Buffer(InitialCapacity / 4);
        try
        {
            WriteStringToSign(ref stringToSign, amzDate, claim.Credential, digest);
            HMACSHA256.HashData(signingKey, stringToSign.Written, digest);
        }
        finally
        {
            stringToSign.Dispose();
        }

        Convert.TryToHexStringLower(digest, signatureHex, out _);
    }

    /// <summary>The UTF-8 of <see cref="SigV4Signer.CanonicalRequest"/> over the request's signed headers and canonical query.</summary>
    private static void WriteCanonicalRequest(
        ref Utf8Buffer buffer, HttpRequest request, string signedHeaders, string method, string canonicalUri, string rawQuery, bool presigned, string payloadHash)
    {
        buffer.Append(method);
        buffer.Append((byte)'\n');
        buffer.Append(canonicalUri);
        buffer.Append((byte)'\n');
        QueryCanonicalizer.Append(ref buffer, rawQuery, excludeSignature: presigned);
        buffer.Append((byte)'\n');
        var rest = signedHeaders.AsSpan();
        while (true)
        {
            var semicolon = rest.IndexOf(';');
            var name = semicolon < 0 ? rest : rest[..semicolon];
            WriteCanonicalHeader(ref buffer, request, name);
            if (semicolon < 0)
            {
                break;
            }

            rest = rest[(semicolon + 1)..];
        }

        buffer.Append((byte)'\n');
        buffer.Append(signedHeaders);
        buffer.Append((byte)'\n');
        buffer.Append(payloadHash);
    }

    /// <summary><c>name:value\n</c>, the values of a repeated header each canonicalized and joined with ','.</summary>
    private static void WriteCanonicalHeader(ref Utf8Buffer buffer, HttpRequest request, scoped ReadOnlySpan<char> signedName)
    {
        var name = HeaderName(signedName);

        // Signed names hold no upper-case letter, but lower-casing still maps title-case ones, as CanonicalHeaders does.
        buffer.Append(name.ToLowerInvariant());
        buffer.Append((byte)':');
        if (request.Headers.TryGetValue(name, out var values))
        {
            for (var i = 0; i < values.Count; i++)
            {
                if (i > 0)
                {
                    buffer.Append((byte)',');
                }

                SigV4Signer.AppendCanonicalHeaderValue(ref buffer, values[i]);
            }
        }

        buffer.Append((byte)'\n');
    }

    /// <summary>The UTF-8 of <see cref="SigV4Signer.StringToSign"/> given the SHA-256 of the canonical request.</summary>
    private static void WriteStringToSign(ref Utf8Buffer buffer, string amzDate, Credential credential, scoped ReadOnlySpan<byte> canonicalRequestHash)
    {
        buffer.Append(SigV4Signer.Algorithm);
        buffer.Append((byte)'\n');
        buffer.Append(amzDate);
        buffer.Append((byte)'\n');
        buffer.Append(credential.Date);
        buffer.Append((byte)'/');
        buffer.Append(credential.Region);
        buffer.Append((byte)'/');
        buffer.Append(credential.Service);
        buffer.Append((byte)'/');
        buffer.Append(SigV4Signer.Terminator);
        buffer.Append((byte)'\n');
        Convert.TryToHexStringLower(canonicalRequestHash, buffer.Reserve(SHA256.HashSizeInBytes * 2), out var written);
        buffer.Advance(written);
    }

    /// <summary>The names SDKs sign on most requests come from a table instead of a new string per request.</summary>
    private static string HeaderName(ReadOnlySpan<char> name) => name switch
    {
        "host" => "host",
        "x-amz-date" => "x-amz-date",
        "x-amz-content-sha256" => "x-amz-content-sha256",
        "amz-sdk-invocation-id" => "amz-sdk-invocation-id",
        "amz-sdk-request" => "amz-sdk-request",
        "x-amz-user-agent" => "x-amz-user-agent",
        "x-amz-security-token" => "x-amz-security-token",
        "x-amz-checksum-mode" => "x-amz-checksum-mode",
        "x-amz-sdk-checksum-algorithm" => "x-amz-sdk-checksum-algorithm",
        "x-amz-trailer" => "x-amz-trailer",
        "x-amz-decoded-content-length" => "x-amz-decoded-content-length",
        "content-encoding" => "content-encoding",
        "content-length" => "content-length",
        "content-md5" => "content-md5",
        "content-type" => "content-type",
        "range" => "range",
        _ => name.ToString(),
    };
}
