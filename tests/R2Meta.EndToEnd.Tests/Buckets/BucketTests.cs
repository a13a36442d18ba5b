using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>Bucket operations through AWSSDK.S3 v4, once per backend (see the subclasses at the end).</summary>
public abstract class BucketTests
{
    private readonly R2MetaHost _host;

    protected BucketTests(R2MetaHost host) => _host = host;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CreateHeadListDelete_BothAddressingStyles_Succeed(bool virtualHosted)
    {
        using var s3 = virtualHosted ? S3Clients.VirtualHosted(_host) : S3Clients.PathStyle(_host);
        var bucket = Names.Bucket();

        await s3.PutBucketAsync(bucket);
        var head = await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });
        Assert.Equal(HttpStatusCode.OK, head.HttpStatusCode);

        var list = await s3.ListBucketsAsync();
        Assert.Contains(list.Buckets, b => b.BucketName == bucket);
        Assert.Equal(TestAccounts.FirstCanonicalId, list.Owner.Id);
        Assert.Equal("first-user", list.Owner.DisplayName);

        await s3.DeleteBucketAsync(bucket);
        var after = await s3.ListBucketsAsync();
        Assert.DoesNotContain(after.Buckets ?? [], b => b.BucketName == bucket);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task DeleteBucket_WithUploadInProgress_DeletesItAndARecreatedBucketIsClean()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket("mpu");
        await s3.PutBucketAsync(bucket);
        var uploadId = (await s3.InitiateMultipartUploadAsync(bucket, "unfinished.bin")).UploadId;
        await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "unfinished.bin", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1024]) });
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "object", ContentBody = "x" });

        var notEmpty = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.DeleteBucketAsync(bucket));
        Assert.Equal("BucketNotEmpty", notEmpty.ErrorCode);
        Assert.Single((await s3.ListMultipartUploadsAsync(bucket)).MultipartUploads);

        await s3.DeleteObjectAsync(bucket, "object");
        await s3.DeleteBucketAsync(bucket);
        await s3.PutBucketAsync(bucket);

        Assert.Empty((await s3.ListMultipartUploadsAsync(bucket)).MultipartUploads ?? []);
        var stale = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListPartsAsync(bucket, "unfinished.bin", uploadId));
        Assert.Equal("NoSuchUpload", stale.ErrorCode);
        await s3.DeleteBucketAsync(bucket);
    }

    [Fact]
    public async Task ListBuckets_PrefixAndMaxBuckets_PageWithContinuationToken()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var stem = Names.Bucket("pg")[..12];
        string[] names = [stem + "-a", stem + "-b", stem + "-c"];
        foreach (var name in names)
        {
            await s3.PutBucketAsync(name);
        }

        var first = await s3.ListBucketsAsync(new ListBucketsRequest { Prefix = stem, MaxBuckets = 2 });
        var second = await s3.ListBucketsAsync(new ListBucketsRequest { Prefix = stem, MaxBuckets = 2, ContinuationToken = first.ContinuationToken });

        Assert.Equal(names[..2], first.Buckets.Select(b => b.BucketName));
        Assert.Equal(stem, first.Prefix);
        Assert.False(string.IsNullOrEmpty(first.ContinuationToken));
        Assert.Equal(names[2..], second.Buckets.Select(b => b.BucketName));
        Assert.Null(second.ContinuationToken);

        var bad = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync(new ListBucketsRequest { MaxBuckets = 10_001 }));
        Assert.Equal("InvalidArgument", bad.ErrorCode);
        foreach (var name in names)
        {
            await s3.DeleteBucketAsync(name);
        }
    }

    [Fact]
    public async Task SecondAccount_IsDeniedAndDoesNotSeeFirstAccountsBuckets()
    {
        using var first = S3Clients.PathStyle(_host);
        using var second = S3Clients.PathStyle(_host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var bucket = Names.Bucket();
        await first.PutBucketAsync(bucket);

        var seen = await second.ListBucketsAsync();
        Assert.DoesNotContain(seen.Buckets ?? [], b => b.BucketName == bucket);

        var head = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }));
        Assert.Equal(HttpStatusCode.Forbidden, head.StatusCode);
        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.DeleteBucketAsync(bucket));
        Assert.Equal("AccessDenied", delete.ErrorCode);
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "x" }));
        Assert.Equal("AccessDenied", put.ErrorCode);

        var taken = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => second.PutBucketAsync(bucket));
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal("BucketAlreadyExists", taken.ErrorCode);

        var mine = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => first.PutBucketAsync(bucket));
        Assert.Equal("BucketAlreadyOwnedByYou", mine.ErrorCode);

        // The first account still has its bucket.
        await first.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket });
    }

    /// <summary>
    /// A LocationConstraint and the location GetBucketLocation then answers: with one metadata cluster any constraint
    /// is accepted and the configured region answered; with several, a cluster's location label picks it.
    /// </summary>
    protected virtual (string Constraint, string Location) LocationCase => ("us-west-2", "auto");

    [Fact]
    public async Task GetBucketLocation_ReturnsConfiguredRegion()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket();
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, BucketRegionName = LocationCase.Constraint });
        var location = await s3.GetBucketLocationAsync(bucket);
        Assert.Equal(LocationCase.Location, location.Location.Value);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("UPPER-case")]
    [InlineData("under_score")]
    [InlineData("-leading-dash")]
    [InlineData("double..dot")]
    [InlineData("192.168.5.4")]
    [InlineData("xn--punycode")]
    public async Task CreateBucket_InvalidName_InvalidBucketName(string name)
    {
        using var http = new HttpClient();
        var response = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, "/" + name);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidBucketName", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task WrongSecret_SignatureDoesNotMatch()
    {
        using var s3 = S3Clients.PathStyle(_host, TestAccounts.FirstKey, "not-the-secret");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
    }

    [Fact]
    public async Task UnknownAccessKey_InvalidAccessKeyId()
    {
        using var s3 = S3Clients.PathStyle(_host, "AKIDNOBODY", "whatever");
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.ListBucketsAsync());
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
        Assert.Equal("InvalidAccessKeyId", e.ErrorCode);
    }

    [Fact]
    public async Task PresignedUrl_WorksUntilItExpires()
    {
        using var s3 = S3Clients.PathStyle(_host);
        var bucket = Names.Bucket();
        await s3.PutBucketAsync(bucket);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "presigned/hello.txt", ContentBody = "hello presigned" });
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = "presigned/hello.txt",
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.AddSeconds(3),
            Protocol = Protocol.HTTP,
        });

        using var http = new HttpClient();
        var ok = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("hello presigned", await ok.Content.ReadAsStringAsync());

        await Task.Delay(TimeSpan.FromSeconds(4.5));
        var expired = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Equal("AccessDenied", await RawRequests.ErrorCodeAsync(expired));
    }
}

public sealed class TablesBucketTests(TablesHost host) : BucketTests(host), IClassFixture<TablesHost>;

public sealed class CosmosBucketTests(CosmosHost host) : BucketTests(host), IClassFixture<CosmosHost>;
