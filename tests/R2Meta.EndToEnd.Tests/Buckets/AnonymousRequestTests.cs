using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>
/// Unsigned requests (AWSSDK.S3 v4 with anonymous credentials), as S3 answers them: a bucket that does
/// not exist is 404 NoSuchBucket (names are global, no secret), an existing one 403 AccessDenied — unless
/// its canned ACL is public-read, which lets anyone GET and HEAD its objects (and do nothing else).
/// </summary>
public abstract class AnonymousRequestTests : IAsyncLifetime
{
    private readonly AmazonS3Client _s3;
    private readonly AmazonS3Client _anonymous;
    private readonly string _bucket = Names.Bucket("anon");

    protected AnonymousRequestTests(R2MetaHost host)
    {
        _s3 = S3Clients.PathStyle(host);
        _anonymous = new AmazonS3Client(new AnonymousAWSCredentials(), new AmazonS3Config
        {
            ServiceURL = host.Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
        });
    }

    public async Task InitializeAsync()
    {
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "private" });
    }

    public Task DisposeAsync()
    {
        _s3.Dispose();
        _anonymous.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Anonymous_MissingBucket_NoSuchBucket()
    {
        var missing = Names.Bucket("gone");
        var get = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.GetObjectAsync(missing, "k"));
        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.DeleteObjectAsync(missing, "k"));
        var list = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.ListObjectsV2Async(new ListObjectsV2Request { BucketName = missing }));

        Assert.All(new[] { get, delete, list }, e => Assert.Equal((HttpStatusCode.NotFound, "NoSuchBucket"), (e.StatusCode, e.ErrorCode)));
    }

    [Fact]
    public async Task Anonymous_ExistingBucket_AccessDeniedAndNothingChanged()
    {
        var get = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.GetObjectAsync(_bucket, "k"));
        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.DeleteObjectAsync(_bucket, "k"));

        Assert.All(new[] { get, delete }, e => Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (e.StatusCode, e.ErrorCode)));
        Assert.Equal(HttpStatusCode.OK, (await _s3.GetObjectMetadataAsync(_bucket, "k")).HttpStatusCode);
    }

    /// <summary>Creating is refused whatever the name: a missing bucket is what CreateBucket expects.</summary>
    [Fact]
    public async Task Anonymous_CreateBucket_AccessDenied()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.PutBucketAsync(Names.Bucket("anon")));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (e.StatusCode, e.ErrorCode));
    }

    [Fact]
    public async Task Anonymous_PublicReadBucket_GetAndHeadObjects_NoListingNoWrites()
    {
        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.PublicRead });

        using var get = await _anonymous.GetObjectAsync(_bucket, "k");
        using var reader = new StreamReader(get.ResponseStream);
        Assert.Equal("private", await reader.ReadToEndAsync());
        Assert.Equal(7, (await _anonymous.GetObjectMetadataAsync(_bucket, "k")).ContentLength);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.GetObjectAsync(_bucket, "missing"));
        var list = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket }));
        var put = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "w", ContentBody = "x" }));
        var delete = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.DeleteObjectAsync(_bucket, "k"));

        Assert.Equal((HttpStatusCode.NotFound, "NoSuchKey"), (missing.StatusCode, missing.ErrorCode));
        Assert.All(new[] { list, put, delete }, e => Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (e.StatusCode, e.ErrorCode)));
        Assert.Equal(HttpStatusCode.OK, (await _s3.GetObjectMetadataAsync(_bucket, "k")).HttpStatusCode);
    }

    [Fact]
    public async Task Anonymous_PublicReadTakenBack_AccessDeniedAgain()
    {
        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.PublicRead });
        (await _anonymous.GetObjectAsync(_bucket, "k")).Dispose();
        await _s3.PutBucketAclAsync(new PutBucketAclRequest { BucketName = _bucket, ACL = S3CannedACL.Private });

        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => _anonymous.GetObjectAsync(_bucket, "k"));
        Assert.Equal((HttpStatusCode.Forbidden, "AccessDenied"), (e.StatusCode, e.ErrorCode));
    }

    [Fact]
    public async Task Anonymous_BucketCreatedPublicRead_ObjectsReadable()
    {
        var bucket = Names.Bucket("anon");
        await _s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, CannedACL = S3CannedACL.PublicRead });
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "img.png", ContentBody = "png" });

        Assert.Equal(3, (await _anonymous.GetObjectMetadataAsync(bucket, "img.png")).ContentLength);
    }
}

public sealed class TablesAnonymousRequestTests(TablesHost host) : AnonymousRequestTests(host), IClassFixture<TablesHost>;

public sealed class CosmosAnonymousRequestTests(CosmosHost host) : AnonymousRequestTests(host), IClassFixture<CosmosHost>;
