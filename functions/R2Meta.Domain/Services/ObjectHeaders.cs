namespace R2Meta.Domain.Services;

/// <summary>The content headers and user metadata an upload sets on the object.</summary>
public sealed record ObjectHeaders
{
    public const int MaxUserMetadataBytes = 2 * 1024;

    public string? ContentType { get; init; }
    public string? ContentEncoding { get; init; }
    public string? ContentDisposition { get; init; }
    public string? ContentLanguage { get; init; }
    public string? CacheControl { get; init; }
    public string? Expires { get; init; }
    public string StorageClass { get; init; } = "STANDARD";
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = new Dictionary<string, string>();
}
