namespace R2Meta.Core.Storage;

/// <summary>A bucket as the metadata store keeps it. <see cref="Version"/> is the store's concurrency token.</summary>
public sealed record BucketRecord
{
    public required string Name { get; init; }
    public required string OwnerId { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string Region { get; init; } = "auto";
    public string? Version { get; init; }
}
