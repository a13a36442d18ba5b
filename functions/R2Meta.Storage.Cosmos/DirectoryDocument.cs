using System.Text.Json.Serialization;
using R2Meta.Domain.Keys;
using R2Meta.Domain.Storage;

namespace R2Meta.Storage.Cosmos;

/// <summary>
/// One directory of a bucket's directory index (see <see cref="DirectoryIndex"/>): a prefix ending in "/"
/// under which some object lies. Lives in the objects container, in the bucket's partition (shard of its name), told apart
/// from object documents by <see cref="Kind"/> (object documents have none).
/// </summary>
internal sealed class DirectoryDocument
{
    public const string DirectoryKind = "dir";

    /// <summary>Object ids are base64url (no "."), so this prefix never collides with one.</summary>
    private const string IdPrefix = "dir.";

    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("bucket")]
    public required string Bucket { get; init; }

    /// <summary><see cref="ObjectPartitioning.ShardOf"/> the directory's name (the second partition key level).</summary>
    [JsonPropertyName("shard")]
    public string? Shard { get; init; }

    [JsonPropertyName("kind")]
    public string Kind { get; init; } = DirectoryKind;

    /// <summary>The directory's prefix, ending in "/".</summary>
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("sortKey")]
    public required string SortKey { get; init; }

    /// <summary>The level of the entries of its parent directory, which lists it.</summary>
    [JsonPropertyName("level")]
    public int Level { get; init; }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("_etag")]
    public string? CosmosETag { get; init; }

    public static string IdOf(string directory) => IdPrefix + ObjectDocument.IdOf(directory);

    public static DirectoryDocument For(string bucket, string directory) => new()
    {
        Id = IdOf(directory),
        Bucket = bucket,
        Name = directory,
        Shard = ObjectPartitioning.ShardOf(directory),
        SortKey = SortKeyCodec.Encode(directory),
        Level = DirectoryKeys.LevelOf(directory) - 1,
        SchemaVersion = CosmosModel.SchemaVersion,
    };

    public ListEntry ToEntry()
    {
        CosmosModel.EnsureReadable(SchemaVersion, "directory", Id);
        return ListEntry.Prefix(Name);
    }
}
