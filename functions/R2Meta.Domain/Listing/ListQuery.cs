namespace R2Meta.Domain.Listing;

/// <summary>
/// One page request to the listing engine, already validated: keys starting with <see cref="Prefix"/>,
/// grouped by <see cref="Delimiter"/> (null or empty: no grouping), at most <see cref="MaxKeys"/>
/// entries (contents and common prefixes together), only entries greater than <see cref="After"/>
/// in UTF-8 order (start-after, marker, key-marker, or the position a continuation token carries).
/// </summary>
public sealed record ListQuery
{
    /// <summary>S3's ceiling for one page.</summary>
    public const int MaxPageSize = 1000;

    public string Prefix { get; init; } = string.Empty;

    public string? Delimiter { get; init; }

    public int MaxKeys { get; init; } = MaxPageSize;

    public string? After { get; init; }

    internal bool Groups => !string.IsNullOrEmpty(Delimiter);
}
