using System.Diagnostics;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using R2Meta.Domain.Accounts;
using R2Meta.EndToEnd.Tests.Infrastructure;
using R2Meta.Server;
using Xunit.Abstractions;

namespace R2Meta.EndToEnd.Tests.Access;

/// <summary>Stored keys over the wire: revocation on every instance within the cache time, rotation, sealed secrets, copy scope.</summary>
public abstract class AccessKeyTests : IAsyncLifetime
{
    private readonly KeysHost _host;
    private readonly ITestOutputHelper _output;
    private readonly AmazonS3Client _admin;
    private readonly string _bucket = Names.Bucket("keys");

    protected AccessKeyTests(KeysHost host, ITestOutputHelper output)
    {
        _host = host;
        _output = output;
        _admin = S3Clients.PathStyle(host);
    }

    public async Task InitializeAsync()
    {
        await _admin.PutBucketAsync(_bucket);
        await _admin.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "value" });
    }

    public Task DisposeAsync()
    {
        _admin.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Two instances on the same stores both cached the key; each refuses it within R2META_KEY_CACHE_SECONDS (default 5) of the revocation.</summary>
    [Fact]
    public async Task Revoke_KeyInUseOnTwoInstances_RefusedByBothWithinTheCacheTime()
    {
        await using var second = await StartSecondInstanceAsync();
        var key = await _host.CreateKeyAsync(PermissionLevel.ObjectRead, _bucket);
        using var first = S3Clients.PathStyle(_host, key.Id, key.Secret);
        using var other = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(key.Id, key.Secret), new AmazonS3Config
        {
            ServiceURL = second.Endpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        });
        await first.GetObjectMetadataAsync(_bucket, "k");
        await other.GetObjectMetadataAsync(_bucket, "k");

        Assert.True(await _host.Keys.RevokeAsync(key.Id));
        var revokedAt = Stopwatch.StartNew();
        var delays = await Task.WhenAll(UntilRefusedAsync(first, revokedAt), UntilRefusedAsync(other, revokedAt));

        _output.WriteLine($"revocation delay ({_host.Backend}): instance 1 {delays[0].TotalSeconds:F2} s, instance 2 {delays[1].TotalSeconds:F2} s (cache 5 s)");
        Assert.All(delays, d => Assert.True(d < TimeSpan.FromSeconds(7), $"still accepted {d.TotalSeconds:F1} s after revocation"));
    }

    [Fact]
    public async Task Rotate_NewSecretWorks_OldSecretRefusedWithinTheCacheTime()
    {
        var key = await _host.CreateKeyAsync(PermissionLevel.ObjectReadWrite, _bucket);
        using var old = S3Clients.PathStyle(_host, key.Id, key.Secret);
        await old.GetObjectMetadataAsync(_bucket, "k");

        var rotated = await _host.Keys.RotateAsync(key.Id);
        using var renewed = S3Clients.PathStyle(_host, key.Id, rotated!.Secret);
        var delay = await UntilRefusedAsync(old, Stopwatch.StartNew(), "SignatureDoesNotMatch");
        await renewed.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "rotated", ContentBody = "x" });

        _output.WriteLine($"old secret refused {delay.TotalSeconds:F2} s after rotation ({_host.Backend})");
        Assert.NotEqual(key.Secret, rotated.Secret);
    }

    [Fact]
    public async Task CreateKey_StoredRecord_HoldsTheSecretSealedNotInPlainText()
    {
        var key = await _host.CreateKeyAsync(PermissionLevel.ObjectRead);

        var stored = await _host.KeyStore.GetKeyAsync(key.Id);

        Assert.True(stored.IsOk);
        Assert.StartsWith("v1:", stored.Value!.SealedSecret, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Secret, stored.Value.SealedSecret, StringComparison.OrdinalIgnoreCase);
        var sealedBytes = Convert.FromBase64String(stored.Value.SealedSecret[3..]);
        Assert.DoesNotContain(key.Secret, System.Text.Encoding.Latin1.GetString(sealedBytes), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(AccessGrant.Of(PermissionLevel.ObjectRead), stored.Value.Grant);
    }

    [Fact]
    public async Task CopyObject_SourceBucketOutsideTheKeysScope_AccessDeniedAndNothingWritten()
    {
        var elsewhere = Names.Bucket("src");
        await _admin.PutBucketAsync(elsewhere);
        await _admin.PutObjectAsync(new PutObjectRequest { BucketName = elsewhere, Key = "secret", ContentBody = "not yours" });
        var key = await _host.CreateKeyAsync(PermissionLevel.ObjectReadWrite, _bucket);
        using var scoped = S3Clients.PathStyle(_host, key.Id, key.Secret);

        var error = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => scoped.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = elsewhere, SourceKey = "secret", DestinationBucket = _bucket, DestinationKey = "stolen",
        }));

        Assert.Equal("AccessDenied", error.ErrorCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _admin.GetObjectMetadataAsync(_bucket, "stolen"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task StoredAdminKey_CreatesBucketOwnedByItsAccount()
    {
        var key = await _host.CreateKeyAsync(PermissionLevel.AdminReadWrite);
        using var admin = S3Clients.PathStyle(_host, key.Id, key.Secret);
        var bucket = Names.Bucket("own");

        await admin.PutBucketAsync(bucket);
        var listed = await _admin.ListBucketsAsync();

        Assert.Contains(bucket, listed.Buckets.Select(b => b.BucketName));
    }

    /// <summary>Reads with <paramref name="client"/> every 100 ms until it is refused with <paramref name="code"/>; the time that took.</summary>
    private async Task<TimeSpan> UntilRefusedAsync(AmazonS3Client client, Stopwatch since, string code = "InvalidAccessKeyId")
    {
        while (since.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await client.GetObjectAsync(_bucket, "k");
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == code)
            {
                return since.Elapsed;
            }

            await Task.Delay(100);
        }

        return since.Elapsed;
    }

    private async Task<SecondInstance> StartSecondInstanceAsync()
    {
        var app = R2MetaServer.Create([], new Dictionary<string, string?>(_host.HostSettings) { ["R2META_PORT"] = "0" });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SecondInstance(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    private sealed record SecondInstance(WebApplication App, Uri Endpoint) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}

public sealed class TablesAccessKeyTests(TablesKeysHost host, ITestOutputHelper output) : AccessKeyTests(host, output), IClassFixture<TablesKeysHost>;

public sealed class CosmosAccessKeyTests(CosmosKeysHost host, ITestOutputHelper output) : AccessKeyTests(host, output), IClassFixture<CosmosKeysHost>;
