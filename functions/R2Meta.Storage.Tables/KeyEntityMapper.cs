using Azure.Data.Tables;
using R2Meta.Domain.Accounts;

namespace R2Meta.Storage.Tables;

/// <summary>
/// Access keys in <c>{prefix}keys</c>: one partition (listing is one query), RowKey = key id (hex digits).
/// The secret is stored sealed (<see cref="SecretCipher"/>), never in plain text.
/// </summary>
internal static class KeyEntityMapper
{
    public const string Partition = "keys";

    private const string SealedSecretProperty = "SealedSecret";
    private const string OwnerIdProperty = "OwnerId";
    private const string OwnerNameProperty = "OwnerName";
    private const string LevelProperty = "PermissionLevel";
    // Bucket names never hold ','; absent when the key reaches every bucket.
    private const string BucketsProperty = "Buckets";
    private const string CreatedAtProperty = "CreatedAt";
    private const string SecretIssuedAtProperty = "SecretIssuedAt";
    private const string RevokedAtProperty = "RevokedAt";

    public static TableEntity ToEntity(StoredKey key)
    {
        var entity = new TableEntity(Partition, key.KeyId)
        {
            [SchemaVersion.PropertyName] = SchemaVersion.Current,
            [SealedSecretProperty] = key.SealedSecret,
            [OwnerIdProperty] = key.OwnerId,
            [OwnerNameProperty] = key.OwnerName,
            [LevelProperty] = (int)key.Grant.Level,
            [CreatedAtProperty] = key.CreatedAt,
            [SecretIssuedAtProperty] = key.SecretIssuedAt,
        };
        if (key.Grant.Buckets is { } buckets)
        {
            entity[BucketsProperty] = string.Join(',', buckets);
        }

        if (key.RevokedAt is { } revoked)
        {
            entity[RevokedAtProperty] = revoked;
        }

        return entity;
    }

    public static StoredKey FromEntity(TableEntity entity)
    {
        SchemaVersion.Check(entity);
        return new StoredKey
        {
            KeyId = entity.RowKey,
            SealedSecret = entity.GetString(SealedSecretProperty),
            OwnerId = entity.GetString(OwnerIdProperty),
            OwnerName = entity.GetString(OwnerNameProperty),
            Grant = AccessGrant.Of((PermissionLevel)(entity.GetInt32(LevelProperty) ?? -1), entity.GetString(BucketsProperty)?.Split(',')),
            CreatedAt = entity.GetDateTimeOffset(CreatedAtProperty) ?? default,
            SecretIssuedAt = entity.GetDateTimeOffset(SecretIssuedAtProperty) ?? default,
            RevokedAt = entity.GetDateTimeOffset(RevokedAtProperty),
            Version = entity.ETag.ToString(),
        };
    }
}
