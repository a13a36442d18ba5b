namespace R2Meta.Domain.Services;

/// <summary>
/// Conditional headers of PutObject, CopyObject, CompleteMultipartUpload and (If-Match only) deletes.
/// <see cref="IfNoneMatch"/> is "*" (the key must not exist) or a list of ETags the current object must
/// not have (R2 and RGW accept that; AWS only "*"); both are judged by the commit's conditional write.
/// </summary>
public sealed record WriteConditions(string? IfMatch, string? IfNoneMatch)
{
    public static WriteConditions None { get; } = new(null, null);

    /// <summary>An If-Match value (a header, or a DeleteObjects &lt;ETag&gt;); blank is no condition.</summary>
    public static WriteConditions IfMatchOf(string? value) =>
        string.IsNullOrWhiteSpace(value) ? None : new(value.Trim(), IfNoneMatch: null);
}
