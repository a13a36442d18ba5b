using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>The parameters of ListMultipartUploads.</summary>
public sealed record UploadListQuery
{
    public const int MaxPageSize = 1000;

    public string Prefix { get; init; } = string.Empty;
    public string? Delimiter { get; init; }
    public string? KeyMarker { get; init; }
    public string? UploadIdMarker { get; init; }
    public int MaxUploads { get; init; } = MaxPageSize;
}

/// <summary>One page of ListMultipartUploads: uploads by (UTF-8 key order, initiation order), and common prefixes.</summary>
public sealed record UploadListing(IReadOnlyList<UploadRecord> Uploads, IReadOnlyList<string> CommonPrefixes, bool IsTruncated, string? NextKeyMarker, string? NextUploadIdMarker)
{
    /// <summary>Pages over a bucket's in-progress uploads in memory (S3's rules for markers and delimiters).</summary>
    public static UploadListing Page(IEnumerable<UploadRecord> all, UploadListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sorted = all
            .Where(u => u.Key.StartsWith(query.Prefix, StringComparison.Ordinal))
            .Order(Comparer<UploadRecord>.Create(static (x, y) =>
                Utf8Order.CompareKeys(x.Key, y.Key) is var c and not 0 ? c : string.CompareOrdinal(x.UploadId, y.UploadId)));

        var uploads = new List<UploadRecord>();
        var prefixes = new List<string>();
        string? nextKey = null, nextUploadId = null;
        var count = 0;
        foreach (var upload in sorted)
        {
            if (!IsAfterMarker(upload, query))
            {
                continue;
            }

            var commonPrefix = CommonPrefixOf(upload.Key, query);
            if (commonPrefix is not null && (commonPrefix == query.KeyMarker || (prefixes.Count > 0 && prefixes[^1] == commonPrefix)))
            {
                // Already returned, on this page or (as the marker) on an earlier one.
                continue;
            }

            if (count == query.MaxUploads)
            {
                return new UploadListing(uploads, prefixes, query.MaxUploads > 0, nextKey, nextUploadId);
            }

            count++;
            if (commonPrefix is not null)
            {
                prefixes.Add(commonPrefix);
                (nextKey, nextUploadId) = (commonPrefix, null);
            }
            else
            {
                uploads.Add(upload);
                (nextKey, nextUploadId) = (upload.Key, upload.UploadId);
            }
        }

        return new UploadListing(uploads, prefixes, false, null, null);
    }

    /// <summary>Without an upload-id-marker only keys after key-marker; with one, also later uploads of key-marker itself.</summary>
    private static bool IsAfterMarker(UploadRecord upload, UploadListQuery query)
    {
        if (string.IsNullOrEmpty(query.KeyMarker))
        {
            return true;
        }

        var c = Utf8Order.CompareKeys(upload.Key, query.KeyMarker);
        return c > 0 || (c == 0 && !string.IsNullOrEmpty(query.UploadIdMarker) && string.CompareOrdinal(upload.UploadId, query.UploadIdMarker) > 0);
    }

    private static string? CommonPrefixOf(string key, UploadListQuery query)
    {
        if (string.IsNullOrEmpty(query.Delimiter))
        {
            return null;
        }

        var at = key.IndexOf(query.Delimiter, query.Prefix.Length, StringComparison.Ordinal);
        return at < 0 ? null : key[..(at + query.Delimiter.Length)];
    }
}
