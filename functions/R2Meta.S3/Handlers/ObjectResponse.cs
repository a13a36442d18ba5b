using System.Globalization;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;
using R2Meta.S3.Requests;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Handlers;

/// <summary>The headers GET and HEAD return for an object.</summary>
public static class ObjectResponse
{
    private const string DefaultContentType = "binary/octet-stream";

    public static void WriteHeaders(HttpContext http, QueryParameters query, ObjectRecord record, ByteRange? range, bool wholeObject)
    {
        var response = http.Response;
        var headers = response.Headers;
        response.StatusCode = range is null ? StatusCodes.Status200OK : StatusCodes.Status206PartialContent;
        response.ContentLength = range?.Length ?? record.Size;
        headers.ETag = record.ETag;
        headers.LastModified = HttpDates.Format(record.LastModified);
        headers.AcceptRanges = "bytes";
        headers.ContentType = DefaultContentType;
        foreach (var field in ContentHeaderField.All)
        {
            SetIfPresent(headers, field.Name, field.Get(record.Headers));
        }

        if (range is { } r)
        {
            headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {r.Offset}-{r.Last}/{record.Size}");
        }

        // S3 names the part count only to a request by partNumber.
        if (record.PartsCount is { } parts && query.Contains("partNumber"))
        {
            headers["x-amz-mp-parts-count"] = parts.ToString(CultureInfo.InvariantCulture);
        }

        // S3 names the class only when it is not STANDARD.
        if (record.StorageClass != StorageClasses.Standard)
        {
            headers["x-amz-storage-class"] = record.StorageClass;
        }

        if (TagSets.Count(record.Tags) is { } tagCount)
        {
            headers[TagSets.CountHeader] = tagCount;
        }

        foreach (var (name, value) in record.Headers.UserMetadata)
        {
            headers["x-amz-meta-" + name] = HeaderValues.Safe(value);
        }

        var request = http.Request;
        if (string.Equals(request.Headers["x-amz-checksum-mode"].ToString(), "ENABLED", StringComparison.OrdinalIgnoreCase))
        {
            if (PartChecksum(query, record) is { } part)
            {
                // A read by partNumber answers that part's checksum (as S3), with the object's checksum type.
                headers["x-amz-checksum-" + part.Algorithm.ToLowerInvariant()] = part.Value;
                SetIfPresent(headers, "x-amz-checksum-type", record.ChecksumType);
            }
            else if (wholeObject)
            {
                foreach (var (algorithm, value) in record.Checksums)
                {
                    headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = value;
                }

                SetIfPresent(headers, "x-amz-checksum-type", record.Checksums.Count > 0 ? record.ChecksumType : null);
            }
        }

        foreach (var field in ContentHeaderField.All)
        {
            if (query.Get(field.OverrideQuery) is { } value)
            {
                headers[field.Name] = HeaderValues.Safe(value);
            }
        }
    }

    /// <summary>
    /// The checksum a partNumber read answers, as S3: a COMPOSITE object's part checksum; a FULL_OBJECT object of
    /// one part its whole checksum (the part's); none for a FULL_OBJECT object of several parts.
    /// </summary>
    private static (string Algorithm, string Value)? PartChecksum(QueryParameters query, ObjectRecord record)
    {
        if (record.PartChecksums is not { } checksums || record.Checksums.Count != 1
            || !int.TryParse(query.Get("partNumber"), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number < 1 || number > checksums.Count)
        {
            return null;
        }

        var (algorithm, whole) = record.Checksums.Single();
        return record.ChecksumType == MultipartChecksums.Composite ? (algorithm, checksums[number - 1])
            : checksums.Count == 1 ? (algorithm, whole)
            : null;
    }

    public static void WriteChecksumHeaders(IHeaderDictionary headers, ObjectRecord record)
    {
        foreach (var (algorithm, value) in record.Checksums)
        {
            headers["x-amz-checksum-" + algorithm.ToLowerInvariant()] = value;
        }
    }

    private static void SetIfPresent(IHeaderDictionary headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers[name] = HeaderValues.Safe(value);
        }
    }
}
