using Microsoft.AspNetCore.Http;
using R2Meta.Core.Protocol;

namespace R2Meta.Core.Services;

/// <summary>Conditional-write headers of PutObject, CopyObject and CompleteMultipartUpload.</summary>
public sealed record WriteConditions(string? IfMatch, bool IfNoneMatchAny)
{
    public static WriteConditions None { get; } = new(null, false);

    public static WriteConditions FromRequest(HttpRequest request)
    {
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch.Trim() != "*")
        {
            throw S3Errors.NotImplemented.With("Only If-None-Match: * is supported on writes.").WithDetail("Header", "If-None-Match").ToException();
        }

        var ifMatch = request.Headers.IfMatch.ToString();
        return new WriteConditions(ifMatch.Length > 0 ? ifMatch.Trim() : null, ifNoneMatch.Length > 0);
    }
}
