using System.Text.Json.Serialization;
using R2Meta.Domain.Accounts;

namespace R2Meta.Storage.Cosmos;

/// <summary>An access key in the keys container; the id (and partition key) is the key id. The secret is stored sealed.</summary>
internal sealed class KeyDocument
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("sealedSecret")]
    public required string SealedSecret { get; init; }

    [JsonPropertyName("ownerId")]
    public required string OwnerId { get; init; }

    [JsonPropertyName("ownerName")]
    public required string OwnerName { get; init; }

    [JsonPropertyName("permissionLevel")]
    public int PermissionLevel { get; init; }

    /// <summary>Absent when the key reaches every bucket of its account.</summary>
    [JsonPropertyName("buckets")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Buckets { get; init; }

    [JsonPropertyName("createdAt")]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyName("secretIssuedAt")]
    public DateTimeOffset SecretIssuedAt { get; init; }

    [JsonPropertyName("revokedAt")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? RevokedAt { get; init; }

    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("_etag")]
    public string? CosmosETag { get; init; }

    public static KeyDocument FromRecord(StoredKey key) => new()
    {
        Id = key.KeyId,
        SealedSecret = key.SealedSecret,
        OwnerId = key.OwnerId,
        OwnerName = key.OwnerName,
        PermissionLevel = (int)key.Grant.Level,
        Buckets = key.Grant.Buckets,
        CreatedAt = key.CreatedAt,
        SecretIssuedAt = key.SecretIssuedAt,
        RevokedAt = key.RevokedAt,
        SchemaVersion = CosmosModel.SchemaVersion,
    };

    public StoredKey ToRecord(string? version = null)
    {
        CosmosModel.EnsureReadable(SchemaVersion, "key", Id);
        return new StoredKey
        {
            KeyId = Id,
            SealedSecret = SealedSecret,
            OwnerId = OwnerId,
            OwnerName = OwnerName,
            Grant = AccessGrant.Of((Domain.Accounts.PermissionLevel)PermissionLevel, Buckets),
            CreatedAt = CreatedAt,
            SecretIssuedAt = SecretIssuedAt,
            RevokedAt = RevokedAt,
            Version = version ?? CosmosETag,
        };
    }
}
