using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>
/// Object ownership is always BucketOwnerEnforced (no ACLs; the bucket owner owns every object): the
/// controls read so, accept only that, and a delete leaves them so.
/// </summary>
public abstract class OwnershipControlsTests : OneBucketTests
{
    protected OwnershipControlsTests(R2MetaHost host)
        : base(host, "own")
    {
    }

    [Fact]
    public async Task GetOwnershipControls_NewBucket_BucketOwnerEnforced()
    {
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced.Value, await OwnershipAsync());
    }

    [Fact]
    public async Task PutThenDeleteOwnershipControls_BucketOwnerEnforced_AcceptedAndStillEnforced()
    {
        var put = await S3.PutBucketOwnershipControlsAsync(Put(ObjectOwnership.BucketOwnerEnforced));
        var delete = await S3.DeleteBucketOwnershipControlsAsync(new DeleteBucketOwnershipControlsRequest { BucketName = Bucket });

        Assert.Equal(HttpStatusCode.OK, put.HttpStatusCode);
        Assert.Equal(HttpStatusCode.NoContent, delete.HttpStatusCode);
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced.Value, await OwnershipAsync());
    }

    [Theory]
    [InlineData("BucketOwnerPreferred")]
    [InlineData("ObjectWriter")]
    public async Task PutOwnershipControls_SettingThatNeedsAcls_NotImplemented(string ownership)
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutBucketOwnershipControlsAsync(Put(new ObjectOwnership(ownership))));
        Assert.Equal(HttpStatusCode.NotImplemented, e.StatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        Assert.Equal(ObjectOwnership.BucketOwnerEnforced.Value, await OwnershipAsync());
    }

    [Fact]
    public async Task PutOwnershipControls_UnknownSetting_MalformedXml()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutBucketOwnershipControlsAsync(Put(new ObjectOwnership("Everyone"))));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("MalformedXML", e.ErrorCode);
    }

    [Fact]
    public async Task CreateBucket_ObjectOwnershipHeader_EnforcedAcceptedOthersRefused()
    {
        var enforced = Names.Bucket("own");
        await S3.PutBucketAsync(new PutBucketRequest { BucketName = enforced, ObjectOwnership = ObjectOwnership.BucketOwnerEnforced });
        var writer = Names.Bucket("own");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutBucketAsync(new PutBucketRequest { BucketName = writer, ObjectOwnership = ObjectOwnership.ObjectWriter }));

        Assert.Equal(HttpStatusCode.OK, (await S3.HeadBucketAsync(new HeadBucketRequest { BucketName = enforced })).HttpStatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        Assert.False(await ExistsAsync(writer));
    }

    [Fact]
    public async Task OwnershipControls_OtherAccountsBucket_AccessDenied()
    {
        using var other = S3Clients.PathStyle(Host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = Bucket }));
        Assert.Equal("AccessDenied", e.ErrorCode);
    }

    private PutBucketOwnershipControlsRequest Put(ObjectOwnership ownership) => new()
    {
        BucketName = Bucket,
        OwnershipControls = new OwnershipControls { Rules = [new OwnershipControlsRule { ObjectOwnership = ownership }] },
    };

    private async Task<string> OwnershipAsync()
    {
        var response = await S3.GetBucketOwnershipControlsAsync(new GetBucketOwnershipControlsRequest { BucketName = Bucket });
        return Assert.Single(response.OwnershipControls.Rules).ObjectOwnership;
    }

    private async Task<bool> ExistsAsync(string bucket)
    {
        try
        {
            await S3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });
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
