using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Storage;
using R2Meta.Hosting;
using R2Meta.S3.Auth;

namespace R2Meta.Server;

/// <summary>
/// <c>R2Meta.Server keys create|list|revoke|rotate</c> (what <c>script/keys</c> runs): manages the stored access
/// keys in the metadata store the settings name, the same settings the server reads. A secret is printed once,
/// by create and rotate, and never again.
/// </summary>
public static class KeysCommand
{
    public const string Name = "keys";

    private const string Usage = """
        usage: script/keys create --level LEVEL [--bucket NAME]... [--account ACCESS_KEY_ID]
               script/keys list
               script/keys revoke KEY_ID
               script/keys rotate KEY_ID
        LEVEL: admin-read-write | admin-read | object-read-write | object-read
        --bucket (object levels only, repeatable) limits the key to those buckets.
        --account names the R2META_CREDENTIALS key whose account the new key acts for (default: the first).
        """;

    /// <summary>Runs the command; the exit code is 0 on success, 1 for an unknown key, 2 for a usage or setting error, 3 when the store cannot be reached.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var verb = args.Length > 0 ? args[0] : string.Empty;
        if (verb is not ("create" or "list" or "revoke" or "rotate"))
        {
            return await UsageAsync(error).ConfigureAwait(false);
        }

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(overrides ?? new Dictionary<string, string?>()).Build();
        R2MetaSettings settings;
        try
        {
            settings = R2MetaSettings.From(configuration);
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        if (settings.KeyEncryptionKey is null)
        {
            await error.WriteLineAsync("R2META_KEY_ENCRYPTION_KEY is not set: stored keys need it (32 random bytes in base64, e.g. `openssl rand -base64 32`), and the server must have the same value.").ConfigureAwait(false);
            return 2;
        }

        var services = new ServiceCollection().AddLogging();
        try
        {
            services.AddR2Meta(configuration);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        await using var provider = services.BuildServiceProvider();
        try
        {
            await provider.GetRequiredService<IMetadataStore>().InitializeAsync().ConfigureAwait(false);
            var keys = provider.GetRequiredService<AccessKeyService>();
            return verb switch
            {
                "create" => await CreateAsync(keys, provider.GetRequiredService<AccountDirectory>(), args[1..], output, error).ConfigureAwait(false),
                "list" when args.Length == 1 => await ListAsync(keys, output).ConfigureAwait(false),
                "revoke" when args.Length == 2 => await RevokeAsync(keys, args[1], output, error).ConfigureAwait(false),
                "rotate" when args.Length == 2 => await RotateAsync(keys, args[1], output, error).ConfigureAwait(false),
                _ => await UsageAsync(error).ConfigureAwait(false),
            };
        }
        catch (StoreUnavailableException e)
        {
            await error.WriteLineAsync($"The metadata store ({settings.Metadata}) cannot be reached: {e.Message} Check R2META_METADATA, R2META_STORAGE_CONNECTION / R2META_COSMOS_ENDPOINT.").ConfigureAwait(false);
            return 3;
        }
    }

    private static async Task<int> CreateAsync(AccessKeyService keys, AccountDirectory accounts, string[] args, TextWriter output, TextWriter error)
    {
        PermissionLevel? level = null;
        var buckets = new List<string>();
        string? accountKeyId = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--level" when value is not null:
                    level = PermissionLevels.Parse(value);
                    if (level is null)
                    {
                        await error.WriteLineAsync($"Unknown permission level '{value}'; one of {string.Join(", ", PermissionLevels.Names)}.").ConfigureAwait(false);
                        return 2;
                    }

                    break;
                case "--bucket" when value is not null:
                    buckets.Add(value);
                    break;
                case "--account" when value is not null:
                    accountKeyId = value;
                    break;
                default:
                    return await UsageAsync(error).ConfigureAwait(false);
            }

            i++;
        }

        if (level is null)
        {
            return await UsageAsync(error).ConfigureAwait(false);
        }

        var owner = accountKeyId is null ? accounts.Accounts[0] : accounts.Find(accountKeyId);
        if (owner is null)
        {
            await error.WriteLineAsync($"No R2META_CREDENTIALS key has the id '{accountKeyId}'.").ConfigureAwait(false);
            return 2;
        }

        AccessGrant grant;
        try
        {
            grant = AccessGrant.Of(level.Value, buckets);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 2;
        }

        var issued = await keys.CreateAsync(owner, grant).ConfigureAwait(false);
        await WriteIssuedAsync(issued, output).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ListAsync(AccessKeyService keys, TextWriter output)
    {
        await output.WriteLineAsync("KEY ID                            STATUS   PERMISSION         BUCKETS  ACCOUNT  CREATED  SECRET ISSUED").ConfigureAwait(false);
        foreach (var key in await keys.ListAsync().ConfigureAwait(false))
        {
            await output.WriteLineAsync(string.Join(
                "  ",
                key.KeyId,
                key.RevokedAt is null ? "active " : "revoked",
                PermissionLevels.Name(key.Grant.Level).PadRight(17),
                key.Grant.Buckets is { } buckets ? string.Join(',', buckets) : "*",
                key.OwnerName,
                Timestamp(key.CreatedAt),
                Timestamp(key.SecretIssuedAt))).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task<int> RevokeAsync(AccessKeyService keys, string keyId, TextWriter output, TextWriter error)
    {
        if (!await keys.RevokeAsync(keyId).ConfigureAwait(false))
        {
            await error.WriteLineAsync($"No stored key has the id '{keyId}'.").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"Revoked {keyId}; every instance refuses it within R2META_KEY_CACHE_SECONDS.").ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> RotateAsync(AccessKeyService keys, string keyId, TextWriter output, TextWriter error)
    {
        if (await keys.RotateAsync(keyId).ConfigureAwait(false) is not { } issued)
        {
            await error.WriteLineAsync($"No active stored key has the id '{keyId}'.").ConfigureAwait(false);
            return 1;
        }

        await WriteIssuedAsync(issued, output).ConfigureAwait(false);
        return 0;
    }

    private static async Task WriteIssuedAsync(IssuedKey issued, TextWriter output)
    {
        await output.WriteLineAsync($"Access Key ID:     {issued.Key.KeyId}").ConfigureAwait(false);
        await output.WriteLineAsync($"Secret Access Key: {issued.Secret}").ConfigureAwait(false);
        await output.WriteLineAsync($"Permission:        {issued.Key.Grant}").ConfigureAwait(false);
        await output.WriteLineAsync("The secret is shown only now; store it safely.").ConfigureAwait(false);
    }

    private static async Task<int> UsageAsync(TextWriter error)
    {
        await error.WriteLineAsync(Usage).ConfigureAwait(false);
        return 2;
    }

    private static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
