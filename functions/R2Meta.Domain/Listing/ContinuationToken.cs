using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace R2Meta.Domain.Listing;

/// <summary>
/// ListObjectsV2 continuation tokens: opaque to clients, tamper-evident, valid on every instance.
/// <para>
/// A token is base64url(version byte 1 ‖ UTF-8 of the resume position ‖ first 16 bytes of
/// HMAC-SHA256(key, bucket ‖ 0 ‖ version ‖ position)). The resume position is the last entry the
/// page returned (a key or a common prefix); the next page lists entries after it. The key is derived
/// with HKDF-SHA256 from a configured secret (the secret of the account that lists, which every
/// instance reads from the same configuration) and the bucket name, so a token is bound to its bucket
/// and account, needs no server state, and survives restarts and scale-out. Rotating that secret
/// invalidates outstanding tokens, which is harmless: a client restarts the listing.
/// </para>
/// </summary>
public sealed class ContinuationToken
{
    private const byte Version = 1;
    private const int MacBytes = 16;
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("r2meta/list-continuation-token");

    private readonly byte[] _key;
    private readonly byte[] _bucket;

    private ContinuationToken(byte[] key, string bucket)
    {
        _key = key;
        _bucket = Encoding.UTF8.GetBytes(bucket);
    }

    /// <summary>The codec for tokens of <paramref name="bucket"/> keyed by <paramref name="secret"/>.</summary>
    public static ContinuationToken For(string secret, string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        var key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, Salt, Encoding.UTF8.GetBytes("v1/" + bucket));
        return new ContinuationToken(key, bucket);
    }

    public string Create(string position)
    {
        var body = new byte[1 + Encoding.UTF8.GetByteCount(position)];
        body[0] = Version;
        Encoding.UTF8.GetBytes(position, body.AsSpan(1));
        var token = new byte[body.Length + MacBytes];
        body.CopyTo(token, 0);
        Mac(body).AsSpan(0, MacBytes).CopyTo(token.AsSpan(body.Length));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The resume position, or null when the token was not made by this codec (forged, garbled, other bucket).</summary>
    public string? TryRead(string token)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (bytes.Length < 1 + MacBytes || bytes[0] != Version)
        {
            return null;
        }

        var body = bytes.AsSpan(0, bytes.Length - MacBytes);
        var expected = Mac(body).AsSpan(0, MacBytes);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(body.Length)))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body[1..]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private byte[] Mac(ReadOnlySpan<byte> body)
    {
        var message = new byte[_bucket.Length + 1 + body.Length];
        _bucket.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(_bucket.Length + 1));
        return HMACSHA256.HashData(_key, message);
    }
}
