using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Auth;

/// <summary>
/// The pure parts of AWS Signature Version 4: canonicalization, string to sign, key derivation and HMAC.
/// No request or clock here, so each step can be checked against AWS's published vectors.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string ChunkAlgorithm = "AWS4-HMAC-SHA256-PAYLOAD";
    public const string TrailerAlgorithm = "AWS4-HMAC-SHA256-TRAILER";
    public const string Terminator = "aws4_request";

    /// <summary>Hex SHA-256 of the empty string; the payload hash of a bodiless request and of a chunk-signing "header".</summary>
    public const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private const int MaxCachedKeys = 1024;
    private static readonly ConcurrentDictionary<(string Secret, string Date, string Region, string Service), byte[]> KeyCache = new();

    /// <summary>
    /// The canonical URI of an S3 request: each segment of the raw path percent-decoded, then encoded with the
    /// SigV4 unreserved set. S3 neither normalizes dot segments nor double-encodes.
    /// </summary>
    public static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }

        // Most paths hold only unreserved characters and slashes: decoding and encoding give them back unchanged.
        if (!rawPath.AsSpan().ContainsAnyExcept(UnreservedOrSlash))
        {
            return rawPath;
        }

        var path = rawPath.AsSpan();
        var encoded = new Utf8Buffer(checked(path.Length * 3));
        var decoded = ArrayPool<byte>.Shared.Rent(PercentDecoding.MaxDecodedLength(path.Length));
        try
        {
            foreach (var segment in path.Split('/'))
            {
                if (segment.Start.Value > 0)
                {
                    encoded.Append((byte)'/');
                }

                AppendEncoded(ref encoded, decoded.AsSpan(0, PercentDecoding.Decode(path[segment], plusIsSpace: false, strict: false, decoded)));
            }

            return Encoding.ASCII.GetString(encoded.Written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(decoded);
            encoded.Dispose();
        }
    }

    /// <summary>
    /// The canonical query string: every parameter (optionally minus X-Amz-Signature) decoded, re-encoded,
    /// sorted by encoded name then encoded value, a missing value written as empty.
    /// </summary>
    public static string CanonicalQuery(string rawQuery, bool excludeSignature)
    {
        var canonical = new Utf8Buffer(rawQuery.Length + 16);
        try
        {
            QueryCanonicalizer.Append(ref canonical, rawQuery, excludeSignature);
            return Encoding.ASCII.GetString(canonical.Written);
        }
        finally
        {
            canonical.Dispose();
        }
    }

    /// <summary>A header value as SigV4 signs it: trimmed, inner runs of spaces and tabs collapsed to one space.</summary>
    public static string CanonicalHeaderValue(string value)
    {
        if (IsCanonical(value))
        {
            return value;
        }

        var buffer = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            return new string(buffer, 0, Collapse(value, buffer));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>Appends <see cref="CanonicalHeaderValue(string)"/> of <paramref name="value"/> as UTF-8.</summary>
    internal static void AppendCanonicalHeaderValue(ref Utf8Buffer destination, scoped ReadOnlySpan<char> value)
    {
        if (IsCanonical(value))
        {
            destination.Append(value);
            return;
        }

        var buffer = ArrayPool<char>.Shared.Rent(value.Length);
        try
        {
            destination.Append(buffer.AsSpan(0, Collapse(value, buffer)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Writes the value trimmed (of any white space) with each inner run of spaces, tabs and line breaks as one
    /// space; returns the length written, at most the value's.
    /// </summary>
    private static int Collapse(ReadOnlySpan<char> value, Span<char> destination)
    {
        var length = 0;
        var pendingSpace = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                destination[length++] = ' ';
                pendingSpace = false;
            }

            destination[length++] = c;
        }

        return length;
    }

    /// <summary>No leading or trailing space, no tab or line break, no two spaces in a row: already as signed.</summary>
    private static bool IsCanonical(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return true;
        }

        if (value[0] == ' ' || value[^1] == ' ' || value.IndexOfAny('\t', '\r', '\n') >= 0)
        {
            return false;
        }

        return !value.Contains("  ", StringComparison.Ordinal);
    }

    /// <summary>Canonical headers block: <c>name:value\n</c> per signed header, in the given (signed-headers) order.</summary>
    public static string CanonicalHeaders(IEnumerable<(string Name, string Value)> headers)
    {
        var builder = new StringBuilder(256);
        foreach (var (name, value) in headers)
        {
            builder.Append(name.ToLowerInvariant()).Append(':').Append(CanonicalHeaderValue(value)).Append('\n');
        }

        return builder.ToString();
    }

    public static string CanonicalRequest(string method, string canonicalUri, string canonicalQuery, string canonicalHeaders, string signedHeaders, string payloadHash) =>
        string.Join('\n', method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash);

    public static string Scope(string date, string region, string service) => $"{date}/{region}/{service}/{Terminator}";

    public static string StringToSign(string amzDate, string scope, string canonicalRequest) =>
        string.Join('\n', Algorithm, amzDate, scope, Sha256Hex(canonicalRequest));

    /// <summary>The string to sign for one aws-chunked chunk, given the hex SHA-256 of its data.</summary>
    public static string ChunkStringToSign(string amzDate, string scope, string previousSignature, string chunkSha256Hex) =>
        string.Join('\n', ChunkAlgorithm, amzDate, scope, previousSignature, EmptySha256, chunkSha256Hex);

    /// <summary>The string to sign for the trailer, given its canonical form (<c>name:value\n</c> per trailer).</summary>
    public static string TrailerStringToSign(string amzDate, string scope, string previousSignature, string canonicalTrailers) =>
        string.Join('\n', TrailerAlgorithm, amzDate, scope, previousSignature, Sha256Hex(canonicalTrailers));

    /// <summary>The derived signing key; cached, since every request of a day and region derives the same one.</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var cacheKey = (secretAccessKey, date, region, service);
        if (KeyCache.TryGetValue(cacheKey, out var cached))
        {
            return cached;
        }

        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Terminator));

        // Region is client-chosen, so bound the cache rather than let it grow per distinct value.
        if (KeyCache.Count >= MaxCachedKeys)
        {
            KeyCache.Clear();
        }

        KeyCache[cacheKey] = key;
        return key;
    }

    /// <summary>Lower-case hex HMAC-SHA256 of the string to sign.</summary>
    public static string Sign(byte[] signingKey, string stringToSign)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        WithUtf8(stringToSign, signingKey, static (key, text, hash) => HMACSHA256.HashData(key, text, hash), mac);
        return Convert.ToHexStringLower(mac);
    }

    public static string Sha256Hex(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        WithUtf8(value, [], static (_, text, hash) => SHA256.HashData(text, hash), hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Runs <paramref name="hash"/> over the UTF-8 bytes of <paramref name="text"/>, encoded into a pooled buffer.</summary>
    private static void WithUtf8(string text, byte[] key, HashInto hash, Span<byte> destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            hash(key, buffer.AsSpan(0, length), destination);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private delegate int HashInto(byte[] key, ReadOnlySpan<byte> source, Span<byte> destination);

    /// <summary>Constant-time comparison of two hex signatures; case-insensitive on the provided one.</summary>
    public static bool SignaturesEqual(string expectedLowerHex, string provided)
    {
        ArgumentNullException.ThrowIfNull(expectedLowerHex);
        ArgumentNullException.ThrowIfNull(provided);
        return SignaturesEqual(expectedLowerHex.AsSpan(), provided.AsSpan());
    }

    /// <inheritdoc cref="SignaturesEqual(string, string)"/>
    public static bool SignaturesEqual(ReadOnlySpan<char> expectedLowerHex, ReadOnlySpan<char> provided)
    {
        if (expectedLowerHex.Length != provided.Length)
        {
            return false;
        }

        // Every character is compared (no early exit); ASCII letters fold to lower case by setting 0x20.
        var difference = 0;
        for (var i = 0; i < provided.Length; i++)
        {
            var c = provided[i];
            var folded = c is >= 'A' and <= 'Z' ? c | 0x20 : c;
            difference |= expectedLowerHex[i] ^ folded;
        }

        return difference == 0;
    }

    /// <summary>64 hexadecimal digits of either case: how a SHA-256 payload hash and a signature are written.</summary>
    public static bool IsSha256Hex(ReadOnlySpan<char> value) => value.Length == 64 && !value.ContainsAnyExcept(HexDigits);

    /// <summary>URI-encodes a string's UTF-8 bytes with the SigV4 unreserved set (A-Z a-z 0-9 - _ . ~).</summary>
    public static string UriEncode(string value) => Encode(Encoding.UTF8.GetBytes(value));

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        var encoded = new Utf8Buffer(checked(bytes.Length * 3));
        try
        {
            AppendEncoded(ref encoded, bytes);
            return Encoding.ASCII.GetString(encoded.Written);
        }
        finally
        {
            encoded.Dispose();
        }
    }

    private static void AppendEncoded(ref Utf8Buffer destination, scoped ReadOnlySpan<byte> bytes) =>
        destination.Advance(Encode(bytes, destination.Reserve(checked(bytes.Length * 3))));

    /// <summary>Writes the bytes URI-encoded (unreserved bytes as they are, others as %XX) and returns the count written, at most three a byte.</summary>
    internal static int Encode(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        var length = 0;
        foreach (var b in bytes)
        {
            if (b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                destination[length++] = b;
            }
            else
            {
                destination[length++] = (byte)'%';
                destination[length++] = (byte)HexUpper[b >> 4];
                destination[length++] = (byte)HexUpper[b & 0xF];
            }
        }

        return length;
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly SearchValues<char> UnreservedOrSlash =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~/");
}
