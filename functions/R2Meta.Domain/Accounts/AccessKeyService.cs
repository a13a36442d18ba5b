using System.Security.Cryptography;
using R2Meta.Domain.Storage;

namespace R2Meta.Domain.Accounts;

/// <summary>A key just issued: its id and its secret, shown once and never stored in plain text.</summary>
public sealed record IssuedKey(StoredKey Key, string Secret)
{
    public override string ToString() => $"IssuedKey {{ KeyId = {Key.KeyId} }}";
}

/// <summary>
/// Creates, lists, revokes and rotates the stored access keys (<c>script/keys</c>) and resolves a key id to
/// the account it signs for (the authenticator, through its cache). Ids are 32 hex digits and secrets 64,
/// as R2's.
/// </summary>
public sealed class AccessKeyService
{
    private readonly IAccessKeyStore _store;
    private readonly SecretCipher _cipher;
    private readonly TimeProvider _time;

    public AccessKeyService(IAccessKeyStore store, SecretCipher cipher, TimeProvider time)
    {
        _store = store;
        _cipher = cipher;
        _time = time;
    }

    public async Task<IssuedKey> CreateAsync(Account owner, AccessGrant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(grant);
        while (true)
        {
            var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var secret = NewSecret();
            var now = _time.GetUtcNow();
            var key = new StoredKey
            {
                KeyId = keyId,
                SealedSecret = _cipher.Seal(keyId, secret),
                OwnerId = owner.CanonicalUserId,
                OwnerName = owner.DisplayName,
                Grant = grant,
                CreatedAt = now,
                SecretIssuedAt = now,
            };
            var created = await _store.CreateKeyAsync(key, cancellationToken).ConfigureAwait(false);
            if (created.IsOk)
            {
                return new IssuedKey(created.Value!, secret);
            }

            // A 128-bit id collision: draw again.
        }
    }

    public Task<IReadOnlyList<StoredKey>> ListAsync(CancellationToken cancellationToken = default) => _store.ListKeysAsync(cancellationToken);

    /// <summary>Revokes the key; false when there is no such key. Revoking twice keeps the first time.</summary>
    public async Task<bool> RevokeAsync(string keyId, CancellationToken cancellationToken = default)
    {
        var result = await UpdateAsync(keyId, key => key.RevokedAt is null ? key with { RevokedAt = _time.GetUtcNow() } : key, cancellationToken).ConfigureAwait(false);
        return result is not null;
    }

    /// <summary>Issues a new secret for the key (the old one stops working); null when there is no such live key.</summary>
    public async Task<IssuedKey?> RotateAsync(string keyId, CancellationToken cancellationToken = default)
    {
        var secret = NewSecret();
        var rotated = await UpdateAsync(
            keyId,
            key => key.RevokedAt is null ? key with { SealedSecret = _cipher.Seal(key.KeyId, secret), SecretIssuedAt = _time.GetUtcNow() } : null,
            cancellationToken).ConfigureAwait(false);
        return rotated is null ? null : new IssuedKey(rotated, secret);
    }

    /// <summary>The account a live stored key signs for, with its grant; null for an unknown or revoked key.</summary>
    public async Task<Account?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (!IsKeyId(keyId))
        {
            return null;
        }

        var found = await _store.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (found.Value is not { RevokedAt: null } key)
        {
            return null;
        }

        // A secret that does not open (another key-encryption key) makes the key unusable, never a wrong secret.
        return _cipher.Open(key.KeyId, key.SealedSecret) is { } secret
            ? new Account(key.KeyId, secret, key.OwnerId, key.OwnerName) { Grant = key.Grant }
            : null;
    }

    /// <summary>Read, change, replace-if-unchanged; retried when another writer got there first.</summary>
    private async Task<StoredKey?> UpdateAsync(string keyId, Func<StoredKey, StoredKey?> change, CancellationToken cancellationToken)
    {
        if (!IsKeyId(keyId))
        {
            return null;
        }

        while (true)
        {
            var found = await _store.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            if (!found.IsOk || change(found.Value!) is not { } changed)
            {
                return null;
            }

            var replaced = await _store.ReplaceKeyAsync(changed, cancellationToken).ConfigureAwait(false);
            if (replaced.IsOk)
            {
                return replaced.Value;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="keyId"/> has the shape of an id this service issues (32 lower-case hex digits):
    /// anything else a client sends is unknown without a store read, and never reaches a store key.
    /// </summary>
    public static bool IsKeyId(string keyId) =>
        keyId.Length == 32 && keyId.All(static c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static string NewSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
