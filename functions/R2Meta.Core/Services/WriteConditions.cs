using Microsoft.AspNetCore.Http;
using R2Meta.Core.Protocol;

namespace R2Meta.Core.Services;

/// <summary>Conditional headers of PutObject, CopyObject, CompleteMultipartUpload and (If-Match only) deletes.</summary>
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

        return IfMatchOf(request.Headers.IfMatch.ToString()) with { IfNoneMatchAny = ifNoneMatch.Length > 0 };
    }

    /// <summary>An If-Match value (a header, or a DeleteObjects &lt;ETag&gt;); blank is no condition.</summary>
    public static WriteConditions IfMatchOf(string? value) =>
        string.IsNullOrWhiteSpace(value) ? None : new(value.Trim(), IfNoneMatchAny: false);
}
