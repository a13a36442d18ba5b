using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Buckets;

/// <summary>
/// Server-side encryption as Azure gives it (SSE-S3, AES256, on every object) and the bucket's default
/// encryption, through AWSSDK.S3 v4; SSE-KMS and SSE-C are refused with 501, never ignored.
/// </summary>
public abstract class EncryptionTests : OneBucketTests
{
    private const int PartSize = 5 * 1024 * 1024;

    protected EncryptionTests(R2MetaHost host)
        : base(host, "sse")
    {
    }

    [Fact]
    public async Task PutObject_Aes256_EchoedOnPutGetHead()
    {
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "secret", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        using var get = await S3.GetObjectAsync(Bucket, "k");
        var head = await S3.GetObjectMetadataAsync(Bucket, "k");

        Assert.Equal(ServerSideEncryptionMethod.AES256, put.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, get.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
    }

    /// <summary>Blob Storage encrypts every object, so (as S3 since 2023) one written without the header is AES256 too.</summary>
    [Fact]
    public async Task PutObject_WithoutHeader_IsAes256()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "plain", ContentBody = "x" });
        var head = await S3.GetObjectMetadataAsync(Bucket, "plain");
        Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
    }

    [Fact]
    public async Task CopyAndMultipart_Aes256_EchoedByEveryStep()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "src", ContentBody = "source" });
        var copy = await S3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = Bucket, SourceKey = "src", DestinationBucket = Bucket, DestinationKey = "dst", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256,
        });
        var create = await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "mpu", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 });
        var data = RandomNumberGenerator.GetBytes(PartSize + 10);
        var part1 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mpu", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(data, 0, PartSize) });
        var part2 = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mpu", UploadId = create.UploadId, PartNumber = 2, InputStream = new MemoryStream(data, PartSize, 10) });
        var complete = await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket, Key = "mpu", UploadId = create.UploadId, PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });
        var head = await S3.GetObjectMetadataAsync(Bucket, "mpu");

        Assert.Equal(ServerSideEncryptionMethod.AES256, copy.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, create.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, part1.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, complete.ServerSideEncryptionMethod);
        Assert.Equal(ServerSideEncryptionMethod.AES256, head.ServerSideEncryptionMethod);
        Assert.Equal(data.Length, head.ContentLength);
    }

    [Fact]
    public async Task PutObject_Kms_NotImplementedAndNothingWritten()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = Bucket, Key = "kms", ContentBody = "x", ServerSideEncryptionMethod = ServerSideEncryptionMethod.AWSKMS,
        }));
        Assert.Equal(HttpStatusCode.NotImplemented, e.StatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        await AssertMissingAsync("kms");
    }

    /// <summary>SSE-C is sent raw: the SDK refuses customer keys over plain HTTP before anything leaves the client.</summary>
    [Fact]
    public async Task PutObject_CustomerKey_NotImplementedAndNothingWritten()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var headers = new Dictionary<string, string>
        {
            ["x-amz-server-side-encryption-customer-algorithm"] = "AES256",
            ["x-amz-server-side-encryption-customer-key"] = Convert.ToBase64String(key),
            ["x-amz-server-side-encryption-customer-key-MD5"] = Convert.ToBase64String(MD5.HashData(key)),
        };
        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/ssec", new ByteArrayContent([1, 2, 3]), headers);
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        Assert.Equal("NotImplemented", await RawRequests.ErrorCodeAsync(response));
        await AssertMissingAsync("ssec");
    }

    [Fact]
    public async Task PutObject_UnknownAlgorithm_InvalidArgument()
    {
        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Put, $"/{Bucket}/odd", new ByteArrayContent([1]),
            new Dictionary<string, string> { ["x-amz-server-side-encryption"] = "rot13" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidArgument", await RawRequests.ErrorCodeAsync(response));
    }

    /// <summary>As S3: encryption is chosen by the write; a read naming it is a 400.</summary>
    [Fact]
    public async Task GetObject_WithEncryptionHeader_InvalidArgument()
    {
        await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "r", ContentBody = "x" });
        using var response = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Bucket}/r", headers: new Dictionary<string, string> { ["x-amz-server-side-encryption"] = "AES256" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidArgument", await RawRequests.ErrorCodeAsync(response));
    }

    [Fact]
    public async Task BucketEncryption_NoneSet_Aes256()
    {
        var rule = Assert.Single((await S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = Bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        Assert.Equal(ServerSideEncryptionMethod.AES256, rule.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.False(rule.BucketKeyEnabled);
    }

    [Fact]
    public async Task BucketEncryption_PutGetDelete_StoredWithTheBucketThenDefault()
    {
        await S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest { BucketName = Bucket, ServerSideEncryptionConfiguration = Configuration(ServerSideEncryptionMethod.AES256, bucketKey: true) });
        var afterPut = Assert.Single((await S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = Bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);
        var delete = await S3.DeleteBucketEncryptionAsync(new DeleteBucketEncryptionRequest { BucketName = Bucket });
        var afterDelete = Assert.Single((await S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = Bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);

        Assert.Equal(ServerSideEncryptionMethod.AES256, afterPut.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.True(afterPut.BucketKeyEnabled);
        Assert.Equal(HttpStatusCode.NoContent, delete.HttpStatusCode);
        Assert.Equal(ServerSideEncryptionMethod.AES256, afterDelete.ServerSideEncryptionByDefault.ServerSideEncryptionAlgorithm);
        Assert.False(afterDelete.BucketKeyEnabled);
    }

    [Fact]
    public async Task BucketEncryption_Kms_NotImplementedAndUnchanged()
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = Bucket, ServerSideEncryptionConfiguration = Configuration(ServerSideEncryptionMethod.AWSKMS, bucketKey: true),
        }));
        var rule = Assert.Single((await S3.GetBucketEncryptionAsync(new GetBucketEncryptionRequest { BucketName = Bucket })).ServerSideEncryptionConfiguration.ServerSideEncryptionRules);

        Assert.Equal(HttpStatusCode.NotImplemented, e.StatusCode);
        Assert.Equal("NotImplemented", e.ErrorCode);
        Assert.False(rule.BucketKeyEnabled);
    }

    [Fact]
    public async Task BucketEncryption_OtherAccountOrMissingBucket_AccessDeniedOrNoSuchBucket()
    {
        using var other = S3Clients.PathStyle(Host, TestAccounts.SecondKey, TestAccounts.SecondSecret);
        var foreign = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => other.PutBucketEncryptionAsync(new PutBucketEncryptionRequest
        {
            BucketName = Bucket, ServerSideEncryptionConfiguration = Configuration(ServerSideEncryptionMethod.AES256, bucketKey: false),
        }));
        // Raw: AWSSDK.S3 v4 turns a 404 from GetBucketEncryption into an empty answer rather than an exception.
        using var missing = await RawRequests.SendSignedAsync(Host, HttpMethod.Get, $"/{Names.Bucket("none")}?encryption");

        Assert.Equal("AccessDenied", foreign.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("NoSuchBucket", await RawRequests.ErrorCodeAsync(missing));
    }

    private static ServerSideEncryptionConfiguration Configuration(ServerSideEncryptionMethod algorithm, bool bucketKey) => new()
    {
        ServerSideEncryptionRules =
        [
            new ServerSideEncryptionRule
            {
                ServerSideEncryptionByDefault = new ServerSideEncryptionByDefault { ServerSideEncryptionAlgorithm = algorithm },
                BucketKeyEnabled = bucketKey,
            },
        ],
    };

    private async Task AssertMissingAsync(string key)
    {
        var e = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.GetObjectMetadataAsync(Bucket, key));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
    }
}

public sealed class TablesEncryptionTests(TablesHost host) : EncryptionTests(host), IClassFixture<TablesHost>;

public sealed class CosmosEncryptionTests(CosmosHost host) : EncryptionTests(host), IClassFixture<CosmosHost>;
