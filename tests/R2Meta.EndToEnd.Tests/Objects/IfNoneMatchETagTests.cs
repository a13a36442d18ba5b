using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>If-None-Match with ETags (not only "*") on PutObject and CompleteMultipartUpload, as R2 and RGW accept it. Per backend.</summary>
public abstract class IfNoneMatchETagTests : OneBucketTests
{
    protected IfNoneMatchETagTests(R2MetaHost host)
        : base(host, "inm")
    {
    }

    [Fact]
    public async Task PutObject_IfNoneMatchETag_412WhenTheCurrentETagMatchesElseWrites()
    {
        var first = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "one", IfNoneMatch = "\"0123456789abcdef0123456789abcdef\"" });

        var matched = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "two", IfNoneMatch = first.ETag }));
        var inList = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "two", IfNoneMatch = "\"aaaa\", " + first.ETag }));
        var unquoted = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "two", IfNoneMatch = first.ETag.Trim('"') }));
        Assert.Equal(("PreconditionFailed", HttpStatusCode.PreconditionFailed), (matched.ErrorCode, matched.StatusCode));
        Assert.Equal(HttpStatusCode.PreconditionFailed, inList.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, unquoted.StatusCode);
        Assert.Equal("one", await ReadAsync("k"));

        var second = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "k", ContentBody = "two", IfNoneMatch = "\"0123456789abcdef0123456789abcdef\"" });
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal("two", await ReadAsync("k"));
    }

    [Fact]
    public async Task PutObject_ConcurrentWritersOfOneContentWithIfNoneMatchItsETag_ExactlyOneWins()
    {
        var put = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "race", ContentBody = "start" });
        var target = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "probe", ContentBody = "the same bytes" });

        // Each writer writes the same bytes unless they are already there: an atomic condition lets one through.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try
            {
                await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "race", ContentBody = "the same bytes", IfNoneMatch = target.ETag });
                return HttpStatusCode.OK;
            }
            catch (AmazonS3Exception e)
            {
                return e.StatusCode;
            }
        }));

        Assert.NotEqual(put.ETag, target.ETag);
        Assert.Equal(1, results.Count(r => r == HttpStatusCode.OK));
        Assert.All(results.Where(r => r != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r));
    }

    [Fact]
    public async Task CompleteMultipartUpload_IfNoneMatchETag_412WhenTheCurrentETagMatchesElseCompletes()
    {
        var existing = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = "mp", ContentBody = "existing" });
        var uploadId = (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "mp" })).UploadId;
        var part = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mp", UploadId = uploadId, PartNumber = 1, InputStream = new MemoryStream("new"u8.ToArray()) });
        var parts = new List<PartETag> { new(1, part.ETag) };

        var matched = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "mp", UploadId = uploadId, PartETags = parts, IfNoneMatch = existing.ETag }));
        Assert.Equal(HttpStatusCode.PreconditionFailed, matched.StatusCode);
        Assert.Equal("existing", await ReadAsync("mp"));

        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "mp", UploadId = uploadId, PartETags = parts, IfNoneMatch = "\"ffffffffffffffffffffffffffffffff\"" });
        Assert.Equal("new", await ReadAsync("mp"));

        var fresh = (await S3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = Bucket, Key = "mp-new" })).UploadId;
        var freshPart = await S3.UploadPartAsync(new UploadPartRequest { BucketName = Bucket, Key = "mp-new", UploadId = fresh, PartNumber = 1, InputStream = new MemoryStream("fresh"u8.ToArray()) });
        await S3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = Bucket, Key = "mp-new", UploadId = fresh, PartETags = [new(1, freshPart.ETag)], IfNoneMatch = existing.ETag });
        Assert.Equal("fresh", await ReadAsync("mp-new"));
    }

    private async Task<string> ReadAsync(string key)
    {
        using var get = await S3.GetObjectAsync(Bucket, key);
        using var reader = new StreamReader(get.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}

public sealed class TablesIfNoneMatchETagTests(TablesHost host) : IfNoneMatchETagTests(host), IClassFixture<TablesHost>;

public sealed class CosmosIfNoneMatchETagTests(CosmosHost host) : IfNoneMatchETagTests(host), IClassFixture<CosmosHost>;
