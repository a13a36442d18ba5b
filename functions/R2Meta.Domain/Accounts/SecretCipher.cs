using System.Security.Cryptography;
using System.Text;

namespace R2Meta.Domain.Accounts;

/// <summary>
/// Seals key secrets for the store with AES-256-GCM under the deployment's key-encryption key
/// (R2META_KEY_ENCRYPTION_KEY; a Key Vault secret on Azure). The key id is the associated data, so a sealed
/// secret copied onto another key's record does not open.
/// </summary>
public sealed class SecretCipher
{
    private const string Prefix = "v1:";
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly byte[] _key;

    public SecretCipher(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new ArgumentException("The key-encryption key must be 32 bytes (AES-256).", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>Parses R2META_KEY_ENCRYPTION_KEY: 32 bytes in base64. Messages never echo the value.</summary>
    public static SecretCipher FromBase64(string value)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new ArgumentException("R2META_KEY_ENCRYPTION_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`).", nameof(value));
        }

        return key.Length == 32
            ? new SecretCipher(key)
            : throw new ArgumentException("R2META_KEY_ENCRYPTION_KEY must decode to exactly 32 bytes (e.g. `openssl rand -base64 32`).", nameof(value));
    }

    public string Seal(string keyId, string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceBytes + plain.Length + TagBytes];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes, plain.Length), sealedBytes.AsSpan(NonceBytes + plain.Length), Encoding.UTF8.GetBytes(keyId));
        return Prefix + Convert.ToBase64String(sealedBytes);
    }

    /// <summary>The secret, or null when the value was sealed under another key or for another key id, or is damaged.</summary>
    public string? Open(string keyId, string sealedSecret)
    {
        if (!sealedSecret.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Convert.FromBase64String(sealedSecret[Prefix.Length..]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceBytes + TagBytes)
        {
            return null;
        }

        var length = sealedBytes.Length - NonceBytes - TagBytes;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(_key, TagBytes);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes, length), sealedBytes.AsSpan(NonceBytes + length), plain, Encoding.UTF8.GetBytes(keyId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return Encoding.UTF8.GetString(plain);
    }
}
