using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using R2Meta.EndToEnd.Tests.Infrastructure;

namespace R2Meta.EndToEnd.Tests.Objects;

/// <summary>
/// Object and bucket tagging through AWSSDK.S3 v4 (default settings): Put/Get/DeleteObjectTagging, x-amz-tagging on
/// PutObject, CopyObject and multipart uploads, x-amz-tagging-count, Put/Get/DeleteBucketTagging, S3's limits. Both backends.
/// </summary>
public abstract class TaggingTests : IAsyncLifetime
{
    private const int PartSize = 5 * 1024 * 1024;
    private readonly R2MetaHost _host;
    private readonly AmazonS3Client _s3;
    private readonly string _bucket = Names.Bucket("tag");

    protected TaggingTests(R2MetaHost host)
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
    public async Task PutGetDeleteObjectTagging_RoundTripsAndLeavesTheObjectAlone()
    {
        var put = await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "k", ContentBody = "body" });
        var before = await _s3.GetObjectMetadataAsync(_bucket, "k");

        var untagged = await TagsAsync("k");
        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket, Key = "k", Tagging = new Tagging { TagSet = [new Tag { Key = "team", Value = "storage" }, new Tag { Key = "b c", Value = "" }] },
        });
        var tagged = await TagsAsync("k");
        using var get = await _s3.GetObjectAsync(_bucket, "k");
        var head = await _s3.GetObjectMetadataAsync(_bucket, "k");
        using var rawHead = await RawRequests.SendSignedAsync(_host, HttpMethod.Head, $"/{_bucket}/k");
        var deleted = await _s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = _bucket, Key = "k" });
        var after = await TagsAsync("k");
        using var rawHeadAfter = await RawRequests.SendSignedAsync(_host, HttpMethod.Head, $"/{_bucket}/k");

        Assert.Empty(untagged);
        Assert.Equal([("b c", ""), ("team", "storage")], tagged);
        Assert.Equal(2, get.TagCount);
        Assert.Equal("2", Assert.Single(rawHead.Headers.GetValues("x-amz-tagging-count")));
        Assert.Equal(put.ETag, head.ETag);
        Assert.Equal(before.LastModified, head.LastModified);
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        Assert.Empty(after);
        Assert.False(rawHeadAfter.Headers.Contains("x-amz-tagging-count"));
    }

    [Fact]
    public async Task ObjectTagging_MissingKey_NoSuchKey()
    {
        var get = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "none" }));
        var put = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket, Key = "none", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "b" }] },
        }));

        Assert.Equal("NoSuchKey", get.ErrorCode);
        Assert.Equal("NoSuchKey", put.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task ObjectTagging_VersionIdNullAccepted_OtherInvalidArgument()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "v", ContentBody = "x" });

        await _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket, Key = "v", VersionId = "null", Tagging = new Tagging { TagSet = [new Tag { Key = "a", Value = "1" }] },
        });
        var got = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "v", VersionId = "null" });
        var other = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "v", VersionId = "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY" }));

        Assert.Equal("1", Assert.Single(got.Tagging).Value);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal("InvalidArgument", other.ErrorCode);
    }

    [Theory]
    [InlineData(11, 1, 1, "BadRequest")]
    [InlineData(1, 129, 1, "InvalidTag")]
    [InlineData(1, 1, 257, "InvalidTag")]
    public async Task PutObjectTagging_BeyondS3Limits_RefusedAndUnchanged(int count, int keyLength, int valueLength, string code)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "limits", ContentBody = "x" });
        var tags = Enumerable.Range(0, count).Select(i => new Tag { Key = i + new string('k', keyLength - 1), Value = new string('v', valueLength) }).ToList();

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket, Key = "limits", Tagging = new Tagging { TagSet = tags },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal(code, error.ErrorCode);
        Assert.Empty(await TagsAsync("limits"));
    }

    [Theory]
    [InlineData("dup", "InvalidTag")]
    [InlineData("aws:system", "InvalidTag")]
    [InlineData("star*", "InvalidTag")]
    public async Task PutObjectTagging_InvalidKey_InvalidTag(string key, string code)
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "bad", ContentBody = "x" });
        List<Tag> tags = key == "dup" ? [new Tag { Key = "d", Value = "1" }, new Tag { Key = "d", Value = "2" }] : [new Tag { Key = key, Value = "v" }];

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = _bucket, Key = "bad", Tagging = new Tagging { TagSet = tags },
        }));

        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task PutObjectTagging_MalformedBody_MalformedXML()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "xml", ContentBody = "x" });

        using var notXml = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/xml?tagging", new StringContent("<Tagging><TagSet>"));
        using var noValue = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/xml?tagging", new StringContent("<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>"));

        Assert.Equal(HttpStatusCode.BadRequest, notXml.StatusCode);
        Assert.Equal("MalformedXML", await RawRequests.ErrorCodeAsync(notXml));
        Assert.Equal("MalformedXML", await RawRequests.ErrorCodeAsync(noValue));
    }

    [Fact]
    public async Task PutObject_TagSet_SentAsXAmzTaggingAndStored()
    {
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = "put", ContentBody = "x", TagSet = [new Tag { Key = "foo", Value = "bar baz+1" }, new Tag { Key = "ü", Value = "" }],
        });
        using var raw = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/raw", new StringContent("y"), new Dictionary<string, string> { ["x-amz-tagging"] = "foo=bar&bar" });

        Assert.Equal([("foo", "bar baz+1"), ("ü", "")], await TagsAsync("put"));
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal([("bar", ""), ("foo", "bar")], await TagsAsync("raw"));
    }

    [Theory]
    [InlineData("a=1&a=2", "InvalidArgument")]
    [InlineData("a=%ZZ", "InvalidArgument")]
    [InlineData("a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11", "BadRequest")]
    [InlineData("aws%3Ax=1", "InvalidTag")]
    public async Task PutObject_BadXAmzTagging_RefusedAndNothingWritten(string header, string code)
    {
        using var response = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/refused", new StringContent("y"), new Dictionary<string, string> { ["x-amz-tagging"] = header });
        var head = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectMetadataAsync(_bucket, "refused"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, await RawRequests.ErrorCodeAsync(response));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Fact]
    public async Task CopyObject_TaggingDirective_CopyKeepsSourceTagsReplaceTakesNew()
    {
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "src", ContentBody = "x", TagSet = [new Tag { Key = "from", Value = "source" }] });

        await _s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = _bucket, SourceKey = "src", DestinationBucket = _bucket, DestinationKey = "copied" });
        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket, SourceKey = "src", DestinationBucket = _bucket, DestinationKey = "replaced",
            TaggingDirective = TaggingDirective.REPLACE, TagSet = [new Tag { Key = "new", Value = "tag" }],
        });
        await _s3.CopyObjectAsync(new CopyObjectRequest
        {
            SourceBucket = _bucket, SourceKey = "src", DestinationBucket = _bucket, DestinationKey = "cleared", TaggingDirective = TaggingDirective.REPLACE,
        });
        using var bad = await RawRequests.SendSignedAsync(_host, HttpMethod.Put, $"/{_bucket}/bad-directive", null,
            new Dictionary<string, string> { ["x-amz-copy-source"] = $"/{_bucket}/src", ["x-amz-tagging-directive"] = "MERGE" });

        Assert.Equal([("from", "source")], await TagsAsync("copied"));
        Assert.Equal([("new", "tag")], await TagsAsync("replaced"));
        Assert.Empty(await TagsAsync("cleared"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("InvalidArgument", await RawRequests.ErrorCodeAsync(bad));
    }

    [Fact]
    public async Task MultipartUpload_TagSetOfCreate_AppliedAtComplete()
    {
        var create = await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket, Key = "mpu", TagSet = [new Tag { Key = "Hello", Value = "World" }, new Tag { Key = "foo", Value = "bar" }],
        });
        var data = RandomNumberGenerator.GetBytes(PartSize + 10);
        var part1 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "mpu", UploadId = create.UploadId, PartNumber = 1, InputStream = new MemoryStream(data, 0, PartSize) });
        var part2 = await _s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = "mpu", UploadId = create.UploadId, PartNumber = 2, InputStream = new MemoryStream(data, PartSize, 10) });
        var untilComplete = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = "mpu" }));
        await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket, Key = "mpu", UploadId = create.UploadId, PartETags = [new PartETag(1, part1.ETag), new PartETag(2, part2.ETag)],
        });

        Assert.Equal("NoSuchKey", untilComplete.ErrorCode);
        Assert.Equal([("Hello", "World"), ("foo", "bar")], await TagsAsync("mpu"));
    }

    [Fact]
    public async Task PutObjectTagging_RacingOverwrites_NeverLosesTheOverwrite()
    {
        // Tagging changes the record it read only if it is still current: a PUT that commits in between keeps its
        // bytes and its own tags, or gets the tagging call's tags as if that came after it. Never the old object back.
        for (var round = 0; round < 8; round++)
        {
            var key = $"race-{round}";
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "old", TagSet = [new Tag { Key = "v", Value = "old" }] });
            var taggings = Enumerable.Range(0, 4).Select(i => _s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
            {
                BucketName = _bucket, Key = key, Tagging = new Tagging { TagSet = [new Tag { Key = "t", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }] },
            }));
            var overwrite = _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = "new", TagSet = [new Tag { Key = "v", Value = "new" }] });
            await Task.WhenAll([.. taggings, overwrite]);

            using var get = await _s3.GetObjectAsync(_bucket, key);
            using var reader = new StreamReader(get.ResponseStream);
            var tags = await TagsAsync(key);

            Assert.Equal("new", await reader.ReadToEndAsync());
            Assert.Equal((await overwrite).ETag, get.ETag);
            Assert.True(tags.SequenceEqual([("v", "new")]) || tags is [("t", _)], string.Join(",", tags));
        }
    }

    [Fact]
    public async Task BucketTagging_NoSuchTagSetUntilPutThenDeleted()
    {
        var before = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = _bucket }));
        var tags = Enumerable.Range(0, 50).Select(i => new Tag { Key = $"k{i:D2}", Value = "v" + i }).ToList();
        await _s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = _bucket, TagSet = tags });
        var got = await _s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = _bucket });
        var deleted = await _s3.DeleteBucketTaggingAsync(new DeleteBucketTaggingRequest { BucketName = _bucket });
        var after = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = _bucket }));

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal("NoSuchTagSet", before.ErrorCode);
        Assert.Equal(tags.Select(t => (t.Key, t.Value)), got.TagSet.Select(t => (t.Key, t.Value)));
        Assert.Equal(HttpStatusCode.NoContent, deleted.HttpStatusCode);
        Assert.Equal("NoSuchTagSet", after.ErrorCode);
    }

    [Fact]
    public async Task PutBucketTagging_FiftyOneTags_BadRequest()
    {
        var tags = Enumerable.Range(0, 51).Select(i => new Tag { Key = $"k{i}", Value = "v" }).ToList();

        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.PutBucketTaggingAsync(new PutBucketTaggingRequest { BucketName = _bucket, TagSet = tags }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("BadRequest", error.ErrorCode);
    }

    [Fact]
    public async Task BucketTagging_MissingBucket_NoSuchBucket()
    {
        var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => _s3.GetBucketTaggingAsync(new GetBucketTaggingRequest { BucketName = Names.Bucket("none") }));

        Assert.Equal("NoSuchBucket", error.ErrorCode);
    }

    private async Task<List<(string Key, string Value)>> TagsAsync(string key)
    {
        var response = await _s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = _bucket, Key = key });
        return [.. (response.Tagging ?? []).Select(t => (t.Key, t.Value))];
    }
}

public sealed class TablesTaggingTests(TablesHost host) : TaggingTests(host), IClassFixture<TablesHost>;

public sealed class CosmosTaggingTests(CosmosHost host) : TaggingTests(host), IClassFixture<CosmosHost>;
