using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Accounts;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.S3.Auth;

namespace R2Meta.EndToEnd.Tests.Access;

/// <summary>A host with stored keys switched on: a fresh key-encryption key, the default key cache.</summary>
public abstract class KeysHost(Backend backend) : R2MetaHost(backend)
{
    public AccessKeyService Keys => Services.GetRequiredService<AccessKeyService>();

    public IAccessKeyStore KeyStore => Services.GetRequiredService<IAccessKeyStore>();

    /// <summary>The account of <see cref="TestAccounts.FirstKey"/>, which stored keys act for here.</summary>
    public Account Owner => Services.GetRequiredService<AccountDirectory>().Find(TestAccounts.FirstKey)!;

    protected override IReadOnlyDictionary<string, string?> CreateSettings() =>
        new Dictionary<string, string?>(base.CreateSettings())
        {
            ["R2META_KEY_ENCRYPTION_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };

    public async Task<(string Id, string Secret)> CreateKeyAsync(PermissionLevel level, params string[] buckets)
    {
        var issued = await Keys.CreateAsync(Owner, AccessGrant.Of(level, buckets));
        return (issued.Key.KeyId, issued.Secret);
    }
}

public sealed class TablesKeysHost() : KeysHost(Backend.Tables);

public sealed class CosmosKeysHost() : KeysHost(Backend.Cosmos);
