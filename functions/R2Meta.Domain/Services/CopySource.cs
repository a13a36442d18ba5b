using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Services;

/// <summary>The object named by <c>x-amz-copy-source</c>: <c>[/]bucket/key[?versionId=...]</c>, URL-encoded.</summary>
/// <param name="VersionId">The source version (<c>?versionId=</c>); null for the current one.</param>
public sealed record CopySource(string Bucket, string Key, string? VersionId = null);

/// <summary>The <c>x-amz-copy-source-if-*</c> headers, evaluated against the source object.</summary>
public sealed record CopySourceConditions(string? IfMatch, string? IfNoneMatch, DateTimeOffset? IfModifiedSince, DateTimeOffset? IfUnmodifiedSince)
{
    /// <summary>S3's rules: if-match true wins over if-unmodified-since; if-none-match false wins over if-modified-since.</summary>
    /// <remarks>For copies a not-modified answer is a failed precondition too (412).</remarks>
    public bool HoldFor(ObjectRecord source) =>
        ReadConditions.Evaluate(source, IfMatch, IfNoneMatch, IfModifiedSince, IfUnmodifiedSince) == ConditionOutcome.Proceed;
}
