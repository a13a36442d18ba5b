namespace R2Meta.Domain.Cors;

/// <summary>
/// One CORSRule of a bucket's CORS configuration, as PutBucketCors stored it (validated by the protocol
/// layer). Origins and headers may hold one <c>*</c> wildcard each.
/// </summary>
public sealed record CorsRule
{
    public string? Id { get; init; }
    public required IReadOnlyList<string> AllowedOrigins { get; init; }
    public required IReadOnlyList<string> AllowedMethods { get; init; }
    public IReadOnlyList<string> AllowedHeaders { get; init; } = [];
    public IReadOnlyList<string> ExposeHeaders { get; init; } = [];
    public int? MaxAgeSeconds { get; init; }
}
