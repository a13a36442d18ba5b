using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>
/// Object ownership is always BucketOwnerEnforced (no ACLs; the bucket owner owns every object): the
/// controls read so, accept only that, and a delete leaves them so.
/// </summary>
public abstract class OwnershipControlsTests : IAsyncLifetime
{
    private readonly R2MetaHost _host;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("own");

    protected OwnershipControlsTests(R2MetaHost host)
    {
        _host = host;
        _s3 = S3Clients.PathStyle(host);
    }

    public Task InitializeAsync() => _s3.PutBucketAsync(_bucket);

    public Task DisposeAsync()
    {
        _s3.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task GetOwnershipControls_NewBucket_BucketOwnerEnforced()
    {
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced.Value, await OwnershipAsync());
    }

    [Fact]
    public async Task PutThenDeleteOwnershipControls_BucketOwnerEnforced_AcceptedAndStillEnforced()
    {
        var put = await _s3.PutBucketOwnershipControlsAsync(Put(ObjectOwnership.BucketOwnerEnforced));
        var delete = await _s3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = _bucket });

        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.HttpStatusCode);
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced.Value, await OwnershipAsync());
    }

    [Theory]
    [InlineData("BucketOwnerPreferred")]
    [InlineData("ObjectWriter")]
    public async Task PutOwnershipControls_SettingThatNeedsAcls_NotImplemented(string ownership)
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketOwnershipControlsAsync(Put(new ObjectOwnership(ownership))));
        Assert.Equal(HttpStatusCode.NotImplemented, e.StatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced.Value, await OwnershipAsync());
    }

    [Fact]
    public async Task PutOwnershipControls_UnknownSetting_MalformedXml()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketOwnershipControlsAsync(Put(new ObjectOwnership("Everyone"))));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("MalformedXML", e.ErrorCode);
    }

    [Fact]
    public async Task CreateBucket_ObjectOwnershipHeader_EnforcedAcceptedOthersRefused()
    {
        var enforced = Names.Bucket("own");
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = enforced, ObjectOwnership = ObjectOwnership.BucketOwnerEnforced });
        var writer = Names.Bucket("own");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _s3.PutBucketAsync(new PutBucketRequest { BucketName = writer, ObjectOwnership = ObjectOwnership.ObjectWriter }));

        Assert.Equal(HttpStatusCode.OK, (await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = enforced })).HttpStatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        Assert.False(await ExistsAsync(writer));
    }

    [Fact]
    public async Task OwnershipControls_OtherAccountsBucket_AccessDenied()
    {
        using var other = S3Clients.PathStyle(_host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = _bucket }));
        Assert.Equal("AccessDenied", e.ErrorCode);
    }

    private PutBucketOwnershipControlsRequest Put(ObjectOwnership ownership) => new()
    {
        BucketName = _bucket,
        OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ownership }] },
    };

    private async Task<string> OwnershipAsync()
    {
        var response = await _s3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = _bucket });
        return Assert.Single(response.OwnershipControls.Rules).ObjectOwnership;
    }

    private async Task<bool> ExistsAsync(string bucket)
    {
        try
        {
            await _s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }
}

public sealed class TablesOwnershipControlsTests(TablesHost host) : OwnershipControlsTests(host), IClassFixture<TablesHost>;

public sealed class CosmosOwnershipControlsTests(CosmosHost host) : OwnershipControlsTests(host), IClassFixture<CosmosHost>;
