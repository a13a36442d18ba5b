using System.Security.Cryptography;
using System.Text;
using R2Meta.Domain.Accounts;

namespace R2Meta.S3.Auth;

/// <summary>The accounts this deployment accepts, read once from configuration.</summary>
public sealed class AccountDirectory
{
    private const string Format = "accessKeyId:secret[:canonicalUserId[:displayName]]";
    private readonly Dictionary<string, Account> _byAccessKey;

    private AccountDirectory(IReadOnlyList<Account> accounts)
    {
        Accounts = accounts;
        _byAccessKey = accounts.ToDictionary(a => a.AccessKeyId, StringComparer.Ordinal);
    }

    /// <summary>The account used when no credentials are configured (local runs and tests).</summary>
    public static Account DevelopmentAccount { get; } = new("r2meta-dev", "r2meta-dev-secret-key", DefaultCanonicalUserId("r2meta-dev"), "r2meta-dev");

    public IReadOnlyList<Account> Accounts { get; }

    /// <summary>
    /// Parses <c>R2META_CREDENTIALS</c>: comma-separated <c>accessKeyId:secret[:canonicalUserId[:displayName]]</c>.
    /// Null or blank yields the development account. Messages never echo an entry, since it holds a secret.
    /// </summary>
    public static AccountDirectory Parse(string? spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            return new AccountDirectory([DevelopmentAccount]);
        }

        var accounts = new List<Account>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = spec.Split(',');
        for (var i = 0; i < entries.Length; i++)
        {
            var account = ParseEntry(entries[i].Trim(), i + 1);
            if (!seen.Add(account.AccessKeyId))
            {
                throw new ArgumentException($"R2META_CREDENTIALS entry {i + 1} repeats access key id '{account.AccessKeyId}'.", nameof(spec));
            }

            accounts.Add(account);
        }

        return new AccountDirectory(accounts);
    }

    public Account? Find(string accessKeyId) => _byAccessKey.GetValueOrDefault(accessKeyId);

    private static Account ParseEntry(string entry, int position)
    {
        // Display names may contain ':', so only the first three separators split.
        var parts = entry.Split(':', 4);
        if (parts.Length < 2)
        {
            throw Malformed(position, "it needs at least an access key id and a secret");
        }

        var accessKeyId = parts[0].Trim();
        var secret = parts[1].Trim();
        if (accessKeyId.Length == 0 || accessKeyId.Any(c => char.IsWhiteSpace(c) || c == '/' || char.IsControl(c)))
        {
            throw Malformed(position, "the access key id is empty or holds whitespace, '/' or control characters");
        }

        if (secret.Length == 0)
        {
            throw Malformed(position, "the secret is empty");
        }

        var canonicalUserId = parts.Length > 2 && parts[2].Trim().Length > 0 ? parts[2].Trim() : DefaultCanonicalUserId(accessKeyId);
        var displayName = parts.Length > 3 && parts[3].Trim().Length > 0 ? parts[3].Trim() : accessKeyId;
        return new Account(accessKeyId, secret, canonicalUserId, displayName);
    }

    private static ArgumentException Malformed(int position, string reason) =>
        new($"R2META_CREDENTIALS entry {position} is malformed ({reason}); expected {Format}, entries separated by ','.");

    private static string DefaultCanonicalUserId(string accessKeyId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessKeyId)));
}
