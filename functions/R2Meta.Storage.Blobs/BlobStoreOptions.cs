namespace R2Meta.Storage.Blobs;

/// <summary>Where object bytes live.</summary>
public sealed record BlobStoreOptions
{
    public required string ConnectionString { get; init; }

    public string ContainerName { get; init; } = "r2meta-objects";
}
