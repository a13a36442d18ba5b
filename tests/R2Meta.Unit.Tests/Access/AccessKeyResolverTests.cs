using System.Security.Cryptography;
using R2Meta.Domain.Accounts;
using R2Meta.Domain.Storage;
using R2Meta.S3.Auth;

namespace R2Meta.Unit.Tests.Access;

/// <summary>The resolver (bootstrap keys first, then the store behind a short cache), the key service and the secret cipher.</summary>
public sealed class AccessKeyResolverTests
{
    private static readonly AccountDirectory Bootstrap = AccountDirectory.Parse("AKBOOT:boot-secret:boot-id:boot");
    private readonly MemoryKeyStore _store = new();
    private readonly SteppedTime _time = new();
    private readonly AccessKeyService _keys;

    public AccessKeyResolverTests() => _keys = new AccessKeyService(_store, new SecretCipher(RandomNumberGenerator.GetBytes(32)), _time);

    private AccessKeyResolver Resolver(double cacheSeconds = 5) =>
        new(Bootstrap, _keys, new AccessKeyResolverOptions { CacheFor = TimeSpan.FromSeconds(cacheSeconds) }, _time);

    [Fact]
    public async Task FindAsync_BootstrapKey_FullAccessWithoutStoreRead()
    {
        var account = await Resolver().FindAsync("AKBOOT");

        Assert.Equal("boot-secret", account!.SecretAccessKey);
        Assert.Equal(AccessGrant.Full, account.Grant);
        Assert.Equal(0, _store.Reads);
    }

    [Fact]
    public async Task FindAsync_StoredKey_SecretAndGrantOfTheKey()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectRead, ["b"]));

        var account = await Resolver().FindAsync(issued.Key.KeyId);

        Assert.Equal(issued.Secret, account!.SecretAccessKey);
        Assert.Equal("boot-id", account.CanonicalUserId);
        Assert.Equal(AccessGrant.Of(PermissionLevel.ObjectRead, ["b"]), account.Grant);
    }

    [Fact]
    public async Task FindAsync_RevokedKey_StillServedUntilTheCacheExpires_ThenUnknown()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectReadWrite));
        var resolver = Resolver(cacheSeconds: 5);
        Assert.NotNull(await resolver.FindAsync(issued.Key.KeyId));

        await _keys.RevokeAsync(issued.Key.KeyId);
        _time.Advance(TimeSpan.FromSeconds(4.9));
        var cached = await resolver.FindAsync(issued.Key.KeyId);
        _time.Advance(TimeSpan.FromSeconds(0.2));
        var expired = await resolver.FindAsync(issued.Key.KeyId);

        Assert.NotNull(cached);
        Assert.Null(expired);
    }

    [Fact]
    public async Task FindAsync_UnknownIds_CachedToo_MalformedNeverReadTheStore()
    {
        var resolver = Resolver();
        var unknown = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

        Assert.Null(await resolver.FindAsync(unknown));
        Assert.Null(await resolver.FindAsync(unknown));
        Assert.Null(await resolver.FindAsync("AKIA/NOT#A?KEY"));

        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task FindAsync_NoCache_EveryLookupReadsTheStore()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectRead));
        var resolver = Resolver(cacheSeconds: 0);

        await resolver.FindAsync(issued.Key.KeyId);
        await resolver.FindAsync(issued.Key.KeyId);

        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task RefreshAsync_AfterRotation_ReadsTheNewSecretPastTheCache_AtMostOncePerInterval()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectRead));
        var resolver = Resolver(cacheSeconds: 5);
        Assert.Equal(issued.Secret, (await resolver.FindAsync(issued.Key.KeyId))!.SecretAccessKey);
        var rotated = await _keys.RotateAsync(issued.Key.KeyId);

        var tooSoon = await resolver.RefreshAsync(issued.Key.KeyId);
        _time.Advance(TimeSpan.FromSeconds(1));
        var fresh = await resolver.RefreshAsync(issued.Key.KeyId);
        var cached = await resolver.FindAsync(issued.Key.KeyId);

        Assert.Null(tooSoon);
        Assert.Equal(rotated!.Secret, fresh!.SecretAccessKey);
        Assert.Equal(rotated.Secret, cached!.SecretAccessKey);
        Assert.Null(await resolver.RefreshAsync(Bootstrap.Accounts[0].AccessKeyId));
    }

    [Fact]
    public async Task RotateAsync_NewSecret_OldOneGone()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectRead));

        var rotated = await _keys.RotateAsync(issued.Key.KeyId);
        var account = await _keys.FindAsync(issued.Key.KeyId);

        Assert.NotEqual(issued.Secret, rotated!.Secret);
        Assert.Equal(rotated.Secret, account!.SecretAccessKey);
    }

    [Fact]
    public async Task RevokeAndRotate_UnknownKey_NotFound_RevokedKeyCannotBeRotated()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectRead));
        await _keys.RevokeAsync(issued.Key.KeyId);

        Assert.False(await _keys.RevokeAsync(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
        Assert.Null(await _keys.RotateAsync(issued.Key.KeyId));
        Assert.Null(await _keys.FindAsync(issued.Key.KeyId));
    }

    [Fact]
    public async Task CreateAsync_StoredSecretIsSealed_NotThePlaintext()
    {
        var issued = await _keys.CreateAsync(Bootstrap.Accounts[0], AccessGrant.Of(PermissionLevel.ObjectRead));

        var stored = _store.Keys[issued.Key.KeyId];

        Assert.DoesNotContain(issued.Secret, stored.SealedSecret, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(issued.Secret, stored.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(issued.Secret, issued.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void SecretCipher_OtherKeyOrOtherKeyId_DoesNotOpen()
    {
        var cipher = new SecretCipher(RandomNumberGenerator.GetBytes(32));
        var sealedSecret = cipher.Seal("id-1", "the secret");

        Assert.Equal("the secret", cipher.Open("id-1", sealedSecret));
        Assert.Null(cipher.Open("id-2", sealedSecret));
        Assert.Null(new SecretCipher(RandomNumberGenerator.GetBytes(32)).Open("id-1", sealedSecret));
        Assert.Null(cipher.Open("id-1", "v1:AAAA"));
        Assert.NotEqual(sealedSecret, cipher.Seal("id-1", "the secret"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public void SecretCipher_FromBase64_Not32Bytes_ThrowsWithoutEchoingTheValue(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => SecretCipher.FromBase64(value));
        Assert.Contains("R2META_KEY_ENCRYPTION_KEY", error.Message, StringComparison.Ordinal);
        if (value.Length > 0)
        {
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }
    }

    private sealed class MemoryKeyStore : IAccessKeyStore
    {
        private int _version;

        public Dictionary<string, StoredKey> Keys { get; } = new(StringComparer.Ordinal);

        public int Reads { get; private set; }

        public Task<StoreResult<StoredKey>> GetKeyAsync(string keyId, CancellationToken cancellationToken = default)
        {
            Reads++;
            return Task.FromResult(Keys.TryGetValue(keyId, out var key) ? StoreResult<StoredKey>.Ok(key) : StoreResult<StoredKey>.Fail(StoreStatus.NotFound));
        }

        public Task<StoreResult<StoredKey>> CreateKeyAsync(StoredKey key, CancellationToken cancellationToken = default)
        {
            if (Keys.ContainsKey(key.KeyId))
            {
                return Task.FromResult(StoreResult<StoredKey>.Fail(StoreStatus.AlreadyExists));
            }

            var stored = key with { Version = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Keys[key.KeyId] = stored;
            return Task.FromResult(StoreResult<StoredKey>.Ok(stored));
        }

        public Task<StoreResult<StoredKey>> ReplaceKeyAsync(StoredKey key, CancellationToken cancellationToken = default)
        {
            if (!Keys.TryGetValue(key.KeyId, out var current) || current.Version != key.Version)
            {
                return Task.FromResult(StoreResult<StoredKey>.Fail(StoreStatus.PreconditionFailed));
            }

            var stored = key with { Version = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture) };
            Keys[key.KeyId] = stored;
            return Task.FromResult(StoreResult<StoredKey>.Ok(stored));
        }

        public Task<IReadOnlyList<StoredKey>> ListKeysAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<StoredKey>>([.. Keys.Values.OrderBy(k => k.KeyId, StringComparer.Ordinal)]);
    }

    private sealed class SteppedTime : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(_ticks);

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
