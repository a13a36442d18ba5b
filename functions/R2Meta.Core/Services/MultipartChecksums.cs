using System.Globalization;
using System.Security.Cryptography;
using R2Meta.Core.Storage;
using R2Meta.Core.Streaming;

namespace R2Meta.Core.Services;

/// <summary>The ETag and checksum S3 gives a completed multipart object, computed from its parts' values.</summary>
public static class MultipartChecksums
{
    public const string Composite = "COMPOSITE";
    public const string FullObject = "FULL_OBJECT";

    /// <summary>MD5 of the concatenated binary part MD5s, hex, then "-N"; quoted.</summary>
    public static string ETag(IReadOnlyList<PartRecord> parts)
    {
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        foreach (var part in parts)
        {
            md5.AppendData(Convert.FromHexString(ETags.Unquote(part.ETag)));
        }

        return ETags.Quote(Convert.ToHexStringLower(md5.GetHashAndReset()) + "-" + parts.Count.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The algorithm's checksum of the concatenated binary part checksums, base64, then "-N".</summary>
    public static string CompositeChecksum(string algorithm, IReadOnlyList<string> partChecksums)
    {
        using var hasher = Checksums.CreateHasher(algorithm);
        foreach (var value in partChecksums)
        {
            hasher.Append(Convert.FromBase64String(value));
        }

        return hasher.GetBase64() + "-" + partChecksums.Count.ToString(CultureInfo.InvariantCulture);
    }
}
