using Microsoft.AspNetCore.Http;
using R2Meta.Core.Protocol;
using R2Meta.Core.Routing;
using R2Meta.Core.Storage;

namespace R2Meta.Core.Services;

/// <summary>The object named by <c>x-amz-copy-source</c>: <c>[/]bucket/key[?versionId=...]</c>, URL-encoded.</summary>
public sealed record CopySource(string Bucket, string Key)
{
    public static CopySource Parse(string header)
    {
        var value = header.Trim();
        var query = value.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            var versionId = value[(query + 1)..];
            // Unversioned buckets only know the "null" version.
            if (!versionId.StartsWith("versionId=", StringComparison.Ordinal) || versionId != "versionId=null")
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

        return new CopySource(decoded[..slash], decoded[(slash + 1)..]);
    }
}

/// <summary>The <c>x-amz-copy-source-if-*</c> headers, evaluated against the source object.</summary>
public sealed record CopySourceConditions(string? IfMatch, string? IfNoneMatch, DateTimeOffset? IfModifiedSince, DateTimeOffset? IfUnmodifiedSince)
{
    public static CopySourceConditions FromRequest(HttpRequest request) => new(
        NullIfEmpty(request.Headers["x-amz-copy-source-if-match"].ToString()),
        NullIfEmpty(request.Headers["x-amz-copy-source-if-none-match"].ToString()),
        HttpDates.Parse(request.Headers["x-amz-copy-source-if-modified-since"].ToString()),
        HttpDates.Parse(request.Headers["x-amz-copy-source-if-unmodified-since"].ToString()));

    /// <summary>S3's rules: if-match true wins over if-unmodified-since; if-none-match false wins over if-modified-since.</summary>
    public void Evaluate(ObjectRecord source)
    {
        var outcome = ReadConditions.Evaluate(source, IfMatch, IfNoneMatch, IfModifiedSince, IfUnmodifiedSince);
        if (outcome != ConditionOutcome.Proceed)
        {
            // For copies both failure kinds are 412.
            throw S3Errors.PreconditionFailed.ToException();
        }
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
