using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using R2Meta.Core.Protocol;

namespace R2Meta.Core.Services;

/// <summary>The content headers and user metadata an upload sets on the object.</summary>
public sealed record ObjectHeaders
{
    public const int MaxUserMetadataBytes = 2 * 1024;
    private const string MetaPrefix = "x-amz-meta-";

    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public string? Expires { get; init; }
    public string StorageClass { get; init; } = "STANDARD";
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = new Dictionary<string, string>();

    public static ObjectHeaders FromRequest(HttpRequest request)
    {
        var meta = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var size = 0;
        foreach (var header in request.Headers)
        {
            if (!header.Key.StartsWith(MetaPrefix, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var name = header.Key[MetaPrefix.Length..].ToLowerInvariant();
            var value = string.Join(",", header.Value.Select(v => v?.Trim()));
            meta[name] = value;
            // S3 counts the UTF-8 bytes of each name (without the prefix) and value.
            size += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
        }

        if (size > MaxUserMetadataBytes)
        {
            throw S3Errors.MetadataTooLarge.WithDetail("MaxSizeAllowed", MaxUserMetadataBytes.ToString(CultureInfo.InvariantCulture)).ToException();
        }

        var storageClass = request.Headers["x-amz-storage-class"].ToString();
        if (storageClass.Length > 0 && storageClass != "STANDARD")
        {
            throw S3Errors.InvalidStorageClass.ToException();
        }

        // aws-chunked is a transfer framing, not part of the object's stored Content-Encoding.
        var encoding = string.Join(", ", request.Headers.ContentEncoding.ToString()
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(e => !e.Equals("aws-chunked", StringComparison.OrdinalIgnoreCase)));

        return new ObjectHeaders
        {
            ContentType = NullIfEmpty(request.ContentType),
            ContentEncoding = NullIfEmpty(encoding),
            ContentDisposition = NullIfEmpty(request.Headers.ContentDisposition.ToString()),
            ContentLanguage = NullIfEmpty(request.Headers.ContentLanguage.ToString()),
            CacheControl = NullIfEmpty(request.Headers.CacheControl.ToString()),
            Expires = NullIfEmpty(request.Headers.Expires.ToString()),
            UserMetadata = meta,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
