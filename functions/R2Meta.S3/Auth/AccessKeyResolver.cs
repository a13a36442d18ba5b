using System.Collections.Concurrent;
using R2Meta.Domain.Accounts;

namespace R2Meta.S3.Auth;

/// <summary>
/// Finds the account an access key id signs for: the bootstrap keys (R2META_CREDENTIALS) first, then the stored
/// keys. Store answers, found or not, are cached for <see cref="AccessKeyResolverOptions.CacheFor"/>, so a
/// revoked or rotated key stops working on every instance within that time without a store read per request.
/// </summary>
public sealed class AccessKeyResolver
{
    private readonly AccountDirectory _bootstrap;
    private readonly AccessKeyService? _stored;
    private readonly AccessKeyResolverOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <param name="stored">Null when no key-encryption key is configured: only the bootstrap keys work.</param>
    public AccessKeyResolver(AccountDirectory bootstrap, AccessKeyService? stored, AccessKeyResolverOptions options, TimeProvider time)
    {
        _bootstrap = bootstrap;
        _stored = stored;
        _options = options;
        _time = time;
    }

    /// <summary>A resolver of the bootstrap keys only.</summary>
    public static AccessKeyResolver Bootstrap(AccountDirectory accounts, TimeProvider time) => new(accounts, null, new AccessKeyResolverOptions(), time);

    public AccountDirectory BootstrapAccounts => _bootstrap;

    /// <summary>The account <paramref name="accessKeyId"/> signs for, or null when no live key has that id.</summary>
    public ValueTask<Account?> FindAsync(string accessKeyId, CancellationToken cancellationToken = default)
    {
        if (_bootstrap.Find(accessKeyId) is { } account)
        {
            return ValueTask.FromResult<Account?>(account);
        }

        if (_stored is null)
        {
            return ValueTask.FromResult<Account?>(null);
        }

        var now = _time.GetTimestamp();
        return _cache.TryGetValue(accessKeyId, out var entry) && _time.GetElapsedTime(entry.ReadAt, now) < _options.CacheFor
            ? ValueTask.FromResult(entry.Account)
            : new ValueTask<Account?>(ReadAsync(accessKeyId, now, cancellationToken));
    }

    /// <summary>
    /// Reads a stored key again past the cache, when a signature did not match the secret the cache holds: the key
    /// may have been rotated since, and its new secret must work at once. Null for a bootstrap key, when no store is
    /// configured, or when the cached answer is under <see cref="AccessKeyResolverOptions.MinRefreshInterval"/> old
    /// (a client sending bad signatures must not cost a store read each).
    /// </summary>
    public async ValueTask<Account?> RefreshAsync(string accessKeyId, CancellationToken cancellationToken = default)
    {
        if (_stored is null || _bootstrap.Find(accessKeyId) is not null)
        {
            return null;
        }

        var now = _time.GetTimestamp();
        if (_cache.TryGetValue(accessKeyId, out var entry) && _time.GetElapsedTime(entry.ReadAt, now) < _options.MinRefreshInterval)
        {
            return null;
        }

        return await ReadAsync(accessKeyId, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Account?> ReadAsync(string accessKeyId, long now, CancellationToken cancellationToken)
    {
        var account = await _stored!.FindAsync(accessKeyId, cancellationToken).ConfigureAwait(false);
        if (_options.CacheFor > TimeSpan.Zero)
        {
            // Unknown ids are cached too (a client retrying a bad key must not cost a store read each time);
            // the bound keeps a stream of random ids from growing the cache without limit.
            if (_cache.Count >= _options.MaxCachedKeys)
            {
                _cache.Clear();
            }

            _cache[accessKeyId] = new Entry(account, now);
        }

        return account;
    }

    private readonly record struct Entry(Account? Account, long ReadAt);
}

/// <summary>How long the resolver trusts what the key store said (R2META_KEY_CACHE_SECONDS).</summary>
public sealed record AccessKeyResolverOptions
{
    public TimeSpan CacheFor { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How soon after a store read a signature mismatch may read the key again (see <see cref="AccessKeyResolver.RefreshAsync"/>).</summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxCachedKeys { get; init; } = 10_000;
}
