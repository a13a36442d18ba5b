using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Listing;

/// <summary>One entry of a ListObjectVersions page: a version or delete marker, or a common prefix (<see cref="Version"/> null).</summary>
public readonly record struct VersionEntry(string Name, ObjectRecord? Version, bool IsLatest)
{
    public bool IsCommonPrefix => Version is null;
}

/// <summary>A ListObjectVersions page; the next page starts after (<see cref="NextKeyMarker"/>, <see cref="NextVersionIdMarker"/>).</summary>
public sealed record VersionPage(IReadOnlyList<VersionEntry> Entries, bool IsTruncated, int StoreRoundTrips)
{
    public string? NextKeyMarker => IsTruncated && Entries.Count > 0 ? Entries[^1].Name : null;

    /// <summary>The S3 version id of the last entry when it is a version ("null" for the null version).</summary>
    public string? NextVersionIdMarker => IsTruncated && Entries.Count > 0 && Entries[^1].Version is { } last ? last.S3VersionId : null;
}

/// <summary>A validated ListObjectVersions request: the <see cref="ListQuery"/> fields plus its two markers.</summary>
public sealed record VersionQuery
{
    public string Prefix { get; init; } = string.Empty;
    public string? Delimiter { get; init; }
    public int MaxKeys { get; init; } = ListQuery.MaxPageSize;
    public string? KeyMarker { get; init; }
    /// <summary>A version id or "null"; only with <see cref="KeyMarker"/>.</summary>
    public string? VersionIdMarker { get; init; }
}
