namespace R2Meta.Domain.Services;

/// <summary>Conditional headers of PutObject, CopyObject, CompleteMultipartUpload and (If-Match only) deletes.</summary>
public sealed record WriteConditions(string? IfMatch, bool IfNoneMatchAny)
{
    public static WriteConditions None { get; } = new(null, false);

    /// <summary>An If-Match value (a header, or a DeleteObjects &lt;ETag&gt;); blank is no condition.</summary>
    public static WriteConditions IfMatchOf(string? value) =>
        string.IsNullOrWhiteSpace(value) ? None : new(value.Trim(), IfNoneMatchAny: false);
}
