using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Services;
using R2Meta.Domain.Storage;
using R2Meta.S3.Protocol;
using R2Meta.S3.Routing;

namespace R2Meta.S3.Requests;

/// <summary>Turns S3 request headers into the domain's values; the only place that reads them for the services.</summary>
public static class RequestHeaders
{
    private const string MetaPrefix = "x-amz-meta-";

    private const string StorageClassHeader = "x-amz-storage-class";

    /// <summary>Content headers and <c>x-amz-meta-*</c> of an upload.</summary>
    public static ContentHeaders ContentHeaders(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ContentHeaders(request.Headers);
    }

    /// <summary>The same from a header dictionary (PostObject's form fields are read as one).</summary>
    public static ContentHeaders ContentHeaders(IHeaderDictionary request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var meta = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var size = 0;
        foreach (var header in request)
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

        if (size > Domain.Storage.ContentHeaders.MaxUserMetadataBytes)
        {
            throw S3Errors.MetadataTooLarge.WithDetail("MaxSizeAllowed", Domain.Storage.ContentHeaders.MaxUserMetadataBytes.ToString(CultureInfo.InvariantCulture)).ToException();
        }

        var headers = new ContentHeaders { UserMetadata = meta };
        foreach (var field in ContentHeaderField.All)
        {
            headers = field.Set(headers, field.Parse(request[field.Name].ToString()));
        }

        return headers;
    }

    /// <summary>
    /// <c>x-amz-storage-class</c> of PutObject, PostObject (a form field), CopyObject and CreateMultipartUpload: null when
    /// absent; a class R2Meta does not keep (S3's others, or a misspelling) is InvalidStorageClass, as R2 answers.
    /// </summary>
    public static string? StorageClass(IHeaderDictionary request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var value = request[StorageClassHeader].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        return StorageClasses.IsSupported(value) ? value : throw S3Errors.InvalidStorageClass.ToException();
    }

    /// <summary>If-Match / If-None-Match of PutObject, CopyObject and CompleteMultipartUpload.</summary>
    public static WriteConditions WriteConditions(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString().Trim();
        return Domain.Services.WriteConditions.IfMatchOf(request.Headers.IfMatch.ToString()) with { IfNoneMatch = ifNoneMatch.Length > 0 ? ifNoneMatch : null };
    }

    /// <summary>GET/HEAD conditional headers, evaluated with S3's precedence.</summary>
    public static ConditionOutcome EvaluateReadConditions(ObjectRecord record, HttpRequest request) => ReadConditions.Evaluate(
        record,
        NullIfEmpty(request.Headers.IfMatch.ToString()),
        NullIfEmpty(request.Headers.IfNoneMatch.ToString()),
        HttpDates.Parse(request.Headers.IfModifiedSince.ToString()),
        HttpDates.Parse(request.Headers.IfUnmodifiedSince.ToString()));

    /// <summary>The <c>x-amz-copy-source-if-*</c> headers.</summary>
    public static CopySourceConditions CopySourceConditions(HttpRequest request) => new(
        NullIfEmpty(request.Headers["x-amz-copy-source-if-match"].ToString()),
        NullIfEmpty(request.Headers["x-amz-copy-source-if-none-match"].ToString()),
        HttpDates.Parse(request.Headers["x-amz-copy-source-if-modified-since"].ToString()),
        HttpDates.Parse(request.Headers["x-amz-copy-source-if-unmodified-since"].ToString()));

    /// <summary><c>x-amz-copy-source</c>: <c>[/]bucket/key[?versionId=...]</c>, URL-encoded.</summary>
    public static CopySource CopySource(string header)
    {
        var value = header.Trim();
        var query = value.IndexOf('?', StringComparison.Ordinal);
        string? versionId = null;
        if (query >= 0)
        {
            const string Parameter = "versionId=";
            var parameter = value[(query + 1)..];
            versionId = parameter.StartsWith(Parameter, StringComparison.Ordinal) ? Uri.UnescapeDataString(parameter[Parameter.Length..]) : null;
            if (versionId is null || (versionId != VersionIds.Null && !VersionIds.IsWellFormed(versionId)))
            {
                throw S3Errors.InvalidArgument.With("Invalid version id specified").ToException();
            }

            value = value[..query];
        }

        var decoded = S3Address.DecodePath(value).TrimStart('/');
        var slash = decoded.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == decoded.Length - 1)
        {
            throw S3Errors.InvalidArgument.With("Copy Source must mention the source bucket and key: sourcebucket/sourcekey").WithDetail("ArgumentName", "x-amz-copy-source").ToException();
        }

        return new CopySource(decoded[..slash], decoded[(slash + 1)..], versionId);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
