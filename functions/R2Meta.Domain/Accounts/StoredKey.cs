namespace R2Meta.Domain.Accounts;

/// <summary>
/// An access key as the metadata store keeps it. The secret is sealed (<see cref="SecretCipher"/>), never
/// stored in plain text; a revoked key stays listed, so its id is never reused.
/// </summary>
public sealed record StoredKey
{
    public required string KeyId { get; init; }

    /// <summary>The secret sealed with the deployment's key-encryption key, bound to <see cref="KeyId"/>.</summary>
    public required string SealedSecret { get; init; }

    /// <summary>The canonical user id of the account the key acts for (the owner of the buckets it creates).</summary>
    public required string OwnerId { get; init; }

    public required string OwnerName { get; init; }

    public required AccessGrant Grant { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the secret was last issued (creation or rotation).</summary>
    public required DateTimeOffset SecretIssuedAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The store's version of the record (ETag) when it was read; replaces are conditioned on it.</summary>
    public string? Version { get; init; }

    public override string ToString() => $"StoredKey {{ KeyId = {KeyId}, OwnerName = {OwnerName}, Grant = {Grant}, RevokedAt = {RevokedAt} }}";
}
