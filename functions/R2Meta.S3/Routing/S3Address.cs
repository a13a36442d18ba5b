using System.Text;
using R2Meta.S3.Protocol;

namespace R2Meta.S3.Routing;

/// <summary>The bucket and key a request addresses, from virtual-hosted or path-style addressing.</summary>
public sealed record S3Address(string? Bucket, string? Key)
{
    /// <summary>Resource path used in error documents, e.g. /bucket/key.</summary>
    public string Resource => Bucket is null ? "/" : Key is null ? "/" + Bucket : "/" + Bucket + "/" + Key;

    public ResourceLevel Level => Bucket is null ? ResourceLevel.Service : Key is null ? ResourceLevel.Bucket : ResourceLevel.Object;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Parses the raw request target. <paramref name="host"/> is the Host header; when it is
    /// <c>bucket.&lt;baseDomain&gt;</c> the bucket comes from the host and the whole path is the key.
    /// The path is percent-decoded exactly once and must be valid UTF-8.
    /// </summary>
    public static S3Address Parse(string? host, string rawPath, string baseDomain)
    {
        var path = DecodePath(rawPath);
        var hostBucket = BucketFromHost(host, baseDomain);
        if (hostBucket is not null)
        {
            var key = path.Length > 1 ? path[1..] : null;
            return new S3Address(hostBucket, key);
        }

        if (path.Length <= 1)
        {
            return new S3Address(null, null);
        }

        var rest = path[1..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return new S3Address(rest, null);
        }

        var bucket = rest[..slash];
        var objectKey = rest[(slash + 1)..];
        return new S3Address(bucket, objectKey.Length == 0 ? null : objectKey);
    }

    internal static string? BucketFromHost(string? host, string baseDomain)
    {
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(baseDomain))
        {
            return null;
        }

        var name = host;
        if (name.StartsWith('['))
        {
            return null;
        }

        var colon = name.LastIndexOf(':');
        if (colon >= 0)
        {
            name = name[..colon];
        }

        var suffix = "." + baseDomain;
        return name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
            ? name[..^suffix.Length]
            : null;
    }

    /// <summary>
    /// Percent-decodes a raw path into UTF-8 text; a malformed escape, invalid UTF-8 or a C1 control character
    /// (U+0080 to U+009F, which S3 does not parse in a URI) is the client's error, 400 InvalidURI as S3 answers.
    /// </summary>
    public static string DecodePath(string rawPath)
    {
        string path;
        if (!rawPath.Contains('%', StringComparison.Ordinal))
        {
            path = rawPath;
        }
        else
        {
            var bytes = PercentDecoding.ToBytes(rawPath, plusIsSpace: false, strict: true) ?? throw S3Errors.InvalidURI.ToException();
            try
            {
                path = StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                // S3's own words, which clients and ceph/s3-tests compare: the plain InvalidURI message.
                throw S3Errors.InvalidURI.ToException();
            }
        }

        return path.AsSpan().ContainsAnyInRange('\u0080', '\u009F') ? throw S3Errors.InvalidURI.ToException() : path;
    }
}
